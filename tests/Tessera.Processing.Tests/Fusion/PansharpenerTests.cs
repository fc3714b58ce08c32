using Tessera.Processing.Fusion;
using Tessera.Raster;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Fusion;

/// <summary>Pan-sharpening of the Landsat 8 B8 pan with B2/B3/B4: every method runs on the pan grid and keeps its defining property.</summary>
public sealed class PansharpenerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string L8(string band) => SampleData.File($"LC80200392015216LGN00_{band}.tif");

    private static readonly string[] Ms = [L8("B2"), L8("B3"), L8("B4")];

    private string Sharpen(PansharpenMethod method, IReadOnlyList<double>? weights = null)
    {
        var output = _folder.File($"{method}.tif");
        Pansharpener.Run(new PansharpenRequest(L8("B8"), Ms, output, method, weights, Output: new OutputOptions(OutputFormats.GTiff),
            OutputType: RasterDataType.Float32));
        return output;
    }

    [SampleDataTheory]
    [InlineData(PansharpenMethod.Brovey, null)]
    [InlineData(PansharpenMethod.WeightedBrovey, new[] { 0.2, 0.3, 0.5 })]
    [InlineData(PansharpenMethod.Ihs, null)]
    public void TheWeightedMeanOfTheSharpenedBands_IsThePan(PansharpenMethod method, double[]? weights)
    {
        var output = Sharpen(method, weights);

        using var result = RasterDataset.Open(output);
        using var pan = RasterDataset.Open(L8("B8"));
        Assert.Equal((pan.Width, pan.Height, 3), (result.Width, result.Height, result.BandCount)); // the pan's grid
        Assert.Equal(pan.GeoTransform, result.GeoTransform);
        var p = SyntheticRaster.ReadAll(L8("B8"));
        var bands = Enumerable.Range(1, 3).Select(b => SyntheticRaster.ReadAll(output, b)).ToArray();
        var w = weights ?? [1.0, 1.0, 1.0];
        var checkedPixels = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (float.IsNaN(bands[0][i]) || p[i] == 0)
            {
                continue;
            }
            var mean = (w[0] * bands[0][i] + w[1] * bands[1][i] + w[2] * bands[2][i]) / w.Sum();
            Assert.True(Math.Abs(mean - p[i]) <= 1e-3 * p[i], $"pixel {i}: weighted mean {mean}, pan {p[i]}");
            checkedPixels++;
        }
        Assert.True(checkedPixels > 1_000_000);
    }

    [SampleDataFact]
    public void Hpf_KeepsTheMultispectralValues_AtTheirResolution()
    {
        var output = Sharpen(PansharpenMethod.Hpf);
        var result = PythonReference.Run("degraded_correlation.py", new { output, multispectral = Ms });
        Assert.All(result.GetProperty("bands").EnumerateArray(), b => Assert.True(b.GetProperty("correlation").GetDouble() > 0.98, result.ToString()));
    }

    [SampleDataFact]
    public void BadWeightsAndMethods_AreClearErrors()
    {
        var error = Assert.Throws<RasterArgumentException>(() => Pansharpener.Run(new PansharpenRequest(L8("B8"), Ms, _folder.File("x.tif"),
            PansharpenMethod.WeightedBrovey, [1.0, 2.0])));
        Assert.Equal("give 3 non-negative weights (one per multispectral band), not all zero", error.Message);
        Assert.StartsWith("gram-schmidt is not available yet", Assert.Throws<RasterArgumentException>(() => PansharpenMethods.Parse("gram-schmidt")).Message);
        Assert.Empty(_folder.Files());
    }

    public void Dispose() => _folder.Dispose();
}
