using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// Turns one tile of bands (the engine's floats, row-major, nodata encoded, integers already rounded as stored: see
/// <see cref="StoredValues.RoundAll"/>) into the bytes a TIFF tile holds: values in the file's type, interleaved by pixel, the part outside the raster filled with nodata, the
/// predictor applied row by row (horizontal differencing, or TIFF's floating-point predictor: each row's bytes split
/// into planes, most significant first, then differenced), then compressed; or, for LERC, encoded as libtiff encodes it
/// (a validity mask where Float32 pixels are NaN, the part outside the raster filled with zeros rather than NaN; the
/// blob then DEFLATE- or ZSTD-compressed for LERC_DEFLATE and LERC_ZSTD). One encoder per thread: it keeps its buffers and its compression
/// context.
/// </summary>
internal sealed unsafe class TileEncoder : IDisposable
{
    private readonly CogSettings _settings;
    private readonly RasterDataType _type;
    private readonly int _bands;
    private readonly int _sampleSize;
    private readonly float _fill;
    private readonly byte[] _raw;
    private readonly byte[] _row;
    private readonly byte[] _typed;
    private readonly LzwEncoder? _lzw;
    private readonly byte[] _lerc = [];
    private readonly byte[] _mask = [];
    private IntPtr _zstd;
    private IntPtr _deflate;

    public TileEncoder(CogSettings settings, RasterDataType type, int bands, float storedNoData)
    {
        _settings = settings;
        _type = type;
        _bands = bands;
        _sampleSize = StoredValues.Size(type);
        // Outside the raster: nodata, except NaN where it cannot be stored (integers) or would need a LERC mask.
        _fill = float.IsNaN(storedNoData) && (type != RasterDataType.Float32 || settings.Compression == TiffCompression.Lerc) ? 0 : storedNoData;
        var t = settings.TileSize;
        _raw = new byte[t * t * bands * _sampleSize];
        _row = new byte[t * bands * _sampleSize];
        _typed = new byte[t * _sampleSize];
        if (settings.Compression == TiffCompression.Zstd || settings.LercPacking == LercPacking.Zstd)
        {
            _zstd = NativeCodecs.ZSTD_createCCtx();
            Check(NativeCodecs.ZSTD_CCtx_setParameter(_zstd, NativeCodecs.ZstdCompressionLevel, settings.Level), "take the level");
            if (settings.Level == 1 && settings.Predictor == 3 && settings.Compression == TiffCompression.Zstd)
            {
                // Level 1 on floating-point-predicted tiles with a 4 K-entry match table (2^12) instead of the 16 K zstd
                // sizes for a 1 MB input: what repeats in such rows repeats near, and the table then stays in the core's
                // first cache. Measured on Float32 NDVI and reflectance tiles: 10-20 % faster, files within 1.1 % of
                // level 1's (docs/BENCHMARKS.md). Not for other data: integers, unpredicted values and LERC blobs
                // repeat farther apart (up to 11 % larger files).
                Check(NativeCodecs.ZSTD_CCtx_setParameter(_zstd, NativeCodecs.ZstdHashLog, 12), "take the match table's size");
            }
        }
        else if (settings.Compression == TiffCompression.Deflate || settings.LercPacking == LercPacking.Deflate)
        {
            _deflate = NativeCodecs.libdeflate_alloc_compressor(settings.Level);
        }
        else if (settings.Compression == TiffCompression.Lzw)
        {
            _lzw = new LzwEncoder();
        }
        if (settings.Compression == TiffCompression.Lerc)
        {
            _lerc = settings.LercPacking == LercPacking.None ? [] : new byte[Bound(settings, type, bands)];
            if (type == RasterDataType.Float32)
            {
                _mask = new byte[t * t];
            }
        }
    }

    /// <summary>The most bytes a tile can take once encoded.</summary>
    public static int Bound(CogSettings settings, RasterDataType type, int bands)
    {
        long raw = (long)settings.TileSize * settings.TileSize * bands * StoredValues.Size(type);
        // zstd and deflate add a few bytes per block on incompressible data; LZW at most 12 bits per byte; LERC a header,
        // its masks and at worst a third more than the values (libtiff's margin), then what zstd or deflate adds.
        return (int)(settings.Compression switch
        {
            TiffCompression.Lzw => raw * 3 / 2 + 1024,
            TiffCompression.Lerc => raw * 3 / 2 + raw / StoredValues.Size(type) / 8 + 2048,
            _ => raw + raw / 8 + 1024,
        });
    }

