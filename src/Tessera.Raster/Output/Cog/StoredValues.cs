using System.Runtime.CompilerServices;

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
