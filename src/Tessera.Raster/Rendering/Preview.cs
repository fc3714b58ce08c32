namespace Tessera.Raster.Rendering;

/// <summary>A picture of a whole raster (PNG, longest side at most a given size) and its legend.</summary>
public sealed record Preview(byte[] Png, int Width, int Height, Legend Legend)
{
    /// <summary>
    /// Draws <paramref name="path"/> in its default style (see <see cref="RenderStyles.Default"/>), from
    /// <paramref name="sample"/> when one was kept as the raster was written (of that size; the file's header alone is
    /// read then), else from the file's pixels (GDAL reads the matching overview). The legend carries a histogram of the
    /// values drawn.
    /// </summary>
    public static Preview Render(string path, int maxSide = 1024, KnownStyle? known = null, RasterSample? sample = null)
    {
        if (maxSide < 16)
        {
            throw new RasterArgumentException($"a preview of {maxSide} pixels is too small (16 at least)");
        }
        using var dataset = RasterDataset.Open(path);
        var bands = dataset.Bands;
        var wanted = Enumerable.Range(1, Math.Min(3, bands.Count)).ToList();
        if (sample is null || (sample.Width, sample.Height) != RasterSample.SizeFor(dataset.Width, dataset.Height, maxSide)
            || !wanted.All(sample.Planes.ContainsKey))
        {
            sample = RasterSample.Read(dataset, wanted, maxSide);
        }
        var style = RenderStyles.Default(bands, sample.Stretch, known);
        var rgba = Renderer.Render(style, style.Bands.Select(b => sample.Planes[b]).ToList(), sample.Width, sample.Height);
        var legend = Legend.Of(style, bands);
        legend = legend with { Histograms = LegendHistogram.Of(style, sample) };
        return new Preview(ImageEncoder.Encode(rgba, sample.Width, sample.Height, ImageFormat.Png), sample.Width, sample.Height, legend);
    }
}
