using System.Diagnostics;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

public class TerminalTests
{
    private static string Input(TempFolder temp)
    {
        var grid = SyntheticRaster.Grid(700, 700);
        SyntheticRaster.Write<ushort>(temp.File("nir.tif"), grid, (c, r) => (ushort)(3000 + c));
        return SyntheticRaster.Write<ushort>(temp.File("red.tif"), grid, (c, r) => (ushort)(1000 + r));
    }

    [Fact]
    public void ProgressBar_OnTerminal_ShowsBlocksAndCogStage()
    {
        using var temp = new TempFolder();
        var red = Input(temp);
        var run = CliRunner.Run(terminal: true, "index", "ndvi", "--nir", temp.File("nir.tif"), "--red", red, "-o", temp.File("o.tif"), "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("100% compute 4/4 blocks", run.Error);
        Assert.Contains("write COG", run.Error);
    }

    [Fact]
    public void Quiet_OrNotATerminal_PrintsNothing()
    {
        using var temp = new TempFolder();
        var red = Input(temp);
        var quiet = CliRunner.Run(terminal: true, "index", "ndvi", "--nir", temp.File("nir.tif"), "--red", red, "-o", temp.File("o.tif"), "--quiet");
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal(string.Empty, quiet.Error);
        var piped = CliRunner.Run(terminal: false, "index", "ndvi", "--nir", temp.File("nir.tif"), "--red", red, "-o", temp.File("p.tif"));
        Assert.Equal(string.Empty, piped.Error);
    }

    /// <summary>Quick commands end while GDAL may still be loading in the background: the process must still
    /// exit cleanly with the command's own code (a crash at exit would be 139).</summary>
    [Fact]
    public void Binary_QuickCommands_ExitWithTheirOwnCode()
    {
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(0, CliRunner.RunBinary("--help").ExitCode);
            Assert.Equal(2, CliRunner.RunBinary("index", "gndvi", "--nir", "a", "--red", "b", "-o", "x.tif").ExitCode);
        }
        var missing = CliRunner.RunBinary("info", "/no/such.tif");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("tessera: error: /no/such.tif: file not found", missing.Error.Trim());
    }

    [Fact]
    public void MissingGdalLibrary_SaysHowToInstall()
    {
        var tessera = Path.Combine(AppContext.BaseDirectory, "tessera.dll");
        var start = new ProcessStartInfo("dotnet", [tessera, "info", "x.tif"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["TESSERA_GDAL_LIBRARY"] = "/nonexistent/libgdal.so.99";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
        Assert.StartsWith("tessera: error: GDAL library not found (tried /nonexistent/libgdal.so.99)", error);
        Assert.Contains("install GDAL 3.4 or newer", error);
    }
}