    /// <summary>Encodes a tile whose valid part is <paramref name="width"/> x <paramref name="height"/>; answers the
    /// number of bytes written to <paramref name="destination"/>.</summary>
    public int Encode(IReadOnlyList<float[]> bands, int width, int height, Span<byte> destination)
    {
        Interleave(bands, width, height);
        if (_settings.Compression == TiffCompression.Lerc)
        {
            return EncodeLerc(destination);
        }
        if (_settings.Predictor != 1)
        {
            var rowBytes = _settings.TileSize * _bands * _sampleSize;
            for (var r = 0; r < _settings.TileSize; r++)
            {
                var row = _raw.AsSpan(r * rowBytes, rowBytes);
                if (_settings.Predictor == 3)
                {
                    FloatingPointPredictor(row);
                }
                else
                {
                    HorizontalPredictor(row);
                }
            }
        }
        return Compress(destination);
    }

    /// <summary>Lays the bands' values (as stored: integers already rounded) out as the tile's rows, pixel by pixel.</summary>
    private void Interleave(IReadOnlyList<float[]> bands, int width, int height)
    {
        var t = _settings.TileSize;
        var rowBytes = t * _bands * _sampleSize;
        var typed = _typed.AsSpan(0, t * _sampleSize);
        for (var r = 0; r < t; r++)
        {
            var row = _raw.AsSpan(r * rowBytes, rowBytes);
            for (var b = 0; b < _bands; b++)
            {
                var valid = r < height ? width : 0;
                Convert(bands[b].AsSpan(r * width, valid), typed, valid);
                if (_bands == 1)
                {
                    typed.CopyTo(row);
                    continue;
                }
                // Scatter: sample b of each pixel.
                switch (_sampleSize)
                {
                    case 1:
                        for (var c = 0; c < t; c++)
                        {
                            row[c * _bands + b] = typed[c];
                        }
                        break;
                    case 2:
                    {
                        var to = MemoryMarshal.Cast<byte, ushort>(row);
                        var from = MemoryMarshal.Cast<byte, ushort>(typed);
                        for (var c = 0; c < t; c++)
                        {
                            to[c * _bands + b] = from[c];
                        }
                        break;
                    }
                    default:
                    {
                        var to = MemoryMarshal.Cast<byte, uint>(row);
                        var from = MemoryMarshal.Cast<byte, uint>(typed);
                        for (var c = 0; c < t; c++)
                        {
                            to[c * _bands + b] = from[c];
                        }
                        break;
                    }
                }
            }
        }
    }

