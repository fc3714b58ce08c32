using System.Globalization;
using System.Text;
using Tessera.Processing.Fusion;
using Tessera.Processing.Fusion.Quality;
using Tessera.Processing.Stacking;
using Tessera.Raster;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Fusion;

/// <summary>
/// Wald's protocol on the Landsat 8 B8 + B2/B3/B4 pair, for every method and for gdal_pansharpen.py and Orfeo
/// ToolBox's Pansharpening (rcs, lmvm, bayes) on the same degraded inputs, measured by the same code. The table is
/// written to artifacts/quality/landsat8.md (docs/QUALITY.md quotes it).
/// </summary>
public sealed class FusionQualityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string L8(string band) => SampleData.File($"LC80200392015216LGN00_{band}.tif");

    private static readonly string[] Ms = [L8("B2"), L8("B3"), L8("B4")];

    [SampleDataFact]
    public void OneMethod_BeatsGdalPansharpen_OnErgasAndSam()
    {
        var degraded = WaldProtocol.Degrade(L8("B8"), Ms, _folder.File("degraded"));
        Assert.Equal(2, degraded.Ratio);
        var results = new List<(string Tool, FusionComparison Result)>();

        foreach (var method in Enum.GetValues<PansharpenMethod>())
        {
            var fused = _folder.File($"{method.Name()}.tif");
            Pansharpener.Run(new PansharpenRequest(degraded.Pan, [degraded.Multispectral], fused, method,
                Output: new OutputOptions(OutputFormats.GTiff), OutputType: RasterDataType.Float32));
            results.Add(($"tessera {method.Name()}", WaldProtocol.Compare(fused, Ms, degraded)));
        }

        var gdal = _folder.File("gdal.tif");
        ExternalTool.Run("gdal_pansharpen.py", "-q", degraded.Pan,
            $"{degraded.Multispectral},band=1", $"{degraded.Multispectral},band=2", $"{degraded.Multispectral},band=3", gdal, "-of", "GTiff");
        var gdalResult = WaldProtocol.Compare(gdal, Ms, degraded);
        results.Add(("gdal_pansharpen.py (weighted Brovey, cubic)", gdalResult));
        // The measuring code itself agrees with an independent numpy implementation.
        var numpy = PythonReference.Run("fusion_quality.py", new { fused = gdal, reference = Ms, ratio = degraded.Ratio });
        Assert.Equal(numpy.GetProperty("pixels").GetInt64(), gdalResult.Pixels);
        foreach (var (name, ours) in new[] { ("ergas", gdalResult.Ergas), ("sam", gdalResult.Sam), ("q", gdalResult.Q) })
        {
            Assert.True(Math.Abs(numpy.GetProperty(name).GetDouble() - ours) <= 1e-6 * Math.Abs(ours), $"{name}: {ours} vs numpy {numpy}");
        }

        var superimposed = _folder.File("otb-xs.tif");
        ExternalTool.Run("otbcli_Superimpose", "-progress", "false", "-inr", degraded.Pan, "-inm", degraded.Multispectral, "-out", superimposed, "float");
        foreach (var method in new[] { "rcs", "lmvm", "bayes" })
        {
            var otb = _folder.File($"otb-{method}.tif");
            ExternalTool.Run("otbcli_Pansharpening", "-progress", "false", "-inp", degraded.Pan, "-inxs", superimposed, "-method", method, "-out", otb, "float");
            results.Add(($"otbcli_Pansharpening {method}", WaldProtocol.Compare(otb, Ms, degraded)));
        }

        WriteTable(results);
        foreach (var (tool, result) in results)
        {
            // Every fusion is close to the truth: a few percent of error, under a degree of angle, Q near 1.
            Assert.True(result.Ergas is > 0 and < 10 && result.Sam is > 0 and < 5 && result.Q is > 0.5 and <= 1, $"{tool}: {result}");
            Assert.True(result.Pixels > 300_000, $"{tool}: {result.Pixels} pixels compared");
        }
        var better = results.Where(r => r.Tool.StartsWith("tessera", StringComparison.Ordinal)
            && r.Result.Ergas < gdalResult.Ergas && r.Result.Sam < gdalResult.Sam).Select(r => r.Tool).ToList();
        Assert.True(better.Count > 0, $"no method beats gdal_pansharpen.py (ERGAS {gdalResult.Ergas}, SAM {gdalResult.Sam}) on both");
    }

    [SampleDataFact]
    public void ComparingTheOriginalWithItself_IsPerfect()
    {
        var degraded = WaldProtocol.Degrade(L8("B8"), Ms, _folder.File("degraded"));
        var original = _folder.File("original.tif");
        BandStacker.Run(new StackRequest(BandStacker.Expand(Ms), original, Output: new OutputOptions(OutputFormats.GTiff)));
        var result = WaldProtocol.Compare(original, Ms, degraded);
        Assert.Equal((0.0, 0.0), (result.Ergas, result.Sam));
        Assert.All(result.Bands, b => Assert.Equal((0.0, 0.0, 1.0), (b.Rmse, b.Bias, Math.Round(b.Q, 12))));
        Assert.Equal(627L * 603, result.Pixels);
    }

    private static void WriteTable(IEnumerable<(string Tool, FusionComparison Result)> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| tool and method | ERGAS | SAM (°) | Q (mean) | Q B2 / B3 / B4 |");
        text.AppendLine("| --- | ---: | ---: | ---: | --- |");
        foreach (var (tool, r) in results)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {tool} | {r.Ergas:F3} | {r.Sam:F3} | {r.Q:F4} | {string.Join(" / ", r.Bands.Select(b => b.Q.ToString("F4", CultureInfo.InvariantCulture)))} |"));
        }
        File.WriteAllText(Path.Combine(Artifacts.Folder("quality"), "landsat8.md"), text.ToString());
    }

    public void Dispose() => _folder.Dispose();
}
