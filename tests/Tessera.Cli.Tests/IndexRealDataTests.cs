using System.Text.Json;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// Spectral indices on real scenes, compared with an independent numpy + GDAL implementation
/// (tests/reference/index_reference.py): max abs difference 1e-5 and the same nodata mask.
/// </summary>
public class IndexRealDataTests
{
    private const string S2 = "S2A_29RKH_20200219_L2A_";
    private const string L8 = "LC08_L2SP_001062_20201031_20201106_02_T2_SR_";
    private const string Slovenia = "S2_L1C_slovenia_20150711_13bands.tif";

    /// <summary>index, roles as role=file[@band], scale, offset, description of the case.</summary>
    public static IEnumerable<object?[]> Cases() =>
    [
        ["ndvi", new[] { $"nir={S2}B08.tif", $"red={S2}B04.tif" }, null, null],
        ["evi", new[] { $"nir={S2}B08.tif", $"red={S2}B04.tif", $"blue={S2}B02.tif" }, 0.0001, null],
        ["ndwi", new[] { $"green={S2}B03.tif", $"nir={S2}B08.tif" }, null, null],
        ["ndbi", new[] { $"swir={S2}B11.tif", $"nir={S2}B8A.tif" }, null, null],
        ["bai", new[] { $"red={S2}B04.tif", $"nir={S2}B08.tif" }, 0.0001, null],
        ["ndvi", new[] { $"nir={L8}B5.tif", $"red={L8}B4.tif" }, 0.0000275, -0.2],
        ["evi", new[] { $"nir={L8}B5.tif", $"red={L8}B4.tif", $"blue={L8}B2.tif" }, 0.0000275, -0.2],
        ["ndwi", new[] { $"green={L8}B3.tif", $"nir={L8}B5.tif" }, 0.0000275, -0.2],
        ["ndbi", new[] { $"swir={L8}B6.tif", $"nir={L8}B5.tif" }, 0.0000275, -0.2],
        ["bai", new[] { $"red={L8}B4.tif", $"nir={L8}B5.tif" }, 0.0000275, -0.2],
        ["ndvi", new[] { $"nir={Slovenia}@8", $"red={Slovenia}@4" }, null, null],
        ["evi", new[] { $"nir={Slovenia}@8", $"red={Slovenia}@4", $"blue={Slovenia}@2" }, null, null],
        ["ndwi", new[] { $"green={Slovenia}@3", $"nir={Slovenia}@8" }, null, null],
        ["ndbi", new[] { $"swir={Slovenia}@12", $"nir={Slovenia}@8" }, null, null],
        ["bai", new[] { $"red={Slovenia}@4", $"nir={Slovenia}@8" }, null, null],
        // The USGS Landsat indices on Collection 2 surface reflectance; --swir is --swir1.
        ["savi", new[] { $"nir={L8}B5.tif", $"red={L8}B4.tif" }, 0.0000275, -0.2],
        ["msavi", new[] { $"nir={L8}B5.tif", $"red={L8}B4.tif" }, 0.0000275, -0.2],
        ["nbr", new[] { $"nir={L8}B5.tif", $"swir2={L8}B7.tif" }, 0.0000275, -0.2],
        ["nbr2", new[] { $"swir1={L8}B6.tif", $"swir2={L8}B7.tif" }, 0.0000275, -0.2],
        ["ndmi", new[] { $"nir={L8}B5.tif", $"swir={L8}B6.tif" }, 0.0000275, -0.2],
    ];

