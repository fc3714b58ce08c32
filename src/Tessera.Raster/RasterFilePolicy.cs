using Tessera.Raster.Gdal;

namespace Tessera.Raster;

/// <summary>
/// What code that opens other people's files (the service's requests and task runs) lets GDAL open, put in force
/// with <see cref="Apply"/> for the calling flow and everything it starts (tasks, threads, parallel loops). Without it
/// (the command line, on the user's own files) every GDAL driver and path is allowed. With it:
/// <list type="bullet">
/// <item>plain files open only with <see cref="RasterDrivers"/> (rasters) and <see cref="VectorDrivers"/> (vectors):
/// never VRT, WMS or anything else whose content names other files or addresses;</item>
/// <item>GDAL's virtual file systems (<c>/vsicurl/</c>, <c>/vsizip/</c>...) and <c>DRIVER:...</c> names are refused,
/// but for <c>/vsimem/</c> (this process's own memory) and inline VRT XML, which only the engine itself builds
/// (warps of files that were opened under this policy first);</item>
/// <item>a raster's blocks (and those of its overviews and mask) must decode into at most <see cref="MaxBlockBytes"/>
/// and the file must be large enough to hold an entry for every block it declares, so a small file cannot make
/// a reader allocate gigabytes.</item>
/// </list>
/// </summary>
public sealed record RasterFilePolicy(IReadOnlyList<string> RasterDrivers, IReadOnlyList<string> VectorDrivers, long MaxBlockBytes)
{
    /// <summary>What the service reads: GeoTIFF (COGs included) rasters, GeoJSON and GeoPackage vectors, blocks of at most 64 MiB.</summary>
    public static RasterFilePolicy Service { get; } = new(["GTiff"], ["GeoJSON", "GPKG"], 64L << 20);

    /// <summary>Bytes a TIFF spends at least on each block it declares: its offset and its byte count.</summary>
    private const int BlockEntryBytes = 8;

    private static readonly AsyncLocal<RasterFilePolicy?> InForce = new();

    /// <summary>The policy in force here, or null when nothing is restricted.</summary>
    public static RasterFilePolicy? Current => InForce.Value;

    /// <summary>
    /// Puts <paramref name="policy"/> in force for the calling flow: the rest of the calling method (when it is not
    /// itself async, its caller's too) and every task and thread started from it afterwards.
    /// </summary>
    public static void Apply(RasterFilePolicy? policy) => InForce.Value = policy;

    /// <summary>The policy's drivers for opening <paramref name="path"/>, or null for the engine's own in-memory
    /// names; <see cref="RasterOpenException"/> for names the policy refuses.</summary>
    internal IReadOnlyList<string>? DriversFor(string path, bool vector)
    {
        var trimmed = path.TrimStart();
        if (trimmed.StartsWith("/vsimem/", StringComparison.Ordinal) || (!vector && trimmed.StartsWith('<')))
        {
            return null;
        }
        if (!RasterPaths.IsPlainFile(path))
        {
            throw new RasterOpenException(path, $"{RasterDataset.Display(path)}: only plain files are opened here, not GDAL virtual file systems, network addresses or subdatasets");
        }
        return vector ? VectorDrivers : RasterDrivers;
    }

    /// <summary>Checks what an opened plain file declares against its size; <see cref="RasterOpenException"/> naming the problem.</summary>
    internal void CheckDeclared(RasterDataset dataset, long fileBytes)
    {
        // Pixel-interleaved: one block holds every band's samples, decoded at once. Band-interleaved: each band has its own.
        var pixelInterleaved = dataset.BandCount > 1
            && !string.Equals(dataset.GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE"), "BAND", StringComparison.OrdinalIgnoreCase);
        var samples = pixelInterleaved ? dataset.BandCount : 1;
        long entries = 0;
        foreach (var level in dataset.DeclaredBlocks(pixelInterleaved ? [1] : Enumerable.Range(1, dataset.BandCount)))
        {
            if (level.BlockWidth < 1 || level.BlockHeight < 1)
            {
                throw Refuse(dataset, $"{level.What} declares blocks of {level.BlockWidth} x {level.BlockHeight} pixels");
            }
            var bytes = (long)level.BlockWidth * level.BlockHeight * Math.Max(1, level.Type.SizeInBytes()) * (level.IsMask ? 1 : samples);
            if (bytes > MaxBlockBytes)
            {
                throw Refuse(dataset, $"{level.What} declares blocks of {level.BlockWidth} x {level.BlockHeight} pixels "
                    + $"({bytes >> 20} MiB each; at most {MaxBlockBytes >> 20} MiB are read here): tile it first, e.g. gdal_translate -co TILED=YES");
            }
            var count = (long)Math.Ceiling((double)level.Width / level.BlockWidth) * (long)Math.Ceiling((double)level.Height / level.BlockHeight);
            // Every block needs an offset and a byte count in the file; a block of fewer bytes than that (one row
            // of a tiny uncompressed strip GDAL splits) needs at least its own bytes.
            entries += count * Math.Min(BlockEntryBytes, bytes);
        }
        if (entries > fileBytes)
        {
            throw Refuse(dataset, $"declares {dataset.Width} x {dataset.Height} pixels in more blocks than a file of {fileBytes} bytes can hold");
        }
    }

    private static RasterOpenException Refuse(RasterDataset dataset, string reason) =>
        new(dataset.Path, $"{RasterDataset.Display(dataset.Path)}: {reason}");
}