    /// <summary>One row of one band in the file's type; past <paramref name="valid"/> values, the fill (nodata).</summary>
    private void Convert(ReadOnlySpan<float> source, Span<byte> destination, int valid)
    {
        var t = _settings.TileSize;
        switch (_type)
        {
            case RasterDataType.Float32:
            {
                var to = MemoryMarshal.Cast<byte, float>(destination);
                source.CopyTo(to);
                to[valid..t].Fill(_fill);
                return;
            }
            case RasterDataType.Byte:
            {
                for (var c = 0; c < valid; c++)
                {
                    destination[c] = (byte)source[c];
                }
                destination[valid..t].Fill((byte)_fill);
                return;
            }
            default:
            {
                // 16-bit: values are exact integers in range; converted a vector at a time.
                var to = MemoryMarshal.Cast<byte, short>(destination);
                var c = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var step = Vector<float>.Count;
                    var from = MemoryMarshal.Cast<float, Vector<float>>(source);
                    var pairs = MemoryMarshal.Cast<short, Vector<short>>(to[..(valid / (2 * step) * 2 * step)]);
                    for (var k = 0; k < pairs.Length; k++)
                    {
                        pairs[k] = Vector.Narrow(Vector.ConvertToInt32(from[2 * k]), Vector.ConvertToInt32(from[2 * k + 1]));
                    }
                    c = pairs.Length * 2 * step;
                }
                for (; c < valid; c++)
                {
                    to[c] = unchecked((short)(int)source[c]);
                }
                to[valid..t].Fill(unchecked((short)(int)_fill));
                return;
            }
        }
    }

    /// <summary>TIFF predictor 2: each sample minus the same sample of the pixel before, in the sample's own width
    /// (from the end of the row backwards, a vector at a time: each vector is read before the one below it is changed).</summary>
    private void HorizontalPredictor(Span<byte> row)
    {
        if (_sampleSize == 1)
        {
            Difference(row, _bands);
        }
        else
        {
            Difference(MemoryMarshal.Cast<byte, ushort>(row), _bands);
        }
    }

    private static void Difference<T>(Span<T> values, int stride) where T : unmanaged, INumber<T>
    {
        var i = values.Length;
        var width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i - width >= stride; i -= width)
            {
                var current = new Vector<T>(values[(i - width)..]);
                var before = new Vector<T>(values[(i - width - stride)..]);
                (current - before).CopyTo(values[(i - width)..]);
            }
        }
        for (i--; i >= stride; i--)
        {
            values[i] -= values[i - stride];
        }
    }

    /// <summary>TIFF predictor 3 on a row of 32-bit floats: bytes regrouped into four planes, most significant first,
    /// then each byte minus the byte one pixel before.</summary>
    private void FloatingPointPredictor(Span<byte> row)
    {
        var count = row.Length / 4;
        var planes = _row.AsSpan(0, row.Length);
        fixed (byte* source = row)
        fixed (byte* plane = planes)
        {
            var k = 0;
            if (Ssse3.IsSupported)
            {
                // Four floats per vector: gather their bytes by plane (most significant first), then transpose 4 x 4.
                var gather = Vector128.Create((byte)3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13, 0, 4, 8, 12);
                for (; k + 16 <= count; k += 16)
                {
                    var a = Ssse3.Shuffle(Sse2.LoadVector128(source + 4 * k), gather).AsInt32();
                    var b = Ssse3.Shuffle(Sse2.LoadVector128(source + 4 * k + 16), gather).AsInt32();
                    var c = Ssse3.Shuffle(Sse2.LoadVector128(source + 4 * k + 32), gather).AsInt32();
                    var d = Ssse3.Shuffle(Sse2.LoadVector128(source + 4 * k + 48), gather).AsInt32();
                    var ab0 = Sse2.UnpackLow(a, b).AsInt64();
                    var ab1 = Sse2.UnpackHigh(a, b).AsInt64();
                    var cd0 = Sse2.UnpackLow(c, d).AsInt64();
                    var cd1 = Sse2.UnpackHigh(c, d).AsInt64();
                    Sse2.Store(plane + k, Sse2.UnpackLow(ab0, cd0).AsByte());
                    Sse2.Store(plane + count + k, Sse2.UnpackHigh(ab0, cd0).AsByte());
                    Sse2.Store(plane + 2 * count + k, Sse2.UnpackLow(ab1, cd1).AsByte());
                    Sse2.Store(plane + 3 * count + k, Sse2.UnpackHigh(ab1, cd1).AsByte());
                }
            }
            for (; k < count; k++)
            {
                plane[k] = source[4 * k + 3];
                plane[count + k] = source[4 * k + 2];
                plane[2 * count + k] = source[4 * k + 1];
                plane[3 * count + k] = source[4 * k];
            }
            var stride = _bands;
            var n = row.Length;
            for (var i = 0; i < stride; i++)
            {
                source[i] = plane[i];
            }
            var j = stride;
            if (Vector128.IsHardwareAccelerated)
            {
                for (; j + 16 <= n; j += 16)
                {
                    Vector128.Store(Vector128.Load(plane + j) - Vector128.Load(plane + j - stride), source + j);
                }
            }
            for (; j < n; j++)
            {
                source[j] = (byte)(plane[j] - plane[j - stride]);
            }
        }
    }

    private static bool HasNaN(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (float.IsNaN(value))
            {
                return true;
            }
        }
        return false;
    }

    private int EncodeLerc(Span<byte> destination)
    {
        var t = _settings.TileSize;
        var pixels = t * t;
        var masks = 0;
        if (_type == RasterDataType.Float32)
        {
            // As libtiff: NaN pixels masked out. The libtiff GDAL reads with here (4.5) decodes a mask for one band only:
            // several bands with NaN would read back wrong (or not at all), so that is refused rather than written.
            var values = MemoryMarshal.Cast<byte, float>(_raw.AsSpan());
            var nan = HasNaN(values);
            if (nan && _bands > 1)
            {
                throw new RasterException("LERC cannot store this result: it has nodata (NaN) pixels in several Float32 bands, " +
                    "which GDAL's libtiff cannot read back from a LERC tile; set a nodata value other than NaN, write one band " +
                    "per file, or use another compression (ZSTD, DEFLATE)");
            }
            if (nan)
            {
                for (var p = 0; p < pixels; p++)
                {
                    _mask[p] = float.IsNaN(values[p]) ? (byte)0 : (byte)255;
                }
                masks = 1;
            }
        }
        var dataType = _type switch
        {
            RasterDataType.Byte => 1u,
            RasterDataType.Int16 => 2u,
            RasterDataType.UInt16 => 3u,
            _ => 6u,
        };
        var packed = _settings.LercPacking != LercPacking.None;
        uint written;
        fixed (byte* input = _raw)
        fixed (byte* mask = _mask)
        fixed (byte* output = destination)
        fixed (byte* blob = _lerc)
        {
            var target = packed ? blob : output;
            var capacity = packed ? _lerc.Length : destination.Length;
            var status = NativeCodecs.lerc_encodeForVersion(input, 4, dataType, _bands, t, t, 1, masks, masks > 0 ? mask : null,
                _settings.MaxZError, target, (uint)capacity, &written);
            if (status != 0)
            {
                throw new RasterException($"LERC could not compress a tile (error {status})");
            }
            return !packed ? (int)written
                : _settings.LercPacking == LercPacking.Zstd ? Zstd(blob, written, output, destination.Length)
                : Deflate(blob, written, output, destination.Length);
        }
    }

    private int Compress(Span<byte> destination)
    {
        var size = _raw.Length;
        fixed (byte* input = _raw)
        fixed (byte* output = destination)
        {
            switch (_settings.Compression)
            {
                case TiffCompression.Zstd:
                    return Zstd(input, (uint)size, output, destination.Length);
                case TiffCompression.Deflate:
                    return Deflate(input, (uint)size, output, destination.Length);
                case TiffCompression.Lzw:
                    return _lzw!.Encode(_raw, destination);
                default:
                    _raw.CopyTo(destination);
                    return size;
            }
        }
    }

    /// <summary>ZSTD at the settings' level (the tile, or LERC's blob for LERC_ZSTD).</summary>
    private int Zstd(byte* input, uint size, byte* output, int capacity)
    {
        return (int)Check(NativeCodecs.ZSTD_compress2(_zstd, output, (nuint)capacity, input, size), "compress a tile");
    }

    private static nuint Check(nuint zstdResult, string what) =>
        NativeCodecs.ZSTD_isError(zstdResult) != 0 ? throw new RasterException($"ZSTD could not {what}") : zstdResult;

    /// <summary>DEFLATE (zlib) at the settings' level (the tile, or LERC's blob for LERC_DEFLATE).</summary>
    private int Deflate(byte* input, uint size, byte* output, int capacity)
    {
        var written = NativeCodecs.libdeflate_zlib_compress(_deflate, input, size, output, (nuint)capacity);
        if (written == 0)
        {
            throw new RasterException("DEFLATE could not compress a tile");
        }
        return (int)written;
    }

    public void Dispose()
    {
        if (_zstd != IntPtr.Zero)
        {
            NativeCodecs.ZSTD_freeCCtx(_zstd);
            _zstd = IntPtr.Zero;
        }
        if (_deflate != IntPtr.Zero)
        {
            NativeCodecs.libdeflate_free_compressor(_deflate);
            _deflate = IntPtr.Zero;
        }
    }
}
