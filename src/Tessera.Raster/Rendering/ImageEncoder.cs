using System.Globalization;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Rendering;

/// <summary>
/// Encodes RGBA pixels as PNG or WebP with GDAL's drivers (an in-memory dataset copied to <c>/vsimem/</c>),
/// so the image formats are GDAL's, as everywhere else.
/// </summary>
public static unsafe class ImageEncoder
{
    /// <summary>Whether this GDAL can write the format (WebP is an optional driver).</summary>
    public static bool CanEncode(ImageFormat format) => format switch
    {
        ImageFormat.Npy => true,
        _ => Driver(format) != IntPtr.Zero,
    };

    public static byte[] Encode(byte[] rgba, int width, int height, ImageFormat format)
    {
        if (rgba.Length != width * height * 4)
        {
            throw new RasterArgumentException($"{rgba.Length} bytes is not {width}x{height} RGBA pixels");
        }
        GdalRuntime.EnsureInitialized();
        var driver = Driver(format);
        if (driver == IntPtr.Zero)
        {
            throw new RasterArgumentException($"this GDAL has no driver to write {format}");
        }
        var plane = new byte[width * height];
        using var memory = RasterDataset.Create(string.Empty, "MEM", new RasterGrid(width, height, GeoTransform.Identity, string.Empty), 4, RasterDataType.Byte);
        for (var band = 0; band < 4; band++)
        {
            for (var i = 0; i < plane.Length; i++)
            {
                plane[i] = rgba[i * 4 + band];
            }
            memory.Write<byte>(band + 1, new Window(0, 0, width, height), plane);
        }
        var path = $"/vsimem/tessera-image-{Guid.NewGuid():N}.{format.ToString().ToLowerInvariant()}";
        // Fast compression: images are made per request (tiles) and cached; size matters less than time.
        using var options = new CStringList(format == ImageFormat.Png ? ["ZLEVEL=3"] : ["QUALITY=90"]);
        GdalErrors.Reset();
        var copy = GdalNative.GDALCreateCopy(driver, path, memory.Handle, 0, options.Pointer, null, IntPtr.Zero);
        if (copy == IntPtr.Zero)
        {
            GdalNative.VSIUnlink(path);
            throw new RasterIOException(path, $"cannot encode {format}: {GdalErrors.Describe("GDAL failed")}");
        }
        GdalNative.GDALClose(copy);
        ulong length;
        var buffer = GdalNative.VSIGetMemFileBuffer(path, &length, 1);
        if (buffer == IntPtr.Zero)
        {
            throw new RasterIOException(path, $"cannot encode {format}: GDAL produced no bytes");
        }
        try
        {
            return new ReadOnlySpan<byte>((void*)buffer, checked((int)length)).ToArray();
        }
        finally
        {
            GdalNative.VSIFree(buffer);
        }
    }

    /// <summary>
    /// A NumPy .npy (format 1.0) array of float32, shape (bands, height, width), C order: what
    /// <c>numpy.load</c> reads back. No data is NaN.
    /// </summary>
    public static byte[] EncodeNpy(IReadOnlyList<float[]> bands, int width, int height)
    {
        var shape = string.Create(CultureInfo.InvariantCulture, $"({bands.Count}, {height}, {width})");
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
        var unpadded = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - unpadded % 64) % 64) + "\n";
        var pixels = width * height;
        var bytes = new byte[10 + header.Length + bands.Count * pixels * 4];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 2), (ushort)header.Length);
        System.Text.Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        var offset = 10 + header.Length;
        foreach (var band in bands)
        {
            var source = System.Runtime.InteropServices.MemoryMarshal.AsBytes(band.AsSpan(0, pixels));
            if (BitConverter.IsLittleEndian)
            {
                source.CopyTo(bytes.AsSpan(offset));
            }
            else
            {
                for (var i = 0; i < pixels; i++)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset + i * 4), band[i]);
                }
            }
            offset += pixels * 4;
        }
        return bytes;
    }

    private static IntPtr Driver(ImageFormat format)
    {
        GdalRuntime.EnsureInitialized();
        return format switch
        {
            ImageFormat.Png => GdalNative.GDALGetDriverByName("PNG"),
            ImageFormat.Webp => GdalNative.GDALGetDriverByName("WEBP"),
            _ => IntPtr.Zero,
        };
    }
}
