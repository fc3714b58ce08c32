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
            var values = sample.Planes[b].Where(float.IsFinite).ToArray();
            if (values.Length == 0)
            {
                bands.Add(new Band(b, labels[b - 1], 0, null, null, null, null, null, null, null));
                continue;
            }
            Array.Sort(values);
            var mean = values.Average(v => (double)v);
            var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            var (min, max) = ((double)values[0], (double)values[^1]);
            // The stretch's percentiles and the histogram as the previews' legend takes them, over this band's whole range.
            var (p2, p98) = ((double)values[ValueRange.NearestRank(2, values.Length)], (double)values[ValueRange.NearestRank(98, values.Length)]);
            var counts = LegendHistogram.Count(b, values, new ValueRange(min, max), bins).Counts;
            bands.Add(new Band(b, labels[b - 1], values.Length, min, max, mean, std, p2, p98, new Histogram(min, max, counts)));
        }
        return new Result(width, height, bands);
    }
}
