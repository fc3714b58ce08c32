using Tessera.Processing.Calculation;
using Tessera.Raster;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Radiometry;

/// <summary>
/// One band of digital numbers made reflectance by a linear calibration, <c>DN x Gain + Bias</c> (Landsat's TOA
/// reflectance is <c>(M x DN + A) / sin(sun elevation)</c>; Sentinel-2 L1C's <c>(DN + offset) / quantification</c>), nodata
/// kept as nodata; optionally less the haze a dark object shows (DOS1: the darkest value held by a given share of the
/// pixels is taken to be 1 % reflectance), clamped at 0. One Float32 band, written as a COG.
/// </summary>
public static class Reflectance
{
    /// <summary>What a dark object reflects, by DOS1's assumption.</summary>
    public const double DarkObjectReflectance = 0.01;

    /// <summary>The share of the valid pixels that must hold a value for it to count as the dark object.</summary>
    public const double DarkObjectShare = 0.0001;

    /// <param name="haze">Subtracted after calibration, the result clamped at 0 (<see cref="Haze"/>); null: TOA as is.</param>
    public static void Write(string input, int band, string output, double gain, double bias, double? noData, double? haze, string description,
        IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var offset = bias - (haze ?? 0);
        Calculator.Run(new CalculationRequest([new BandInput("dn", $"{input}@{band}", gain, offset, noData)],
            haze is null ? "dn" : "max(dn, 0)", output, description), progress, cancellationToken);
    }

    /// <summary>
    /// DOS1's haze of a band: the calibrated value of its dark object (the lowest digital number held by at least
    /// <see cref="DarkObjectShare"/> of its valid pixels, one at least) less <see cref="DarkObjectReflectance"/>; null
    /// when the band has no valid pixel.
    /// </summary>
    public static double? Haze(string input, int band, double gain, double bias, double? noData, CancellationToken cancellationToken = default)
    {
        using var ds = RasterDataset.Open(input);
        var counts = new SortedDictionary<double, long>();
        var rows = Math.Max(1, (1 << 20) / Math.Max(1, ds.Width));
        var buffer = new float[ds.Width * rows];
        long valid = 0;
        for (var row = 0; row < ds.Height; row += rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = new Window(0, row, ds.Width, Math.Min(rows, ds.Height - row));
            var values = buffer.AsSpan(0, (int)window.PixelCount);
            ds.Read(band, window, values);
            foreach (var v in values)
            {
                if (float.IsNaN(v) || (noData is { } nd && v == nd))
                {
                    continue;
                }
                counts[v] = counts.GetValueOrDefault(v) + 1;
                valid++;
            }
        }
        var needed = Math.Max(1, (long)Math.Ceiling(DarkObjectShare * valid));
        foreach (var (value, count) in counts)
        {
            if (count >= needed)
            {
                return value * gain + bias - DarkObjectReflectance;
            }
        }
        return null;
    }
}
