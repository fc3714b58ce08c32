using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// The engine's float values as a band of another type stores them, converted as GDAL converts on writing (rounded
/// half away from zero in single precision, held to the type's range), so a file written in the pass holds exactly
/// what GDAL would have stored from the same floats.
/// </summary>
internal static class StoredValues
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round(float value, RasterDataType type)
    {
        if (type == RasterDataType.Float32 || float.IsNaN(value))
        {
            return value;
        }
        var (min, max) = type switch
        {
            RasterDataType.Byte => (0f, 255f),
            RasterDataType.UInt16 => (0f, 65535f),
            _ => (-32768f, 32767f),
        };
        var rounded = value >= 0 ? value + 0.5f : value - 0.5f;
        return MathF.Truncate(Math.Clamp(rounded, min, max));
    }

    /// <summary>Rounds values in place as <see cref="Round"/> does (a no-op for Float32), a vector at a time.</summary>
    public static void RoundAll(Span<float> values, RasterDataType type)
    {
        if (type == RasterDataType.Float32)
        {
            return;
        }
        var (min, max) = type switch
        {
            RasterDataType.Byte => (0f, 255f),
            RasterDataType.UInt16 => (0f, 65535f),
            _ => (-32768f, 32767f),
        };
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var half = new Vector<float>(0.5f);
            var zero = Vector<float>.Zero;
            var low = new Vector<float>(min);
            var high = new Vector<float>(max);
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var k = 0; k < vectors.Length; k++)
            {
                var v = vectors[k];
                // NaN stays NaN (compared false both ways), as Round leaves it.
                var nan = ~Vector.Equals(v, v);
                var rounded = v + Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, zero), half, -half);
                var clamped = Vector.Min(Vector.Max(rounded, low), high);
                var truncated = Vector.ConvertToSingle(Vector.ConvertToInt32(clamped));
                vectors[k] = Vector.ConditionalSelect(nan, v, truncated);
            }
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            values[i] = Round(values[i], type);
        }
    }

    public static int Size(RasterDataType type) => type switch
    {
        RasterDataType.Byte => 1,
        RasterDataType.UInt16 or RasterDataType.Int16 => 2,
        RasterDataType.Float32 => 4,
        _ => throw new RasterArgumentException($"{type} is not written in the pass"),
    };

    /// <summary>The TIFF SampleFormat of a type: 1 unsigned, 2 signed, 3 floating point.</summary>
    public static ushort SampleFormat(RasterDataType type) => type switch
    {
        RasterDataType.Int16 => 2,
        RasterDataType.Float32 => 3,
        _ => 1,
    };
}
