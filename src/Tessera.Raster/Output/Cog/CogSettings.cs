using System.Globalization;

namespace Tessera.Raster.Output.Cog;

/// <summary>TIFF compression schemes, numbered as the TIFF Compression tag.</summary>
internal enum TiffCompression
{
    None = 1,
    Lzw = 5,
    Deflate = 8,
    Zstd = 50000,
    Lerc = 34887,
}

/// <summary>What LERC's blob is compressed with afterwards (the second value of the TIFF's LERC_PARAMETERS tag).</summary>
internal enum LercPacking
{
    None = 0,
    Deflate = 1,
    Zstd = 2,
}

/// <summary>
/// What a COG written in the pass looks like, read from the same creation options as GDAL's COG driver
/// (<c>COMPRESS</c>, <c>LEVEL</c>, <c>PREDICTOR</c>, <c>BLOCKSIZE</c>, <c>OVERVIEWS</c>, <c>OVERVIEW_RESAMPLING</c> AVERAGE
/// or NEAREST, <c>OVERVIEW_COUNT</c>, <c>BIGTIFF</c>, <c>NUM_THREADS</c>). <see cref="TryParse"/> answers null for anything it does
/// not write itself (another compression such as JPEG or WEBP, another resampling, a type the averaging does not cover,
/// uncompressed bands, an odd-sized raster whose rows of blocks would take too much memory): GDAL's COG driver writes
/// those.
/// </summary>
internal sealed record CogSettings(
    TiffCompression Compression,
    int Level,
    int Predictor,
    int TileSize,
    int OverviewLevels,
    string BigTiff,
    bool NearestOverviews = false,
    double MaxZError = 0,
    LercPacking LercPacking = LercPacking.None)
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "COMPRESS", "LEVEL", "PREDICTOR", "BLOCKSIZE", "OVERVIEWS", "OVERVIEW_RESAMPLING", "OVERVIEW_COUNT", "BIGTIFF",
        "NUM_THREADS", "MAX_Z_ERROR",
    };

    public static CogSettings? TryParse(IReadOnlyList<string> options, int width, int height, int bands, RasterDataType type)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in options)
        {
            var parts = option.Split('=', 2);
            if (parts.Length != 2 || !Known.Contains(parts[0].Trim()))
            {
                return null;
            }
            values[parts[0].Trim()] = parts[1].Trim();
        }
        string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
        if (type is not (RasterDataType.Float32 or RasterDataType.Byte or RasterDataType.UInt16 or RasterDataType.Int16))
        {
            return null;
        }
        TiffCompression compression;
        var packing = LercPacking.None;
        switch (Get("COMPRESS", "NONE").ToUpperInvariant())
        {
            case "NONE": compression = TiffCompression.None; break;
            case "LZW": compression = TiffCompression.Lzw; break;
            case "DEFLATE": compression = TiffCompression.Deflate; break;
            case "ZSTD": compression = TiffCompression.Zstd; break;
            case "LERC": compression = TiffCompression.Lerc; break;
            case "LERC_DEFLATE": compression = TiffCompression.Lerc; packing = LercPacking.Deflate; break;
            case "LERC_ZSTD": compression = TiffCompression.Lerc; packing = LercPacking.Zstd; break;
            default: return null;
        }
        if (compression == TiffCompression.Lerc && !NativeCodecs.LercAvailable)
        {
            return null;
        }
        var zstdLevels = compression == TiffCompression.Zstd || packing == LercPacking.Zstd;
        var defaultLevel = zstdLevels ? 9 : 6;
        if (!int.TryParse(Get("LEVEL", defaultLevel.ToString(CultureInfo.InvariantCulture)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var level)
            || level < 1 || level > (zstdLevels ? 22 : 12))
        {
            return null;
        }
        if (!double.TryParse(Get("MAX_Z_ERROR", "0"), NumberStyles.Float, CultureInfo.InvariantCulture, out var maxZError)
            || !(maxZError >= 0) || double.IsInfinity(maxZError))
        {
            return null;
        }
        var floating = type == RasterDataType.Float32;
        int predictor;
        switch (Get("PREDICTOR", "NO").ToUpperInvariant())
        {
            case "NO" or "FALSE" or "1": predictor = 1; break;
            case "YES" or "TRUE" or "ON": predictor = floating ? 3 : 2; break;
            case "STANDARD" or "2": predictor = 2; break;
            case "FLOATING_POINT" or "3" when floating: predictor = 3; break;
            default: return null;
        }
        if (compression is TiffCompression.None or TiffCompression.Lerc)
        {
            predictor = 1; // as GDAL: a predictor only goes with a compression that uses one
        }
        if (compression == TiffCompression.None && bands > 1)
        {
            return null; // GDAL stores uncompressed bands one after the other (planar), which the pass does not write
        }
        if (!int.TryParse(Get("BLOCKSIZE", "512"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tile) || tile < 16 || tile % 16 != 0)
        {
            return null;
        }
        bool nearest;
        switch (Get("OVERVIEW_RESAMPLING", "AVERAGE").ToUpperInvariant())
        {
            case "AVERAGE": nearest = false; break;
            case "NEAREST": nearest = true; break;
            default: return null;
        }
        var levels = Get("OVERVIEWS", "AUTO").ToUpperInvariant() switch
        {
            "AUTO" or "IGNORE_EXISTING" or "FORCE_USE_EXISTING" => LevelCount(width, height, tile),
            "NONE" => 0,
            _ => -1,
        };
        if (levels < 0)
        {
            return null;
        }
        if (values.TryGetValue("OVERVIEW_COUNT", out var count))
        {
            if (!int.TryParse(count, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            {
                return null;
            }
            levels = Math.Min(levels, n);
        }
        // Odd sizes: the first level is averaged from whole rows of blocks, held on the writing thread; not past 64 MB.
        if (levels > 0 && (width % 2 != 0 || height % 2 != 0) && (long)width * tile * bands * sizeof(float) > 64L << 20)
        {
            return null;
        }
        var bigTiff = Get("BIGTIFF", "IF_NEEDED").ToUpperInvariant();
        if (bigTiff is not ("YES" or "NO" or "IF_NEEDED" or "IF_SAFER"))
        {
            return null;
        }
        return new CogSettings(compression, level, predictor, tile, levels, bigTiff, nearest, maxZError, packing);
    }

    /// <summary>The levels GDAL's COG driver makes: halving (rounding down) until a level fits in one tile.</summary>
    public static int LevelCount(int width, int height, int tile)
    {
        var levels = 0;
        while ((width >> levels) > tile || (height >> levels) > tile)
        {
            levels++;
        }
        return levels;
    }

    /// <summary>The size of overview level <paramref name="level"/> (1 = the first), as GDAL's COG driver sizes it.</summary>
    public static (int Width, int Height) LevelSize(int width, int height, int level) =>
        (Math.Max(1, width >> level), Math.Max(1, height >> level));
}
