using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        // Byte and UInt16 are averaged in their own type by GDAL: the double mean plus a half, truncated (in double: a
        // float could round 124.9999994 up to 125). The others are averaged as float and converted as written.
        float value = type is RasterDataType.Byte or RasterDataType.UInt16
            ? (float)Math.Truncate(total / weight + 0.5)
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
    /// Averages a block's values 2 x 2 into <paramref name="half"/> (the block's offset and size even), on the thread
    /// that computed it. <paramref name="stored"/>: the values are already as the file stores them (integers rounded).
    /// </summary>
    public static void Halve(Window window, ReadOnlySpan<float> values, Span<float> half, RasterDataType type, float noData, bool stored) =>
        Halve(window.Width, window.Height, values, half, window.Width / 2, type, noData, stored);

    /// <summary>As above, for <paramref name="width"/> x <paramref name="height"/> values (both even), each half-size row
    /// written <paramref name="halfStride"/> values after the one before.</summary>
    public static void Halve(int width, int height, ReadOnlySpan<float> values, Span<float> half, int halfStride,
        RasterDataType type, float noData, bool stored)
    {
        var w = width / 2;
        for (var r = 0; r < height / 2; r++)
        {
            HalveRows(values.Slice(2 * r * width, width), values.Slice((2 * r + 1) * width, width),
                half.Slice(r * halfStride, w), type, noData, stored);
        }
    }

    /// <summary>One overview row from two rows of the level above (an exact ratio of 2): each output pixel the mean of
    /// the valid ones of its 2 x 2, summed row by row, left then right, the order GDAL sums in.</summary>
    public static void HalveRows(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> output, RasterDataType type, float noData,
        bool stored)
    {
        var rounding = type != RasterDataType.Float32 && !stored;
        var c = rounding ? 0 : HalveQuads(top, bottom, output, type, noData);
        for (; c < output.Length; c++)
        {
            output[c] = HalvePixel(top, bottom, c, type, noData, rounding);
        }
    }

    private static float HalvePixel(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, int c, RasterDataType type, float noData, bool rounding)
    {
        float a = top[2 * c], b = top[2 * c + 1], d = bottom[2 * c], e = bottom[2 * c + 1];
        if (rounding)
        {
            a = StoredValues.Round(a, type);
            b = StoredValues.Round(b, type);
            d = StoredValues.Round(d, type);
            e = StoredValues.Round(e, type);
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
        return Value(total, count, count, type, noData);
    }

    /// <summary>
    /// Four output pixels at a time (values as stored): where all sixteen sources are valid, summed in double in GDAL's
    /// order and converted as <see cref="Value"/> does; a group with a nodata source, or a mean equal to nodata, pixel by
    /// pixel. Answers how many output pixels it made (the rest, fewer than four, are left to the caller).
    /// </summary>
    private static unsafe int HalveQuads(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> output,
        RasterDataType type, float noData)
    {
        if (!Avx.IsSupported)
        {
            return 0;
        }
        var c = 0;
        var nd = Vector128.Create(noData);
        var quarter = Vector256.Create(0.25);
        var half = Vector256.Create(0.5);
        var halfFloat = Vector128.Create(0.5f);
        fixed (float* t = top)
        fixed (float* b = bottom)
        fixed (float* o = output)
        {
            for (; c + 4 <= output.Length; c += 4)
            {
                var t0 = Sse.LoadVector128(t + 2 * c);
                var t1 = Sse.LoadVector128(t + 2 * c + 4);
                var b0 = Sse.LoadVector128(b + 2 * c);
                var b1 = Sse.LoadVector128(b + 2 * c + 4);
                var valid = Sse.CompareOrdered(t0, t0) & Sse.CompareNotEqual(t0, nd)
                    & Sse.CompareOrdered(t1, t1) & Sse.CompareNotEqual(t1, nd)
                    & Sse.CompareOrdered(b0, b0) & Sse.CompareNotEqual(b0, nd)
                    & Sse.CompareOrdered(b1, b1) & Sse.CompareNotEqual(b1, nd);
                if (Sse.MoveMask(valid) != 0xF)
                {
                    Scalar(top, bottom, output, c, type, noData);
                    continue;
                }
                // Left and right of each pair (even and odd columns), per row, widened to double.
                var topLeft = Avx.ConvertToVector256Double(Sse.Shuffle(t0, t1, 0b10_00_10_00));
                var topRight = Avx.ConvertToVector256Double(Sse.Shuffle(t0, t1, 0b11_01_11_01));
                var bottomLeft = Avx.ConvertToVector256Double(Sse.Shuffle(b0, b1, 0b10_00_10_00));
                var bottomRight = Avx.ConvertToVector256Double(Sse.Shuffle(b0, b1, 0b11_01_11_01));
                var mean = Avx.Multiply(Avx.Add(Avx.Add(topLeft, topRight), Avx.Add(bottomLeft, bottomRight)), quarter);
                Vector128<float> value;
                switch (type)
                {
                    case RasterDataType.Float32:
                        value = Avx.ConvertToVector128Single(mean);
                        break;
                    case RasterDataType.Byte or RasterDataType.UInt16:
                        value = Avx.ConvertToVector128Single(Avx.RoundToZero(Avx.Add(mean, half)));
                        break;
                    default:
                    {
                        // Int16: rounded half away from zero in single precision (the mean of in-range values stays in range).
                        var f = Avx.ConvertToVector128Single(mean);
                        var signed = Sse.Or(Sse.And(f, Vector128.Create(-0f)), halfFloat);
                        value = Sse41.RoundToZero(Sse.Add(f, signed));
                        break;
                    }
                }
                if (Sse.MoveMask(Sse.CompareEqual(value, nd)) != 0)
                {
                    Scalar(top, bottom, output, c, type, noData); // a mean equal to nodata gets its replacement
                    continue;
                }
                Sse.Store(o + c, value);
            }
        }
        return c;

        static void Scalar(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> output, int c, RasterDataType type, float noData)
        {
            for (var k = c; k < c + 4; k++)
            {
                output[k] = HalvePixel(top, bottom, k, type, noData, rounding: false);
            }
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
