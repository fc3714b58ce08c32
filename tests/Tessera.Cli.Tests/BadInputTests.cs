using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>Every kind of bad input: one error line naming the problem, a non-zero exit code, no output left.</summary>
public class BadInputTests
{
    private static string S2(string band) => SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif");

    private static void AssertFailedCleanly(CliRunner.Result run, TempFolder temp, int exitCode, params string[] mentions)
    {
        Assert.Equal(exitCode, run.ExitCode);
        Assert.NotEmpty(run.ErrorLine);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, run.ErrorLine);
        }
        Assert.Empty(temp.Files());
    }

    [Theory]
    [InlineData("--lease", "0", "--lease: '0' is not allowed: a number of seconds from 1 to 86400")]
    [InlineData("--max-attempts", "0", "--max-attempts: '0' is not allowed: a whole number from 1 to 100")]
    [InlineData("--preview-size", "5", "--preview-size: '5' is not allowed: a whole number from 16 to 8192")]
    public void WorkerSettingsOutOfRange_AreUsageErrors(string option, string value, string message)
    {
        using var temp = new TempFolder();
        foreach (var command in new[] { "worker", "serve" })
        {
            var run = CliRunner.Run(command, "--data", temp.File("data"), option, value);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal(message, run.ErrorLine);
        }
        Assert.Empty(temp.Files());
    }

    [SampleDataFact]
    public void MissingFile_NamesTheFile()
    {
        using var temp = new TempFolder();
        var run = CliRunner.Run("index", "ndvi", "--nir", "/no/such/B08.tif", "--red", S2("B04"), "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 1, "/no/such/B08.tif", "file not found", "nir");
    }

    [SampleDataFact]
    public void NotARaster_SaysSo()
    {
        using var temp = new TempFolder();
        var text = SampleData.File("LC80200392015216LGN00_MTL.txt");
        var run = CliRunner.Run("index", "ndvi", "--nir", text, "--red", S2("B04"), "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 1, text, "not a raster");
    }

    [SampleDataFact]
    public void BandIndexOutOfRange_SaysHowManyBands()
    {
        using var temp = new TempFolder();
        var stack = SampleData.File("S2_L1C_slovenia_20150711_13bands.tif");
        var run = CliRunner.Run("index", "ndvi", "--nir", stack + "@20", "--red", stack + "@4", "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 1, "band 20 does not exist (the raster has 13 bands)", "nir");
    }

    [SampleDataFact]
    public void BandDescriptionNotFound_SaysSo()
    {
        using var temp = new TempFolder();
        var run = CliRunner.Run("index", "ndvi", "--nir", S2("B08") + "@B99", "--red", S2("B04"), "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 1, "no band described as 'B99'");
    }

    [SampleDataFact]
    public void NonOverlappingInputs_AreRefused()
    {
        using var temp = new TempFolder();
        var amazon = SampleData.File("LC08_L2SP_001062_20201031_20201106_02_T2_SR_B4.tif");
        var run = CliRunner.Run("index", "ndvi", "--nir", S2("B08"), "--red", amazon, "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 1, "does not overlap", "red");
    }

    [Fact]
    public void UnknownIndex_IsBadUsage()
    {
        using var temp = new TempFolder();
        var run = CliRunner.Run("index", "gndvi", "--nir", "a.tif", "--red", "b.tif", "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 2, "unknown index 'gndvi'", "ndvi, evi, ndwi, ndbi, bai, savi, msavi, nbr, nbr2, ndmi");
    }

    [Fact]
    public void MissingRole_IsBadUsage()
    {
        using var temp = new TempFolder();
        var run = CliRunner.Run("index", "evi", "--nir", "a.tif", "--red", "b.tif", "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 2, "EVI needs --blue");
    }

    [Fact]
    public void RoleTheIndexDoesNotUse_IsBadUsage()
    {
        using var temp = new TempFolder();
        var run = CliRunner.Run("index", "ndvi", "--nir", "a.tif", "--red", "b.tif", "--swir", "c.tif", "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 2, "NDVI does not use --swir");
    }

    [SampleDataFact]
    public void ExpressionSyntaxError_PointsAtTheColumn()
    {
        using var temp = new TempFolder();
        var run = CliRunner.Run("calc", "(a - b) / (a + ", "-b", "a=" + S2("B08"), "-b", "b=" + S2("B04"), "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 2, "expression error at column 16", "ends too early");
    }

    [SampleDataFact]
    public void ExpressionUnknownBand_PointsAtTheColumn()
    {
        using var temp = new TempFolder();
        var run = CliRunner.Run("calc", "(a - c) / (a + b)", "-b", "a=" + S2("B08"), "-b", "b=" + S2("B04"), "-o", temp.File("o.tif"));
        AssertFailedCleanly(run, temp, 2, "column 6", "unknown band 'c'");
    }

    [SampleDataFact]
    public void OutputFolderMissing_NamesThePath()
    {
        using var temp = new TempFolder();
        var output = temp.File("missing-folder/o.tif");
        var run = CliRunner.Run("index", "ndvi", "--nir", S2("B08"), "--red", S2("B04"), "-o", output);
        AssertFailedCleanly(run, temp, 1, output, "does not exist");
    }

    [SampleDataFact]
    public void OutputIsAFolder_NamesThePath()
    {
        using var temp = new TempFolder();
        var run = CliRunner.Run("index", "ndvi", "--nir", S2("B08"), "--red", S2("B04"), "-o", temp.Path);
        AssertFailedCleanly(run, temp, 1, temp.Path, "is a folder");
    }

    [SampleDataFact]
    public void OutputOnReadOnlyFileSystem_IsAnError()
    {
        using var temp = new TempFolder();
        // /proc refuses new files even to root, unlike a chmod-ed folder.
        var run = CliRunner.Run("index", "ndvi", "--nir", S2("B08"), "--red", S2("B04"), "-o", "/proc/ndvi.tif");
        AssertFailedCleanly(run, temp, 1, "/proc/ndvi.tif", "cannot write");
        Assert.False(File.Exists("/proc/ndvi.tif"));
    }

    [Fact]
    public void MissingRequiredOption_IsBadUsage()
    {
        var run = CliRunner.Run("index", "ndvi", "--nir", "a.tif", "--red", "b.tif");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--output", run.ErrorLine);
    }

    [Fact]
    public void UnknownFormatOrType_IsBadUsage()
    {
        using var temp = new TempFolder();
        AssertFailedCleanly(CliRunner.Run("index", "ndvi", "--nir", "a", "--red", "b", "-o", temp.File("o.tif"), "--of", "PNG"), temp, 2, "unknown output format 'PNG'");
        AssertFailedCleanly(CliRunner.Run("index", "ndvi", "--nir", "a", "--red", "b", "-o", temp.File("o.tif"), "--type", "complex"), temp, 2, "unknown data type 'complex'");
        AssertFailedCleanly(CliRunner.Run("index", "ndvi", "--nir", "a", "--red", "b", "-o", temp.File("o.tif"), "--scale", "x=1"), temp, 2, "'x' is not an input");
    }

    [Fact]
    public void Info_MissingFile_Fails()
    {
        var run = CliRunner.Run("info", "/no/such.tif");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("/no/such.tif: file not found", run.ErrorLine);
    }
}
