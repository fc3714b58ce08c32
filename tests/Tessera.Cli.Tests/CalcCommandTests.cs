using Tessera.Raster;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

public class CalcCommandTests
{
    private static string S2(string band) => SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif");

    [SampleDataFact]
    public void Calc_NormalisedDifference_EqualsIndexNdvi()
    {
        using var temp = new TempFolder();
        var calc = CliRunner.Run("calc", "(a - b) / (a + b)", "-b", "a=" + S2("B08"), "-b", "b=" + S2("B04"), "-o", temp.File("calc.tif"), "-q");
        Assert.True(calc.ExitCode == 0, calc.Error);
        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "ndvi",
            output = temp.File("calc.tif"),
            inputs = new Dictionary<string, object> { ["nir"] = new { path = S2("B08") }, ["red"] = new { path = S2("B04") } },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean());
        Assert.Equal(0, reference.GetProperty("maxAbsDiff").GetDouble());
        Assert.Equal("(a - b) / (a + b)", reference.GetProperty("description").GetString());
    }

    [Fact]
    public void Calc_IntegerOutput_RoundsAndUsesTypeNoData()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(20, 10);
        var a = SyntheticRaster.Write<ushort>(temp.File("a.tif"), grid, (c, r) => (ushort)(c * 10 + r), noData: 0);
        var run = CliRunner.Run("calc", "a / 4", "-b", $"a={a}", "-o", temp.File("o.tif"), "--type", "uint16", "--of", "GTiff");
        Assert.True(run.ExitCode == 0, run.Error);

        using var ds = RasterDataset.Open(temp.File("o.tif"));
        Assert.Equal(RasterDataType.UInt16, ds.Band(1).DataType);
        Assert.Equal(65535, ds.Band(1).NoData);
        var values = new ushort[200];
        ds.Read<ushort>(1, grid.FullWindow, values);
        Assert.Equal(65535, values[0]);                 // nodata in, nodata out
        Assert.Equal(3, values[1 * 20 + 1]);              // 11 / 4 = 2.75, rounded to nearest
        Assert.Equal(0, values[1 * 20 + 0]);              // 1 / 4 = 0.25
        Assert.Equal(49, values[5 * 20 + 19]);            // (19 * 10 + 5) / 4 = 48.75

    }

    [Fact]
    public void GdalsSingleDashSpellings_OfOtAndCo_AreTakenAsGdalUsersTypeThem()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(600, 40);
        var a = SyntheticRaster.Write<ushort>(temp.File("a.tif"), grid, (c, r) => (ushort)(c + r));
        var run = CliRunner.Run("calc", "a * 2", "-b", $"a={a}", "-o", temp.File("o.tif"), "-of", "GTiff", "-ot", "int32",
            "-co", "COMPRESS=DEFLATE", "-co", "BLOCKXSIZE=256", "-co", "BLOCKYSIZE=256");
        Assert.True(run.ExitCode == 0, run.Error);
        var layout = PythonReference.Run("geotiff_layout.py", new { path = temp.File("o.tif") });
        Assert.Equal("DEFLATE", layout.GetProperty("compression").GetString());
        Assert.Equal(256, layout.GetProperty("block")[0].GetInt32());
        using var ds = RasterDataset.Open(temp.File("o.tif"));
        Assert.Equal((RasterDataType.Int32, "GTiff"), (ds.Band(1).DataType, ds.DriverName));
        var values = new int[600 * 40];
        ds.Read<int>(1, grid.FullWindow, values);
        Assert.Equal(2 * (599 + 39), values[^1]);
    }

    [Fact]
    public void Calc_ExplicitOutputNoData_AndWhere()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(8, 1);
        var a = SyntheticRaster.Write<short>(temp.File("a.tif"), grid, (c, r) => (short)(c - 4));
        var run = CliRunner.Run("calc", "where(a >= 0, sqrt(a), -1) + 1 / a", "-b", $"a={a}", "-o", temp.File("o.tif"), "--out-nodata", "-9999");
        Assert.True(run.ExitCode == 0, run.Error);
        var values = SyntheticRaster.ReadAll(temp.File("o.tif"));
        // a = -4..3: a<0 -> -1 + 1/a; a=0 -> 1/0 = inf -> nodata; a>0 -> sqrt(a) + 1/a
        Assert.Equal([-1.25f, -1f - 1f / 3, -1.5f, -2f, -9999f, 2f, MathF.Sqrt(2) + 0.5f, MathF.Sqrt(3) + 1f / 3], values);
    }

    [Fact]
    public void Calc_DuplicateOrMalformedBand_IsBadUsage()
    {
        Assert.Equal(2, CliRunner.Run("calc", "a", "-b", "a=x.tif", "-b", "a=y.tif", "-o", "o.tif").ExitCode);
        var run = CliRunner.Run("calc", "a", "-b", "x.tif", "-o", "o.tif");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("expected NAME=FILE", run.ErrorLine);
    }

    /// <summary>
    /// Run as a process of its own, since a stack overflow cannot be caught: before the limits, 30 000 levels
    /// ended the process with SIGABRT (exit code 134) instead of an error line.
    /// </summary>
    [Theory]
    [InlineData(30_000, "expression error at column 10001: the expression is 60001 characters long; at most 10000 are allowed")]
    [InlineData(1_000, "expression error at column 257: the expression nests more than 256 levels deep; at most 256 are allowed")]
    public void Calc_NestedParenthesesPastTheLimits_ExitsWithBadUsageNamingTheLimit(int depth, string message)
    {
        using var temp = new TempFolder();
        var expression = new string('(', depth) + "a" + new string(')', depth);
        var (exitCode, error) = CliRunner.RunBinary("calc", expression, "-b", "a=" + temp.File("a.tif"), "-o", temp.File("o.tif"));
        Assert.Equal(2, exitCode);
        Assert.Equal($"tessera: error: {message}", error.Trim());
        Assert.Empty(temp.Files());
    }
}
