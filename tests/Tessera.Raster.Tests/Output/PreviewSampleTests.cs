using Tessera.Raster.Blocks;
using Tessera.Raster.Output;
using Tessera.Raster.Rendering;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Output;

/// <summary>
/// The preview's sample kept as a COG is written in the pass: the values numpy takes from the file's own overviews,
/// left only where asked (the service's processing), and a preview drawn from it that does not read the pixels.
/// </summary>
public class PreviewSampleTests
{
    private static string Write(TempFolder temp, int width, int height, int bands, int maxSide, bool keep)
    {
        var path = temp.File("result.tif");
        var grid = SyntheticRaster.Grid(width, height);
        using (keep ? RasterOutput.KeepPreviewSample(path, maxSide) : null)
        using (var output = RasterOutput.Begin(path, new OutputOptions(), grid, RasterDataType.Float32,
            Enumerable.Range(1, bands).Select(b => $"b{b}").ToList(), double.NaN))
        {
            BlockEngine.Run(new BlockJob(grid, [], bands, () => new FieldKernel(100, bands), double.NaN), output);
            output.Commit();
            Assert.True(output.WrittenInPass);
        }
        return path;
    }

    [Theory]
    [InlineData(3000, 2200, 1, 1024)] // from the first overview level (1500 x 1100)
    [InlineData(6000, 4000, 3, 700)] // from the third (750 x 500), three bands
    [InlineData(1200, 900, 1, 1024)] // no level that large: the full resolution
    public void TheSample_IsWhatNumpyTakesFromTheOverviews(int width, int height, int bands, int maxSide)
    {
        using var temp = new TempFolder();
        var path = Write(temp, width, height, bands, maxSide, keep: true);
        var sample = RasterSample.TryRead(RasterOutput.PreviewSamplePath(path));
        Assert.NotNull(sample);
        var reference = PythonReference.Run("preview_sample.py", new { path, maxSide, bands });
        Assert.Equal(reference.GetProperty("width").GetInt32(), sample.Width);
        Assert.Equal(reference.GetProperty("height").GetInt32(), sample.Height);
        for (var b = 1; b <= bands; b++)
        {
            var expected = reference.GetProperty("bands")[b - 1].EnumerateArray()
                .Select(v => v.ValueKind == System.Text.Json.JsonValueKind.Null ? float.NaN : v.GetSingle()).ToArray();
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), sample.Planes[b].Select(v => float.IsNaN(v) ? BitConverter.SingleToInt32Bits(float.NaN) : BitConverter.SingleToInt32Bits(v)));
        }
        Assert.Contains(sample.Planes[1], float.IsNaN);

        // The preview drawn from it: the same picture as from the file, and a histogram numpy agrees with.
        var kept = Preview.Render(path, maxSide, sample: sample);
        var read = Preview.Render(path, maxSide);
        Assert.Equal((read.Width, read.Height), (kept.Width, kept.Height));
        var histograms = kept.Legend.Histograms!;
        Assert.Equal(bands == 1 ? 1 : 3, histograms.Count);
        var ranges = histograms.Select(x => new[] { x.Min, x.Max }).ToArray();
        var numpy = PythonReference.Run("preview_sample.py", new { path, maxSide, bands, ranges });
        for (var i = 0; i < histograms.Count; i++)
        {
            var h = numpy.GetProperty("histograms")[i];
            Assert.Equal(h.GetProperty("counts").EnumerateArray().Select(x => x.GetInt64()), histograms[i].Counts);
            Assert.Equal(h.GetProperty("below").GetInt64(), histograms[i].Below);
            Assert.Equal(h.GetProperty("above").GetInt64(), histograms[i].Above);
        }
    }

    [Fact]
    public void NoSample_UnlessAskedForThatOutput()
    {
        using var temp = new TempFolder();
        var path = Write(temp, 3000, 2200, 1, 1024, keep: false);
        Assert.False(File.Exists(RasterOutput.PreviewSamplePath(path)));
        Assert.Single(Directory.GetFiles(temp.Path));
    }
}