    [SampleDataTheory]
    [MemberData(nameof(Cases))]
    public void Index_EqualsIndependentReference(string index, string[] roles, double? scale, double? offset)
    {
        using var temp = new TempFolder();
        var output = temp.File($"{index}.tif");
        var args = new List<string> { "index", index, "-o", output, "--quiet" };
        var inputs = new Dictionary<string, object?>();
        foreach (var role in roles)
        {
            var (name, spec) = (role[..role.IndexOf('=')], role[(role.IndexOf('=') + 1)..]);
            var at = spec.IndexOf('@');
            var file = SampleData.File(at < 0 ? spec : spec[..at]);
            var band = at < 0 ? 1 : int.Parse(spec[(at + 1)..]);
            args.AddRange([$"--{name}", at < 0 ? file : $"{file}@{band}"]);
            // The reference names SWIR 1 as the index does: swir for NDBI, swir1 for the others.
            inputs[name == "swir" && index != "ndbi" ? "swir1" : name] = new { path = file, band, scale, offset };
        }
        if (scale is { } s)
        {
            args.AddRange(["--scale", s.ToString("R", System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (offset is { } o)
        {
            args.AddRange(["--offset", o.ToString("R", System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var run = CliRunner.Run([.. args]);
        Assert.True(run.ExitCode == 0, run.Error);

        var reference = PythonReference.Run("index_reference.py", new { index, output, inputs });
        AssertMatches(reference, index.ToUpperInvariant());
    }

    [SampleDataFact]
    public void Savi_TakesItsSoilFactor_AndRefusesOneOutOfRange()
    {
        using var temp = new TempFolder();
        var output = temp.File("savi.tif");
        var nir = SampleData.File($"{L8}B5.tif");
        var red = SampleData.File($"{L8}B4.tif");
        var run = CliRunner.Run("index", "savi", "--nir", nir, "--red", red, "--L", "0.25", "--scale", "0.0000275", "--offset", "-0.2", "-o", output, "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "savi", output, constants = new { L = 0.25 },
            inputs = new Dictionary<string, object> { ["nir"] = new { path = nir, scale = 0.0000275, offset = -0.2 }, ["red"] = new { path = red, scale = 0.0000275, offset = -0.2 } },
        });
        AssertMatches(reference, "SAVI");

        var wrong = CliRunner.Run("index", "savi", "--nir", nir, "--red", red, "--L", "2", "-o", temp.File("x.tif"));
        Assert.Equal(2, wrong.ExitCode);
        Assert.Equal("--L 2: from 0 to 1", wrong.ErrorLine);
        var notSavi = CliRunner.Run("index", "ndvi", "--nir", nir, "--red", red, "--L", "0.5", "-o", temp.File("x.tif"));
        Assert.Equal("NDVI has no coefficient L (--L)", notSavi.ErrorLine);
    }

    internal static void AssertMatches(JsonElement reference, string description)
    {
        Assert.True(reference.GetProperty("shapeEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), $"nodata masks differ: {reference}");
        Assert.True(reference.GetProperty("validCount").GetInt32() > 1000, reference.ToString());
        Assert.True(reference.GetProperty("geoTransformEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("crsEqual").GetBoolean(), reference.ToString());
        Assert.Equal(description, reference.GetProperty("description").GetString());
        var diff = reference.GetProperty("maxAbsDiff").GetDouble();
        Assert.True(diff <= 1e-5, $"max abs difference {diff} > 1e-5: {reference}");
    }

    /// <summary>On integer DN without offset, the normalised differences are exact in single precision: they
    /// equal the double-precision value rounded to Float32, to within one unit in the last place.</summary>
    [SampleDataTheory]
    [InlineData("ndvi", "nir", "B08", "red", "B04")]
    [InlineData("ndwi", "green", "B03", "nir", "B08")]
    [InlineData("ndbi", "swir", "B11", "nir", "B8A")]
    public void NormalisedDifference_OnIntegerBands_EqualsDoublePrecisionReference(string index, string role1, string band1, string role2, string band2)
    {
        using var temp = new TempFolder();
        var output = temp.File("out.tif");
        var (file1, file2) = (SampleData.File($"{S2}{band1}.tif"), SampleData.File($"{S2}{band2}.tif"));
        var run = CliRunner.Run("index", index, $"--{role1}", file1, $"--{role2}", file2, "-o", output, "-q");
        Assert.True(run.ExitCode == 0, run.Error);
        var reference = PythonReference.Run("index_reference.py", new
        {
            index, output, precision = "float64",
            inputs = new Dictionary<string, object> { [role1] = new { path = file1 }, [role2] = new { path = file2 } },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-7, reference.ToString());
    }

    [SampleDataTheory]
    [InlineData("S2_L1C_slovenia_20150711_13bands.tif", 1)]
    [InlineData("S2_L1C_slovenia_20150731_13bands.tif", 2)]
    [InlineData("S2_L1C_slovenia_20150820_13bands.tif", 3)]
    [InlineData("S2_L1C_slovenia_20150830_13bands.tif", 4)]
    [InlineData("S2_L1C_slovenia_20150909_13bands.tif", 5)]
    public void SloveniaNdvi_MatchesPublishedNdviStack(string stack, int publishedBand)
    {
        using var temp = new TempFolder();
        var file = SampleData.File(stack);
        var output = temp.File("ndvi.tif");
        var run = CliRunner.Run("index", "ndvi", "--nir", file + "@8", "--red", file + "@4", "-o", output, "-q");
        Assert.True(run.ExitCode == 0, run.Error);

        var compared = PythonReference.Run("compare_bands.py", new
        {
            a = output, aBand = 1, b = SampleData.File("S2_slovenia_NDVI_68dates.tif"), bBand = publishedBand,
        });
        Assert.True(compared.GetProperty("shapeEqual").GetBoolean());
        Assert.True(compared.GetProperty("maskEqual").GetBoolean(), compared.ToString());
        Assert.Equal(100 * 101, compared.GetProperty("validCount").GetInt32());
        Assert.True(compared.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, compared.ToString());
    }

    [SampleDataTheory]
    [InlineData("nearest")]
    [InlineData("bilinear")]
    [InlineData("cubic")]
    [InlineData("average")]
    public void Ndbi_MixedGrids_Gives100mOutput_EqualToReferenceResamplingB11(string resampling)
    {
        using var temp = new TempFolder();
        var b11 = SampleData.File($"{S2}B11.tif");
        var b08 = SampleData.File($"{S2}B08.tif");
        var output = temp.File("ndbi.tif");
        var run = CliRunner.Run("index", "ndbi", "--swir", b11, "--nir", b08, "-r", resampling, "-o", output, "-q");
        Assert.True(run.ExitCode == 0, run.Error);

        var info = CliRunner.Run("info", output, "--json");
        using var json = JsonDocument.Parse(info.Out);
        Assert.Equal(1098, json.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(100, json.RootElement.GetProperty("resolutionX").GetDouble());

        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "ndbi",
            output,
            like = b08,
            resampling,
            inputs = new Dictionary<string, object> { ["swir"] = new { path = b11 }, ["nir"] = new { path = b08 } },
        });
        AssertMatches(reference, "NDBI");
    }
}
