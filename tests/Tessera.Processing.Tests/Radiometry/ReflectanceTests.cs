using System.Globalization;
using System.Text.RegularExpressions;
using Tessera.Processing.Radiometry;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Radiometry;

/// <summary>Landsat Level-1 digital numbers made top-of-atmosphere and dark-object-subtracted surface reflectance, against
/// the USGS formulas and DOS1 computed by numpy from the MTL file.</summary>
public sealed class ReflectanceTests : IDisposable
{
    private const string Product = "LC80200392015216LGN00";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static double Mtl(string key) =>
        double.Parse(Regex.Match(File.ReadAllText(SampleData.File($"{Product}_MTL.txt")), $@"\b{key} = (\S+)").Groups[1].Value, CultureInfo.InvariantCulture);

    [SampleDataTheory]
    [InlineData(2, "toa")]
    [InlineData(4, "dos")]
    [InlineData(5, "dos")]
    public void ReflectanceOfEveryPixel_IsTheUsgsFormula_LessTheDarkObjectsHaze(int band, string method)
    {
        var sine = Math.Sin(Mtl("SUN_ELEVATION") * Math.PI / 180);
        var (gain, bias) = (Mtl($"REFLECTANCE_MULT_BAND_{band}") / sine, Mtl($"REFLECTANCE_ADD_BAND_{band}") / sine);
        var input = SampleData.File($"{Product}_B{band}.tif");
        var haze = method == "dos" ? Reflectance.Haze(input, 1, gain, bias, 0) : null;
        Assert.True(method == "toa" || haze is > 0 and < 0.2, $"haze {haze}");
        var output = _folder.File($"b{band}-{method}.tif");
        Reflectance.Write(input, 1, output, gain, bias, 0, haze, $"B{band}");

        var reference = PythonReference.Run("landsat_toa_reference.py", new { mtl = SampleData.File($"{Product}_MTL.txt"), dn = input, band, output, method });
        Assert.True(reference.GetProperty("shapeEqual").GetBoolean() && reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 2e-6, reference.ToString());
        Assert.True(reference.GetProperty("validCount").GetInt64() > 370_000, reference.ToString());
    }
}
