using System.Globalization;

namespace Tessera.Raster.Rendering;

/// <summary>The values mapped to the low and high end of a ramp (or of a colour channel).</summary>
public readonly record struct ValueRange(double Min, double Max)
{
    /// <summary>Where <paramref name="value"/> falls, as a ramp index 0..255 (clamped).</summary>
    public int Index(double value)
    {
        var span = Max - Min;
        var t = span > 0 ? (value - Min) / span : 0.5;
        return (int)Math.Clamp(Math.Round(t * 255), 0, 255);
    }

    /// <summary>Parses "min,max" as in <c>rescale=-1,1</c>.</summary>
    public static ValueRange Parse(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            || !double.IsFinite(min) || !double.IsFinite(max) || max <= min)
        {
            throw new RasterArgumentException($"rescale '{text}' is not 'min,max' with min < max");
        }
        return new ValueRange(min, max);
    }

    /// <summary>
    /// The <paramref name="low"/> and <paramref name="high"/> percentiles (0..100) of the finite values,
    /// or null when there are none. The values are reordered.
    /// </summary>
    public static ValueRange? Percentiles(Span<float> values, double low = 2, double high = 98)
    {
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i]))
            {
                values[n++] = values[i];
            }
        }
        if (n == 0)
        {
            return null;
        }
        var finite = values[..n];
        finite.Sort();
        var min = (double)finite[NearestRank(low, n)];
        var max = (double)finite[NearestRank(high, n)];
        if (max <= min)
        {
            // A flat image: widen the range so that it still maps to the middle of the ramp.
            (min, max) = (min - 0.5, max + 0.5);
        }
        return new ValueRange(min, max);
    }

    /// <summary>Where the <paramref name="percentile"/> (0..100) of <paramref name="count"/> sorted values lies: the nearest rank.</summary>
    public static int NearestRank(double percentile, int count) => (int)Math.Clamp(Math.Round(percentile / 100 * (count - 1)), 0, count - 1);
}
