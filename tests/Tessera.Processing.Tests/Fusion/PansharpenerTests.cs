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
    public void GramSchmidt_TheMeanOfTheSharpenedBands_IsThePanMatchedToTheIntensity()
    {
        // Σ w_k g_k = 1, so the mean of F_k = M_k + g_k (P' − I) is P' = a P + b, with a and b matching the pan's
        // mean and standard deviation to those of the intensity I (mean of the 30 m bands).
        var output = Sharpen(PansharpenMethod.GramSchmidt);

        var ms = Ms.Select(m => SyntheticRaster.ReadAll(m)).ToArray();
        var intensity = Enumerable.Range(0, ms[0].Length).Select(i => (ms[0][i] + ms[1][i] + ms[2][i]) / 3.0).ToArray();
        var p = SyntheticRaster.ReadAll(L8("B8"));
        static (double Mean, double Std) Moments(IReadOnlyCollection<double> v)
        {
            var mean = v.Average();
            return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Count));
        }
        var (meanI, stdI) = Moments(intensity);
        var (meanP, stdP) = Moments(p.Select(x => (double)x).ToArray());
        var a = stdI / stdP;
        var b = meanI - a * meanP;

        var bands = Enumerable.Range(1, 3).Select(k => SyntheticRaster.ReadAll(output, k)).ToArray();
        var checkedPixels = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (float.IsNaN(bands[0][i]))
            {
                continue;
            }
            var mean = (bands[0][i] + bands[1][i] + bands[2][i]) / 3.0;
            var expected = a * p[i] + b;
            Assert.True(Math.Abs(mean - expected) <= 1e-4 * Math.Abs(expected) + 0.05, $"pixel {i}: mean {mean}, a P + b = {expected}");
            checkedPixels++;
        }
        Assert.True(checkedPixels > 1_000_000);
        // And the bands keep their own character: each sharpened band averaged back to 30 m follows its original.
        var result = PythonReference.Run("degraded_correlation.py", new { output, multispectral = Ms });
        Assert.All(result.GetProperty("bands").EnumerateArray(), band => Assert.True(band.GetProperty("correlation").GetDouble() > 0.95, result.ToString()));
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
        Assert.Equal("unknown pan-sharpening method 'pca'; use brovey, weighted-brovey, ihs, gram-schmidt or hpf",
            Assert.Throws<RasterArgumentException>(() => PansharpenMethods.Parse("pca")).Message);
        Assert.Empty(_folder.Files());
    }

    public void Dispose() => _folder.Dispose();
}
