using System.Runtime.InteropServices;
using Tessera.Raster.Gdal;

namespace Tessera.Raster;

/// <summary>
/// An open raster. One instance belongs to one thread at a time: concurrent use throws instead of corrupting
/// GDAL's per-dataset state. Readers dispose; writers call <see cref="Close"/> so that a failed flush is an error.
/// </summary>
public sealed unsafe class RasterDataset : IDisposable
{
    private const uint OpenRaster = 0x02;
    private const uint OpenUpdate = 0x01;
    private const uint OpenVerboseError = 0x40;
    private const int ReadFlag = 0;
    private const int WriteFlag = 1;

    private readonly DatasetHandle _handle;
    private int _busy;
    private IReadOnlyList<RasterBandInfo>? _bands;

    private RasterDataset(DatasetHandle handle, string path)
    {
        _handle = handle;
        Path = path;
        var h = handle.DangerousGetHandle();
        Width = GdalNative.GDALGetRasterXSize(h);
        Height = GdalNative.GDALGetRasterYSize(h);
        BandCount = GdalNative.GDALGetRasterCount(h);
    }

    public string Path { get; }

    public int Width { get; }

    public int Height { get; }

    public int BandCount { get; }

    internal IntPtr Handle => _handle.DangerousGetHandle();

    /// <summary>The overviews the block engine fills as it writes (each block halved on the thread that computed it,
    /// written after the block); null: none.</summary>
    internal Output.OverviewPyramid? Pyramid { get; set; }

    /// <summary>The statistics the block engine counts as it computes (each block on its own thread); null: none.</summary>
    internal Output.PassStatistics? Statistics { get; set; }

