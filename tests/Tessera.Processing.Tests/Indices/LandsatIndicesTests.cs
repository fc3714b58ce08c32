using Tessera.Processing.Indices;
using Tessera.Processing.Operations;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Indices;

/// <summary>
/// The five USGS Landsat indices, each run as its operation on real Collection 2 Level-2 surface reflectance
/// (scale 0.0000275, offset -0.2) and compared with the independent numpy reference (tests/reference/index_reference.py).
/// </summary>
public sealed class LandsatIndicesTests : IDisposable
{
    private const string Scene = "LC08_L2SP_001062_20201031_20201106_02_T2";
    private readonly TempFolder _folder = new();

    private static readonly Dictionary<string, string> Bands = new()
    {
        ["blue"] = "SR_B2", ["green"] = "SR_B3", ["red"] = "SR_B4", ["nir"] = "SR_B5", ["swir1"] = "SR_B6", ["swir2"] = "SR_B7",
    };

    [SampleDataTheory]
    [InlineData("SAVI", null)]
    [InlineData("SAVI", 0.25)]
    [InlineData("MSAVI", null)]
    [InlineData("NBR", null)]
    [InlineData("NBR2", null)]
    [InlineData("NDMI", null)]
    public void Index_OnSurfaceReflectance_EqualsNumpy(string name, double? l)
    {
        var operation = (IndexOperation)OperationCatalog.Find(name)!;
        var inputs = operation.Index.Roles.Select(r => new OperationInput(r, SampleData.File($"{Scene}_{Bands[r]}.tif"), null)).ToList();
        var json = l is { } value
            ? $$"""{"scale": 0.0000275, "offset": -0.2, "L": {{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}"""
            : """{"scale": 0.0000275, "offset": -0.2}""";
        var parameters = ParameterValues.Parse(json, operation);
        var output = _folder.File($"{name}.tif");
        operation.Check(inputs, parameters);
        operation.Run(new OperationRun(inputs, parameters, _folder.Path, output), null, CancellationToken.None);

        var reference = PythonReference.Run("index_reference.py", new
        {
            index = name.ToLowerInvariant(),
            output,
            constants = l is { } c ? new Dictionary<string, double> { ["L"] = c } : [],
            inputs = operation.Index.Roles.ToDictionary(r => r, r => (object)new
            {
                path = SampleData.File($"{Scene}_{Bands[r]}.tif"), scale = 0.0000275, offset = -0.2,
            }),
        });
        Assert.True(reference.GetProperty("shapeEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("validCount").GetInt64() > 100_000, reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
        Assert.Equal(name, reference.GetProperty("description").GetString());
        using var ds = Tessera.Raster.RasterDataset.Open(output);
        Assert.Equal(Tessera.Raster.RasterDataType.Float32, ds.Band(1).DataType);
    }

    public void Dispose() => _folder.Dispose();
}
