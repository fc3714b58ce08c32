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
/// (warps of files that were opened under this policy first), and what a policy made with <see cref="Inside"/> lets
/// be read inside one file;</item>
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

    /// <summary>The one file of this machine whose inside this policy also lets GDAL read (see <see cref="Inside"/>), or null.</summary>
    public string? Container { get; private init; }

    /// <summary>The raster drivers that open <see cref="Container"/> and what lies inside it.</summary>
    public IReadOnlyList<string> ContainerDrivers { get; private init; } = [];

    /// <summary>
    /// This policy, also letting GDAL read one file of this machine (a downloaded product) and what lies inside it,
    /// with <paramref name="drivers"/> only: the file itself, its members through <c>/vsizip/{FILE}/</c>,
    /// <c>/vsitar/{FILE}/</c> and <c>/vsitar/{/vsigzip/FILE}/</c> (no <c>..</c>, no nested names), and its subdatasets
    /// <c>NETCDF:"FILE"</c> and <c>NETCDF:"FILE":NAME</c>. Any other name is opened or refused as before; the
    /// declared blocks of what lies inside are checked against the file's own size. A converter puts it in force
    /// around its own reads of the product it converts.
    /// </summary>
    public RasterFilePolicy Inside(string file, IReadOnlyList<string> drivers)
    {
        var full = Path.GetFullPath(file);
        if (full.IndexOfAny(['"', '{', '}']) >= 0)
        {
            throw new RasterArgumentException($"{file}: a file whose name holds a quote or a brace cannot be read inside");
        }
        return this with { Container = full, ContainerDrivers = drivers };
    }

    /// <summary>Whether <paramref name="path"/> names <see cref="Container"/> or something inside it, as <see cref="Inside"/> allows.</summary>
    private bool IsContainerRead(string path)
    {
        if (Container is not { } file)
        {
            return false;
        }
        if (path == file || path == $"NETCDF:\"{file}\"")
        {
            return true;
        }
        var subdataset = $"NETCDF:\"{file}\":";
        if (path.StartsWith(subdataset, StringComparison.Ordinal))
        {
            var name = path[subdataset.Length..];
            return name.Length > 0 && !name.Contains('"');
        }
        foreach (var prefix in (string[])[$"/vsizip/{{{file}}}/", $"/vsitar/{{{file}}}/", $"/vsitar/{{/vsigzip/{file}}}/"])
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                var member = path[prefix.Length..];
                return member.Length > 0 && member.IndexOfAny(['{', '}', '\\']) < 0
                    && member.Split('/').All(part => part.Length > 0 && part is not ("." or ".."));
            }
        }
        return false;
    }

    /// <summary>The bytes of the file <paramref name="path"/> reads from: its own, or those of <see cref="Container"/> for what lies inside it.</summary>
    internal long BytesOf(string path) =>
        RasterPaths.IsPlainFile(path) || !IsContainerRead(path) ? new FileInfo(path).Length : new FileInfo(Container!).Length;

    /// <summary>The policy's drivers for opening <paramref name="path"/>, or null for the engine's own in-memory
    /// names; <see cref="RasterOpenException"/> for names the policy refuses.</summary>
    internal IReadOnlyList<string>? DriversFor(string path, bool vector)
    {
        var trimmed = path.TrimStart();
        if (trimmed.StartsWith("/vsimem/", StringComparison.Ordinal) || (!vector && trimmed.StartsWith('<')))
        {
            return null;
        }
        if (!vector && IsContainerRead(path))
        {
            return ContainerDrivers;
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
