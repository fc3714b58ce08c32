using System.IO.Compression;
using System.Text;

namespace Tessera.Catalog.Converters;

/// <summary>What a file is by its first bytes (downloads lie under hashed names, so their names cannot say it).</summary>
public enum FileKind
{
    Other,
    Zip,
    Tar,

    /// <summary>A gzip-compressed tar (<c>.tar.gz</c>, <c>.tgz</c>).</summary>
    GzipTar,
    Tiff,

    /// <summary>NetCDF classic or 64-bit offset (<c>CDF</c>).</summary>
    NetCdf,

    /// <summary>HDF5, which NetCDF-4 files are.</summary>
    Hdf5,
}

/// <summary>Reads a file's <see cref="FileKind"/>.</summary>
public static class FileKinds
{
    private const int TarMagicAt = 257;

    private static ReadOnlySpan<byte> Hdf5Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    private static ReadOnlySpan<byte> GzipSignature => [0x1f, 0x8b];

    public static FileKind Of(string path)
    {
        Span<byte> head = stackalloc byte[TarMagicAt + 5];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        head = head[..read];
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8))
        {
            return FileKind.Zip;
        }
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
        {
            return FileKind.Tiff;
        }
        if (head.StartsWith("CDF\x01"u8) || head.StartsWith("CDF\x02"u8) || head.StartsWith("CDF\x05"u8))
        {
            return FileKind.NetCdf;
        }
        if (head.StartsWith(Hdf5Signature))
        {
            return FileKind.Hdf5;
        }
        if (IsTarHeader(head))
        {
            return FileKind.Tar;
        }
        if (head.StartsWith(GzipSignature))
        {
            return GzipHoldsTar(path) ? FileKind.GzipTar : FileKind.Other;
        }
        return FileKind.Other;
    }

    private static bool IsTarHeader(ReadOnlySpan<byte> head) =>
        head.Length >= TarMagicAt + 5 && Encoding.ASCII.GetString(head.Slice(TarMagicAt, 5)) == "ustar";

    /// <summary>Whether the gzip stream's first block is a tar header.</summary>
    private static bool GzipHoldsTar(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            var head = new byte[TarMagicAt + 5];
            var read = gzip.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return IsTarHeader(head.AsSpan(0, read));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
