namespace Tessera.Raster;

/// <summary>Pixel data types, numbered as GDAL's <c>GDALDataType</c>.</summary>
public enum RasterDataType
{
    Unknown = 0,
    Byte = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Float64 = 7,
    CInt16 = 8,
    CInt32 = 9,
    CFloat32 = 10,
    CFloat64 = 11,
    UInt64 = 12,
    Int64 = 13,
    Int8 = 14,
}

/// <summary>Names, sizes and value ranges of <see cref="RasterDataType"/>.</summary>
public static class RasterDataTypes
{
    /// <summary>Parses the usual names ("float32", "UInt16", "byte", ...), case-insensitively.</summary>
    public static RasterDataType Parse(string name) =>
        name.Trim().ToLowerInvariant() switch
        {
            "byte" or "uint8" => RasterDataType.Byte,
            "int8" => RasterDataType.Int8,
            "uint16" => RasterDataType.UInt16,
            "int16" => RasterDataType.Int16,
            "uint32" => RasterDataType.UInt32,
            "int32" => RasterDataType.Int32,
            "float32" => RasterDataType.Float32,
            "float64" => RasterDataType.Float64,
            _ => throw new RasterArgumentException(
                $"unknown data type '{name}'; use byte, int8, uint16, int16, uint32, int32, float32 or float64"),
        };

    public static bool IsFloatingPoint(this RasterDataType type) =>
        type is RasterDataType.Float32 or RasterDataType.Float64;

    /// <summary>The default nodata value of an output of this type: NaN for floats, else the value
    /// furthest from typical data (the maximum of unsigned types, the minimum of signed ones), as gdal_calc does.</summary>
    public static double DefaultNoData(this RasterDataType type) =>
        type switch
        {
            RasterDataType.Byte => byte.MaxValue,
            RasterDataType.Int8 => sbyte.MinValue,
            RasterDataType.UInt16 => ushort.MaxValue,
            RasterDataType.Int16 => short.MinValue,
            RasterDataType.UInt32 => uint.MaxValue,
            RasterDataType.Int32 => int.MinValue,
            _ => double.NaN,
        };

    public static int SizeInBytes(this RasterDataType type) =>
        type switch
        {
            RasterDataType.Byte or RasterDataType.Int8 => 1,
            RasterDataType.UInt16 or RasterDataType.Int16 => 2,
            RasterDataType.UInt32 or RasterDataType.Int32 or RasterDataType.Float32 or RasterDataType.CInt16 => 4,
            RasterDataType.Float64 or RasterDataType.UInt64 or RasterDataType.Int64 or RasterDataType.CInt32
                or RasterDataType.CFloat32 => 8,
            RasterDataType.CFloat64 => 16,
            _ => 0,
        };

    /// <summary>The GDAL type of a managed element type.</summary>
    public static RasterDataType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? RasterDataType.Float32
        : typeof(T) == typeof(double) ? RasterDataType.Float64
        : typeof(T) == typeof(byte) ? RasterDataType.Byte
        : typeof(T) == typeof(sbyte) ? RasterDataType.Int8
        : typeof(T) == typeof(ushort) ? RasterDataType.UInt16
        : typeof(T) == typeof(short) ? RasterDataType.Int16
        : typeof(T) == typeof(uint) ? RasterDataType.UInt32
        : typeof(T) == typeof(int) ? RasterDataType.Int32
        : typeof(T) == typeof(ulong) ? RasterDataType.UInt64
        : typeof(T) == typeof(long) ? RasterDataType.Int64
        : throw new RasterArgumentException($"{typeof(T).Name} is not a raster element type");
}
