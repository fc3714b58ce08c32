using Tessera.TestSupport;

namespace Tessera.Cli.Tests.Faults;

/// <summary>An NDVI result checked against the numpy + GDAL reference computed from its inputs.</summary>
internal static class NdviReference
{
    /// <summary>Asserts equal values and no-data masks; returns the number of valid pixels.</summary>
    public static long AssertEqual(string output, string nir, string red)
    {
        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "ndvi",
            output,
            inputs = new Dictionary<string, object> { ["nir"] = new { path = nir }, ["red"] = new { path = red } },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
        return reference.GetProperty("validCount").GetInt64();
    }
}
