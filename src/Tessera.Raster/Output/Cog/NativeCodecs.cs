using System.Runtime.InteropServices;

namespace Tessera.Raster.Output.Cog;

/// <summary>The compression libraries GDAL itself links (libzstd, libdeflate, and libLerc through libtiff), called
/// directly for tiles written in the processing pass.</summary>
internal static unsafe partial class NativeCodecs
{
    private const string Zstd = "libzstd.so.1";
    private const string Deflate = "libdeflate.so.0";
    private const string Lerc = "libLerc.so.4";

    [LibraryImport(Zstd)] public static partial nuint ZSTD_compressBound(nuint size);
    [LibraryImport(Zstd)] public static partial IntPtr ZSTD_createCCtx();
    [LibraryImport(Zstd)] public static partial nuint ZSTD_freeCCtx(IntPtr context);
    [LibraryImport(Zstd)] public static partial nuint ZSTD_CCtx_setParameter(IntPtr context, int parameter, int value);
    [LibraryImport(Zstd)] public static partial nuint ZSTD_compress2(IntPtr context, void* destination, nuint capacity, void* source, nuint size);
    [LibraryImport(Zstd)] public static partial uint ZSTD_isError(nuint code);

    /// <summary>zstd's ZSTD_c_compressionLevel and ZSTD_c_hashLog (zstd.h, stable API).</summary>
    public const int ZstdCompressionLevel = 100, ZstdHashLog = 102;

    [LibraryImport(Deflate)] public static partial IntPtr libdeflate_alloc_compressor(int level);
    [LibraryImport(Deflate)] public static partial void libdeflate_free_compressor(IntPtr compressor);
    [LibraryImport(Deflate)] public static partial nuint libdeflate_zlib_compress(IntPtr compressor, void* input, nuint size, void* output, nuint capacity);
    [LibraryImport(Deflate)] public static partial nuint libdeflate_zlib_compress_bound(IntPtr compressor, nuint size);

    /// <summary>LERC 2 (version 4 blobs, what libtiff writes): answers 0 on success.</summary>
    [LibraryImport(Lerc)] public static partial uint lerc_encodeForVersion(void* data, int version, uint dataType, int depth, int columns, int rows,
        int bands, int masks, byte* valid, double maxZError, byte* output, uint capacity, uint* written);

    /// <summary>Whether libLerc loads here (LERC tiles are otherwise written by GDAL).</summary>
    public static bool LercAvailable { get; } = ProbeLerc();

    private static bool ProbeLerc() =>
        NativeLibrary.TryLoad(Lerc, typeof(NativeCodecs).Assembly, null, out var library)
        && NativeLibrary.TryGetExport(library, "lerc_encodeForVersion", out _);

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
