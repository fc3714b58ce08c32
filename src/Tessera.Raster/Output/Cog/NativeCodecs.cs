using System.Runtime.InteropServices;

namespace Tessera.Raster.Output.Cog;

/// <summary>The compression libraries GDAL itself links (libzstd, libdeflate), called directly for tiles written in
/// the processing pass.</summary>
internal static unsafe partial class NativeCodecs
{
    private const string Zstd = "libzstd.so.1";
    private const string Deflate = "libdeflate.so.0";

    [LibraryImport(Zstd)] public static partial nuint ZSTD_compressBound(nuint size);
    [LibraryImport(Zstd)] public static partial IntPtr ZSTD_createCCtx();
    [LibraryImport(Zstd)] public static partial nuint ZSTD_freeCCtx(IntPtr context);
    [LibraryImport(Zstd)] public static partial nuint ZSTD_compressCCtx(IntPtr context, void* destination, nuint capacity, void* source, nuint size, int level);
    [LibraryImport(Zstd)] public static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Deflate)] public static partial IntPtr libdeflate_alloc_compressor(int level);
    [LibraryImport(Deflate)] public static partial void libdeflate_free_compressor(IntPtr compressor);
    [LibraryImport(Deflate)] public static partial nuint libdeflate_zlib_compress(IntPtr compressor, void* input, nuint size, void* output, nuint capacity);
    [LibraryImport(Deflate)] public static partial nuint libdeflate_zlib_compress_bound(IntPtr compressor, nuint size);

    /// <summary>Whether both libraries load here.</summary>
    public static bool Available { get; } = Probe();

    private static bool Probe()
    {
        try
        {
            ZSTD_compressBound(1);
            var c = libdeflate_alloc_compressor(1);
            libdeflate_free_compressor(c);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
