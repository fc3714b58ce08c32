namespace Tessera.Raster.Rendering;

/// <summary>A picture of a whole raster (PNG, longest side at most a given size) and its legend.</summary>
public sealed record Preview(byte[] Png, int Width, int Height, Legend Legend)
{
    /// <summary>Draws <paramref name="path"/> in its default style (see <see cref="RenderStyles.Default"/>).</summary>
    public static Preview Render(string path, int maxSide = 1024, KnownStyle? known = null)
    {
        if (maxSide < 16)
        {
            throw new RasterArgumentException($"a preview of {maxSide} pixels is too small (16 at least)");
        }
        using var dataset = RasterDataset.Open(path);
        var bands = dataset.Bands;
        var sample = RasterSample.Read(dataset, Enumerable.Range(1, Math.Min(3, bands.Count)), maxSide);
        var style = RenderStyles.Default(bands, sample.Stretch, known);
        var rgba = Renderer.Render(style, style.Bands.Select(b => sample.Planes[b]).ToList(), sample.Width, sample.Height);
        return new Preview(ImageEncoder.Encode(rgba, sample.Width, sample.Height, ImageFormat.Png), sample.Width, sample.Height,
            Legend.Of(style, bands));
    }
}
