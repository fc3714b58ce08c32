using System.Runtime.CompilerServices;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// GDAL's AVERAGE overview resampling, computed the same way: each overview pixel covers its share of the level above
/// (whole pixels when the ratio is exactly 2, fractional edge weights otherwise), nodata and NaN left out, nodata where
/// nothing valid is covered; the mean rounded to nearest for Byte and UInt16, converted as written for Int16 and
/// Float32; a mean that happens to equal nodata nudged to the value next to it.
/// </summary>
internal static class OverviewAveraging
{
    /// <summary>The overview value from a weighted sum (<paramref name="count"/> valid source pixels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Value(double total, double weight, int count, RasterDataType type, float noData)
    {
        if (count == 0)
        {
            return noData;
        }
        float value = type is RasterDataType.Byte or RasterDataType.UInt16
            ? MathF.Truncate((float)(total / weight + 0.5))
            : StoredValues.Round((float)(total / weight), type);
        return value == noData ? Replacement(type, noData) : value;
    }

    /// <summary>The value GDAL stores instead of a computed one equal to nodata.</summary>
    public static float Replacement(RasterDataType type, float noData) => type switch
    {
        RasterDataType.Float32 => noData == float.MaxValue ? MathF.BitDecrement(noData) : MathF.BitIncrement(noData),
        RasterDataType.Byte => noData == 255 ? 254 : noData + 1,
        RasterDataType.UInt16 => noData == 65535 ? 65534 : noData + 1,
        _ => noData == 32767 ? 32766 : noData + 1,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Valid(float value, float noData) => !float.IsNaN(value) && value != noData;

    /// <summary>
    /// Averages a block's stored values 2 x 2 into <paramref name="half"/> (the block's offset and size even), on the
    /// thread that computed it.
    /// </summary>
    public static void Halve(Window window, ReadOnlySpan<float> values, Span<float> half, RasterDataType type, float noData)
    {
        var w = window.Width / 2;
        for (var r = 0; r < window.Height / 2; r++)
        {
            HalveRows(values.Slice(2 * r * window.Width, window.Width), values.Slice((2 * r + 1) * window.Width, window.Width),
                half.Slice(r * w, w), type, noData);
        }
    }

    /// <summary>One overview row from two rows of the level above (an exact ratio of 2): each output pixel the mean of
    /// the valid ones of its 2 x 2, summed row by row, left then right, the order GDAL sums in.</summary>
    public static void HalveRows(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> output, RasterDataType type, float noData)
    {
        var integer = type != RasterDataType.Float32;
        var nanNoData = float.IsNaN(noData);
        for (var c = 0; c < output.Length; c++)
        {
            float a = top[2 * c], b = top[2 * c + 1], d = bottom[2 * c], e = bottom[2 * c + 1];
            if (integer)
            {
                a = StoredValues.Round(a, type);
                b = StoredValues.Round(b, type);
                d = StoredValues.Round(d, type);
                e = StoredValues.Round(e, type);
            }
            // The common case first: all four valid.
            if (nanNoData ? !(float.IsNaN(a) | float.IsNaN(b) | float.IsNaN(d) | float.IsNaN(e))
                : !(float.IsNaN(a) | float.IsNaN(b) | float.IsNaN(d) | float.IsNaN(e)) && a != noData && b != noData && d != noData && e != noData)
            {
                output[c] = Value(((double)a + b) + ((double)d + e), 4, 4, type, noData);
                continue;
            }
            double line = 0, total = 0;
            var count = 0;
            Take(a, noData, ref line, ref count);
            Take(b, noData, ref line, ref count);
            total += line;
            line = 0;
            Take(d, noData, ref line, ref count);
            Take(e, noData, ref line, ref count);
            total += line;
            output[c] = Value(total, count, count, type, noData);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(float value, float noData, ref double line, ref int count)
    {
        if (Valid(value, noData))
        {
            line += value;
            count++;
        }
    }
}
