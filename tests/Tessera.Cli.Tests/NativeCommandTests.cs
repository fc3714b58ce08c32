using System.Diagnostics;
using System.Runtime.InteropServices;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// The commands on files compiled ahead of time (Tessera.Cli.Native, published as the launcher's native/tessera) are
/// the same commands: published here, each runs a command line and must print the same, exit with the same code and
/// write the same files (rasters the same to the pixel, with the same metadata; other files the same bytes) as the command
/// run in-process on the .NET runtime.
/// </summary>
[Collection(NativeProgramCollection.Name)]
public sealed class NativeCommandTests(NativeProgram native) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string S2(string band) => SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif");

    private static string L8(string band) => SampleData.File($"LC80200392015216LGN00_{band}.tif");

    /// <summary>Command lines; OUT and REPORT stand for the output and the side file, written in each run's own folder.</summary>
    public static TheoryData<string, string[]> CommandLines()
    {
        if (!SampleData.IsAvailable)
        {
            return new TheoryData<string, string[]> { { "none", [] } };
        }
        var ndvi = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var clm = SampleData.File("S2_slovenia_CLM_68dates.tif");
        return new TheoryData<string, string[]>
        {
            { "index ndvi to the default COG", ["index", "ndvi", "--nir", S2("B08"), "--red", S2("B04"), "-o", "OUT.tif"] },
            { "index evi to a plain GeoTIFF", ["index", "evi", "--nir", S2("B08"), "--red", S2("B04"), "--blue", S2("B02"), "-o", "OUT.tif", "--of", "GTiff"] },
            { "calc to Int16 with DEFLATE", ["calc", "where(a > b, a - b, 0)", "-b", "a=" + S2("B08"), "-b", "b=" + S2("B04"), "-o", "OUT.tif", "-ot", "int16", "--co", "COMPRESS=DEFLATE"] },
            { "merge, resampled", ["merge", "-o", "OUT.tif", S2("B04"), S2("B11"), $"{S2("B01")}@1", "-r", "bilinear"] },
            { "crop to a box", ["crop", S2("B04"), "-o", "OUT.tif", "--bbox", "209980,2700020,219980,2710020", "--bbox-crs", "EPSG:32629"] },
            { "mosaic of two scenes", ["mosaic", SampleData.File("L8_mosaic_cog1_utm18n.tif"), SampleData.File("L8_mosaic_cog2_utm18n.tif"), "-o", "OUT.tif"] },
            { "zonal statistics to CSV", ["zonal", "--zones", SampleData.File("S2_slovenia_LULC_polygons_epsg32633.geojson"), ndvi, "-o", "OUT.csv", "--all-touched"] },
            { "cloud removal with its report", ["cloud-remove", "--cloudy", $"{ndvi}@48", "--clear", $"{ndvi}@47", "--mask", $"{clm}@48", "-o", "OUT.tif", "--report", "REPORT.json"] },
            { "clearest composite", ["composite", $"{ndvi}@47", $"{ndvi}@48", "--masks", $"{clm}@47", $"{clm}@48", "--method", "clearest", "-o", "OUT.tif"] },
            { "pan-sharpening with its quality", ["pansharpen", "--pan", L8("B8"), "--ms", L8("B2"), L8("B3"), L8("B4"), "--method", "hpf", "--quality", "REPORT.json", "-o", "OUT.tif"] },
            { "info as JSON with statistics", ["info", S2("B08"), "--json", "--stats"] },
            { "info as text", ["info", SampleData.File("L8_mosaic_cog2_epsg4326.tif")] },
            { "an unknown index", ["index", "gndvi", "--nir", S2("B08"), "--red", S2("B04"), "-o", "OUT.tif"] },
            { "a missing input", ["calc", "a * 2", "-b", "a=/no/such.tif", "-o", "OUT.tif"] },
            { "a bad option", ["merge", "--no-such-option", S2("B04"), "-o", "OUT.tif"] },
        };
    }

    [SampleDataTheory]
    [MemberData(nameof(CommandLines))]
    public void TheNativeProgram_PrintsAndWritesWhatTheCommandDoes(string what, string[] args)
    {
        Assert.NotEmpty(args);
        var inProcess = Directory.CreateDirectory(_folder.File("in-process")).FullName;
        var compiled = Directory.CreateDirectory(_folder.File("native")).FullName;
        string[] In(string folder) => [.. args.Select(a => a.Replace("OUT", Path.Combine(folder, "out")).Replace("REPORT", Path.Combine(folder, "report"))), "-q"];

        var expected = CliRunner.Run(args[0] == "info" ? [.. In(inProcess).SkipLast(1)] : In(inProcess));
        var actual = native.Run(args[0] == "info" ? [.. In(compiled).SkipLast(1)] : In(compiled));

        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit code {actual.ExitCode} instead of {expected.ExitCode}: {actual.Error}");
        Assert.Equal(expected.Out.Replace(inProcess, "FOLDER"), actual.Out.Replace(compiled, "FOLDER"));
        Assert.Equal(expected.Error.Replace(inProcess, "FOLDER"), actual.Error.Replace(compiled, "FOLDER"));
        var written = Directory.GetFiles(inProcess).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(written, Directory.GetFiles(compiled).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(expected.ExitCode == 0 && args[0] != "info", written.Count > 0);
        foreach (var file in written)
        {
            var (a, b) = (Path.Combine(inProcess, file!), Path.Combine(compiled, file!));
            if (file!.EndsWith(".tif", StringComparison.Ordinal))
            {
                // Tiles written in parallel land in the file in any order: the rasters are compared, by GDAL's Python bindings.
                var differences = PythonReference.Run("same_raster.py", new { a, b }).GetProperty("differences").EnumerateArray().Select(d => d.GetString());
                Assert.True(!differences.Any(), $"{what}: {file}: {string.Join("; ", differences)}");
            }
            else
            {
                Assert.True(File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)), $"{what}: {file} differs");
            }
        }
    }
}

/// <summary>The commands on files published ahead of time (as scripts/lib/deps.sh publishes them), once for the tests that run it.</summary>
public sealed class NativeProgram : IDisposable
{
    private readonly TempFolder _folder = new();

    public NativeProgram()
    {
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var start = new ProcessStartInfo("dotnet", ["publish", System.IO.Path.Combine(Repository.Root, "src", "Tessera.Cli.Native"), "-c", "Release", "-r", rid,
            "-o", _folder.Path, "-nologo", "-clp:ErrorsOnly"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var error = publish.StandardError.ReadToEnd();
        publish.WaitForExit();
        Path = System.IO.Path.Combine(_folder.Path, "tessera");
        if (publish.ExitCode != 0 || !File.Exists(Path))
        {
            throw new InvalidOperationException($"publishing Tessera.Cli.Native failed ({publish.ExitCode}): {output.Result}{error}");
        }
    }

    /// <summary>The published program.</summary>
    public string Path { get; }

    public (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the native program did not finish in 2 minutes");
        return (process.ExitCode, output.Result, error);
    }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class NativeProgramCollection : ICollectionFixture<NativeProgram>
{
    public const string Name = "native program";
}