    /// <summary>Opens a raster for reading (or update). Errors name the path and what is wrong with it.</summary>
    public static RasterDataset Open(string path, bool update = false)
    {
        GdalRuntime.EnsureInitialized();
        if (RasterPaths.IsPlainFile(path) && !File.Exists(path))
        {
            throw new RasterOpenException(path, Directory.Exists(path)
                ? $"{path}: is a folder, not a raster file"
                : $"{path}: file not found");
        }
        var policy = RasterFilePolicy.Current;
        var drivers = policy?.DriversFor(path, vector: false);
        GdalErrors.Reset();
        var flags = OpenRaster | OpenVerboseError | (update ? OpenUpdate : 0);
        DatasetHandle handle;
        using (var allowed = drivers is null ? null : new CStringList(drivers))
        {
            handle = new DatasetHandle(GdalNative.GDALOpenEx(path, flags, allowed?.Pointer ?? IntPtr.Zero, IntPtr.Zero, IntPtr.Zero));
        }
        if (handle.IsInvalid)
        {
            var reason = GdalErrors.Describe("not a raster GDAL can read");
            if (reason.Contains("not recognized as", StringComparison.OrdinalIgnoreCase)
                || reason.Contains("not recognised as", StringComparison.OrdinalIgnoreCase))
            {
                reason = drivers is null ? "not a raster GDAL can read" : $"not a raster in a format read here ({string.Join(", ", drivers.Select(FormatName))})";
            }
            throw new RasterOpenException(path, $"{Display(path)}: {reason}");
        }
        var dataset = new RasterDataset(handle, path);
        try
        {
            if (dataset.BandCount == 0)
            {
                throw new RasterOpenException(path, $"{Display(path)}: has no raster bands");
            }
            if (drivers is not null)
            {
                policy!.CheckDeclared(dataset, policy.BytesOf(path));
            }
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
        return dataset;
    }

    private static string FormatName(string driver) => driver == "GTiff" ? "GeoTIFF" : driver;

    /// <summary>One level of blocks a band declares: the band itself, each of its overviews, its mask.</summary>
    internal readonly record struct BlockLevel(string What, int Width, int Height, int BlockWidth, int BlockHeight, RasterDataType Type, bool IsMask);

    /// <summary>The block structure of <paramref name="bands"/>, their overviews, and the dataset's mask, as declared by the file.</summary>
    internal IEnumerable<BlockLevel> DeclaredBlocks(IEnumerable<int> bands)
    {
        const int perDatasetMask = 0x02;
        const int allValid = 0x01;
        const int alpha = 0x04;
        static BlockLevel Level(IntPtr band, string what, bool isMask)
        {
            int bx, by;
            GdalNative.GDALGetBlockSize(band, &bx, &by);
            return new BlockLevel(what, GdalNative.GDALGetRasterBandXSize(band), GdalNative.GDALGetRasterBandYSize(band), bx, by,
                (RasterDataType)GdalNative.GDALGetRasterDataType(band), isMask);
        }
        var levels = new List<BlockLevel>();
        foreach (var index in bands)
        {
            var band = GdalNative.GDALGetRasterBand(Handle, index);
            levels.Add(Level(band, $"band {index}", false));
            var overviews = GdalNative.GDALGetOverviewCount(band);
            for (var i = 0; i < overviews; i++)
            {
                var overview = GdalNative.GDALGetOverview(band, i);
                if (overview != IntPtr.Zero)
                {
                    levels.Add(Level(overview, $"overview {i + 1} of band {index}", false));
                }
            }
        }
        var first = GdalNative.GDALGetRasterBand(Handle, 1);
        var flags = GdalNative.GDALGetMaskFlags(first);
        if ((flags & perDatasetMask) != 0 && (flags & (allValid | alpha)) == 0 && GdalNative.GDALGetMaskBand(first) is var mask && mask != IntPtr.Zero)
        {
            levels.Add(Level(mask, "its mask", true));
        }
        return levels;
    }

    /// <summary>Creates a new raster with a GDAL driver ("GTiff", "MEM", ...) and creation options.</summary>
    public static RasterDataset Create(
        string path, string driver, RasterGrid grid, int bandCount, RasterDataType type,
        IEnumerable<string>? creationOptions = null)
    {
        GdalRuntime.EnsureInitialized();
        var driverHandle = GdalNative.GDALGetDriverByName(driver);
        if (driverHandle == IntPtr.Zero)
        {
            throw new RasterArgumentException($"GDAL has no '{driver}' driver");
        }
        using var options = new CStringList(creationOptions ?? []);
        GdalErrors.Reset();
        var handle = new DatasetHandle(GdalNative.GDALCreate(
            driverHandle, path, grid.Width, grid.Height, bandCount, (int)type, options.Pointer));
        if (handle.IsInvalid)
        {
            throw new RasterIOException(path, $"{path}: cannot create: {GdalErrors.Describe("GDAL refused to create the file")}");
        }
        var dataset = new RasterDataset(handle, path);
        dataset.SetGrid(grid);
        return dataset;
    }

    public GeoTransform GeoTransform
    {
        get
        {
            var c = stackalloc double[6];
            return GdalNative.GDALGetGeoTransform(Handle, c) == 0
                ? GeoTransform.FromArray(new ReadOnlySpan<double>(c, 6))
                : GeoTransform.Identity;
        }
    }

    /// <summary>Whether the raster carries a geotransform (not GDAL's identity default).</summary>
    public bool HasGeoTransform
    {
        get
        {
            var c = stackalloc double[6];
            return GdalNative.GDALGetGeoTransform(Handle, c) == 0;
        }
    }

    public string CrsWkt => Marshal.PtrToStringUTF8(GdalNative.GDALGetProjectionRef(Handle)) ?? string.Empty;

    public RasterGrid Grid => new(Width, Height, GeoTransform, CrsWkt);

    public IReadOnlyList<RasterBandInfo> Bands => _bands ??= Enumerable.Range(1, BandCount).Select(ReadBandInfo).ToArray();

    public RasterBandInfo Band(int index)
    {
        CheckBand(index);
        return Bands[index - 1];
    }

    /// <summary>The name of the GDAL driver that opened or created this dataset ("GTiff", "VRT", ...).</summary>
    public string DriverName =>
        Marshal.PtrToStringUTF8(GdalNative.GDALGetDescription(GdalNative.GDALGetDatasetDriver(Handle))) ?? string.Empty;

    public string? GetMetadataItem(string name, string? domain = null) =>
        Marshal.PtrToStringUTF8(GdalNative.GDALGetMetadataItem(Handle, name, domain));

    public IReadOnlyList<string> GetMetadata(string? domain = null) =>
        CStringList.Read(GdalNative.GDALGetMetadata(Handle, domain));

    /// <summary>A metadata item of one band (a NetCDF variable's attributes, TIFF block offsets, ...), or null.</summary>
    public string? GetBandMetadataItem(int band, string name, string? domain = null) =>
        Marshal.PtrToStringUTF8(GdalNative.GDALGetMetadataItem(BandHandle(band), name, domain));

    /// <summary>Reads a window of one band into <paramref name="destination"/>, converting to its element type.</summary>
    public void Read<T>(int band, Window window, Span<T> destination) where T : unmanaged =>
        Transfer(ReadFlag, band, window, MemoryMarshal.AsBytes(destination), destination.Length, RasterDataTypes.Of<T>());

    /// <summary>
    /// Reads a window of one band resampled (nearest) to <paramref name="width"/> x <paramref name="height"/>
    /// pixels: GDAL reads from the overview closest to that size when the raster has overviews.
    /// </summary>
    public void ReadResampled<T>(int band, Window window, int width, int height, Span<T> destination) where T : unmanaged
    {
        if (width < 1 || height < 1)
        {
            throw new RasterArgumentException($"cannot read into {width}x{height} pixels");
        }
        if (destination.Length < (long)width * height)
        {
            throw new RasterArgumentException($"buffer of {destination.Length} elements is too small for {width}x{height} pixels");
        }
        Transfer(ReadFlag, band, window, MemoryMarshal.AsBytes(destination), destination.Length, RasterDataTypes.Of<T>(), width, height);
    }

    /// <summary>Writes a window of one band from <paramref name="source"/>, converting to the band's type.</summary>
    public void Write<T>(int band, Window window, ReadOnlySpan<T> source) where T : unmanaged =>
        Transfer(WriteFlag, band, window,
            MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(source), source.Length)),
            source.Length, RasterDataTypes.Of<T>());

    /// <summary>
    /// Writes one whole block of a band straight to the driver, bypassing GDAL's block cache (which for a
    /// write-once stream only costs copies and fresh memory). <paramref name="source"/> holds the block's
    /// valid window row-major; edge blocks are padded here. The element type must be the band's type.
    /// </summary>
    public void WriteBlock<T>(int band, int xBlock, int yBlock, Window window, ReadOnlySpan<T> source, Span<T> padding)
        where T : unmanaged
    {
        var info = Band(band);
        if (info.DataType != RasterDataTypes.Of<T>())
        {
            throw new RasterArgumentException($"{Display(Path)}: band {band} is {info.DataType}, not {RasterDataTypes.Of<T>()}");
        }
        var bw = info.BlockWidth;
        var bh = info.BlockHeight;
        if (window.ColOffset != xBlock * bw || window.RowOffset != yBlock * bh || window.Width > bw || window.Height > bh)
        {
            throw new RasterArgumentException($"window {window} is not block ({xBlock}, {yBlock}) of {bw}x{bh}");
        }
        var data = source;
        if (window.Width != bw || window.Height != bh)
        {
            // Edge block: GDAL wants a full block; the part outside the raster is never stored.
            var full = padding[..(bw * bh)];
            for (var r = 0; r < window.Height; r++)
            {
                source.Slice(r * window.Width, window.Width).CopyTo(full.Slice(r * bw, window.Width));
            }
            data = full;
        }
        else if (source.Length < bw * bh)
        {
            throw new RasterArgumentException($"buffer of {source.Length} elements is too small for a {bw}x{bh} block");
        }
        fixed (T* p = data)
        {
            var pointer = (IntPtr)p;
            CallExclusive(() => GdalNative.GDALWriteBlock(GdalNative.GDALGetRasterBand(Handle, band), xBlock, yBlock, (void*)pointer),
                "cannot write", band, window);
        }
    }

    private void Transfer(int flag, int band, Window window, Span<byte> buffer, int elements, RasterDataType type,
        int bufferWidth = 0, int bufferHeight = 0)
    {
        if (bufferWidth == 0)
        {
            (bufferWidth, bufferHeight) = (window.Width, window.Height);
        }
        CheckBand(band);
        if (window.IsEmpty || !new Window(0, 0, Width, Height).Contains(window))
        {
            throw new RasterArgumentException($"{Display(Path)}: window {window} is outside the raster ({Width}x{Height})");
        }
        if (elements < (long)bufferWidth * bufferHeight)
        {
            throw new RasterArgumentException($"buffer of {elements} elements is too small for window {window}");
        }
        fixed (byte* p = buffer)
        {
            var pointer = (IntPtr)p;
            CallExclusive(() => GdalNative.GDALRasterIO(GdalNative.GDALGetRasterBand(Handle, band), flag,
                    window.ColOffset, window.RowOffset, window.Width, window.Height,
                    (void*)pointer, bufferWidth, bufferHeight, (int)type, 0, 0),
                flag == ReadFlag ? "cannot read" : "cannot write", band, window);
        }
    }

    /// <summary>Runs one pixel I/O call with the dataset held by this thread; a non-zero CPLErr becomes an error.</summary>
    private void CallExclusive(Func<int> call, string verb, int band, Window window)
    {
        Enter();
        try
        {
            GdalErrors.Reset();
            if (call() != 0)
            {
                throw new RasterIOException(Path, $"{Display(Path)}: {verb} band {band} {window}: {GdalErrors.Describe("I/O error")}");
            }
        }
        finally
        {
            Leave();
        }
    }

    public void SetNoData(int band, double value) =>
        Check(GdalNative.GDALSetRasterNoDataValue(BandHandle(band), value), "cannot set nodata");

    public void SetScaleOffset(int band, double scale, double offset)
    {
        Check(GdalNative.GDALSetRasterScale(BandHandle(band), scale), "cannot set scale");
        Check(GdalNative.GDALSetRasterOffset(BandHandle(band), offset), "cannot set offset");
    }

    public void SetDescription(int band, string description)
    {
        GdalNative.GDALSetDescription(BandHandle(band), description);
        _bands = null;
    }

    private void SetGrid(RasterGrid grid)
    {
        var c = stackalloc double[6];
        grid.Transform.ToArray().AsSpan().CopyTo(new Span<double>(c, 6));
        Check(GdalNative.GDALSetGeoTransform(Handle, c), "cannot set the geotransform");
        if (grid.HasCrs)
        {
            Check(GdalNative.GDALSetProjection(Handle, grid.CrsWkt), "cannot set the CRS");
        }
    }

    /// <summary>Flushes and closes, and throws if GDAL reported a failure doing so (a writer's last chance to fail).</summary>
    public void Close()
    {
        if (_handle.IsClosed)
        {
            return;
        }
        GdalErrors.Reset();
        GdalNative.GDALFlushCache(Handle);
        _handle.Dispose();
        if (GdalErrors.Failure is { } failure)
        {
            throw new RasterIOException(Path, $"{Display(Path)}: cannot finish writing: {failure.Trim()}");
        }
    }

    public void Dispose() => _handle.Dispose();

    private RasterBandInfo ReadBandInfo(int index)
    {
        var b = GdalNative.GDALGetRasterBand(Handle, index);
        int hasNoData, hasScale, hasOffset, bx, by;
        var noData = GdalNative.GDALGetRasterNoDataValue(b, &hasNoData);
        var scale = GdalNative.GDALGetRasterScale(b, &hasScale);
        var offset = GdalNative.GDALGetRasterOffset(b, &hasOffset);
        GdalNative.GDALGetBlockSize(b, &bx, &by);
        if (hasScale == 0 || scale == 0)
        {
            scale = 1;
        }
        if (hasOffset == 0)
        {
            offset = 0;
        }
        return new RasterBandInfo(
            index,
            (RasterDataType)GdalNative.GDALGetRasterDataType(b),
            hasNoData != 0 ? noData : null,
            scale,
            offset,
            scale != 1 || offset != 0,
            Marshal.PtrToStringUTF8(GdalNative.GDALGetDescription(b)) ?? string.Empty,
            bx,
            by,
            GdalNative.GDALGetOverviewCount(b));
    }

    private IntPtr BandHandle(int band)
    {
        CheckBand(band);
        return GdalNative.GDALGetRasterBand(Handle, band);
    }

    private void CheckBand(int band)
    {
        if (band < 1 || band > BandCount)
        {
            throw new RasterArgumentException(
                $"{Display(Path)}: band {band} does not exist (the raster has {BandCount} band{(BandCount == 1 ? "" : "s")})");
        }
    }

    private void Check(int cplErr, string what)
    {
        if (cplErr != 0)
        {
            throw new RasterIOException(Path, $"{Display(Path)}: {what}: {GdalErrors.Describe("GDAL error")}");
        }
    }

    private void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                $"{Display(Path)}: dataset used by two threads at once; open one dataset per thread");
        }
    }

    private void Leave() => Volatile.Write(ref _busy, 0);

    /// <summary>Paths as shown in messages: in-memory VRT XML is summarised, not printed.</summary>
    internal static string Display(string path) =>
        path.TrimStart().StartsWith('<') ? "(virtual raster)" : path;
}
