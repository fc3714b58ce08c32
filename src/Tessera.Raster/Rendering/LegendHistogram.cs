namespace Tessera.Raster.Rendering;

/// <summary>
/// The values of one band as drawn (the preview's sample), counted in equal bins over the range the legend maps, with
/// those below and above the range counted apart; nodata is left out.
/// </summary>
public sealed record LegendHistogram(int Band, double Min, double Max, IReadOnlyList<long> Counts, long Below, long Above)
{
    public const int Bins = 64;

    public static IReadOnlyList<LegendHistogram> Of(RenderStyle style, RasterSample sample) => style switch
    {
        ColormapStyle c => [Count(c.Band, sample.Planes[c.Band], c.Range)],
        RgbStyle s =>
        [
            Count(s.Red, sample.Planes[s.Red], s.RedRange),
            Count(s.Green, sample.Planes[s.Green], s.GreenRange),
            Count(s.Blue, sample.Planes[s.Blue], s.BlueRange),
        ],
        _ => [],
    };

    /// <param name="bins">How many equal bins span the range (the legend's <see cref="Bins"/> by default).</param>
    public static LegendHistogram Count(int band, ReadOnlySpan<float> values, ValueRange range, int bins = Bins)
    {
        var counts = new long[bins];
        long below = 0, above = 0;
        var width = range.Max - range.Min;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                continue;
            }
            if (v < range.Min)
            {
                below++;
            }
            else if (v > range.Max)
            {
                above++;
            }
            else
            {
                counts[width > 0 ? Math.Min(bins - 1, (int)((v - range.Min) / width * bins)) : 0]++;
            }
        }
        return new LegendHistogram(band, range.Min, range.Max, counts, below, above);
    }
}
