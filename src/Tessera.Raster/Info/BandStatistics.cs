namespace Tessera.Raster.Info;

/// <summary>
/// Exact statistics over a band's valid pixels (neither nodata nor NaN). Computed by reading the band in
/// strips, so memory stays bounded and nothing is written beside the file (no .aux.xml).
/// Min/Max/Mean/StdDev are null when no pixel is valid.
/// </summary>
public sealed record BandStatistics(long Count, long ValidCount, double? Min, double? Max, double? Mean, double? StdDev)
{
    private const int TargetStripPixels = 1 << 20;

    public static BandStatistics Compute(RasterDataset ds, int band)
    {
        var info = ds.Band(band);
        var noData = info.NoData;
        var rowsPerStrip = Math.Max(1, Math.Min(ds.Height, TargetStripPixels / Math.Max(1, ds.Width)));
        var buffer = new double[(long)rowsPerStrip * ds.Width];
        long valid = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        // Welford's running mean and variance: stable over hundreds of millions of pixels.
        double mean = 0, m2 = 0;
        for (var row = 0; row < ds.Height; row += rowsPerStrip)
        {
            var window = new Window(0, row, ds.Width, Math.Min(rowsPerStrip, ds.Height - row));
            var values = buffer.AsSpan(0, (int)window.PixelCount);
            ds.Read(band, window, values);
            foreach (var v in values)
            {
                if (double.IsNaN(v) || (noData is { } nd && v == nd))
                {
                    continue;
                }
                valid++;
                var delta = v - mean;
                mean += delta / valid;
                m2 += delta * (v - mean);
                if (v < min)
                {
                    min = v;
                }
                if (v > max)
                {
                    max = v;
                }
            }
        }
        var count = (long)ds.Width * ds.Height;
        return valid == 0
            ? new BandStatistics(count, 0, null, null, null, null)
            : new BandStatistics(count, valid, min, max, mean, Math.Sqrt(m2 / valid));
    }
}
