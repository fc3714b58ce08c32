using Tessera.Raster.Info;
using Tessera.Raster.Rendering;

namespace Tessera.Raster.Analysis;

/// <summary>
/// Statistics for drawing a raster (TiTiler's <c>/statistics</c>): each band's valid count, min, max, mean, standard
/// deviation, 2nd and 98th percentiles and a histogram over min..max, computed on the raster read small (at most
/// <c>maxSide</c> pixels a side, from its overviews): what a stretch and a histogram need, at once for any size.
/// </summary>
public static class SampleStatistics
{
    public sealed record Histogram(double Min, double Max, IReadOnlyList<long> Counts);

    public sealed record Band(int Index, string Label, long Valid, double? Min, double? Max, double? Mean, double? Std, double? P2, double? P98,
        Histogram? Histogram);

    public sealed record Result(int SampleWidth, int SampleHeight, IReadOnlyList<Band> Bands);

    public static Result Of(RasterDataset raster, int maxSide = 1024, int bins = 64)
    {
        var labels = BandLabels.Of(raster);
        var bands = new List<Band>(raster.BandCount);
        var (width, height) = RasterSample.SizeFor(raster.Width, raster.Height, maxSide);
        for (var b = 1; b <= raster.BandCount; b++)
        {
            // A band at a time: memory is one band's sample, however many bands the raster has.
            var sample = RasterSample.Read(raster, [b], maxSide);
            var values = sample.Planes[b].Where(float.IsFinite).Select(v => (double)v).ToArray();
            if (values.Length == 0)
            {
                bands.Add(new Band(b, labels[b - 1], 0, null, null, null, null, null, null, null));
                continue;
            }
            Array.Sort(values);
            var mean = values.Average();
            var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            var (min, max) = (values[0], values[^1]);
            var counts = new long[bins];
            foreach (var v in values)
            {
                counts[max > min ? Math.Min(bins - 1, (int)((v - min) / (max - min) * bins)) : 0]++;
            }
            bands.Add(new Band(b, labels[b - 1], values.Length, min, max, mean, std, Rank(values, 2), Rank(values, 98), new Histogram(min, max, counts)));
        }
        return new Result(width, height, bands);
    }

    /// <summary>The nearest-rank percentile of sorted values, as the previews' stretch takes it.</summary>
    private static double Rank(double[] sorted, double percentile) =>
        sorted[(int)Math.Clamp(Math.Round(percentile / 100 * (sorted.Length - 1)), 0, sorted.Length - 1)];
}
