using Tessera.Raster.Blocks;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Output;

/// <summary>
/// A result being written; nothing appears at its path until <see cref="Commit"/>, and disposing without a commit
/// deletes every temporary file, so a failed run leaves nothing behind. A COG run through
/// <see cref="BlockEngine.Run(BlockJob, RasterOutput, IProgress{RasterProgress}?, CancellationToken)"/> is written in
/// that pass (<see cref="Cog.CogWriter"/>: tiles encoded as they are computed, overviews and statistics made from them,
/// nothing read back) when its options are ones that writer covers; otherwise, or when pixels are written into
/// <see cref="Dataset"/> directly, they go to a hidden staging GeoTIFF that GDAL's COG driver copies at the commit.
/// </summary>
public sealed unsafe class RasterOutput : IDisposable
{
    private readonly string _finalPath;
    private readonly List<string> _options;
    private readonly string _stagingPath;
    private readonly string? _cogPath;
    private readonly RasterGrid _grid;
    private readonly RasterDataType _type;
    private readonly IReadOnlyList<string> _descriptions;
    private readonly double _noData;
    private readonly List<string> _stagingOptions;
    private RasterDataset? _staging;
    private long _reserved;
    private Cog.CogWriter? _cog;
    private PassStatistics? _cogStatistics;
    private bool _cogStarted;
    private OverviewPyramid? _pyramid;
    private bool _committed;

    private RasterOutput(string finalPath, List<string> options, string stagingPath, List<string> stagingOptions, string? cogPath,
        RasterGrid grid, RasterDataType type, IReadOnlyList<string> descriptions, double noData)
    {
        _finalPath = finalPath;
        _options = options;
        _stagingPath = stagingPath;
        _stagingOptions = stagingOptions;
        _cogPath = cogPath;
        _grid = grid;
        _type = type;
        _descriptions = descriptions;
        _noData = noData;
    }

    /// <summary>The dataset to write pixels into directly (a staging file GDAL finishes at the commit). Taking it gives
    /// up writing the COG in the pass.</summary>
    public RasterDataset Dataset
    {
        get
        {
            if (Part is not null)
            {
                throw new RasterArgumentException("this result cannot be computed in parts: its pixels are not made by the block engine");
            }
            return Staging;
        }
    }

    private RasterDataset Staging
    {
        get
        {
            if (_staging is null)
            {
                if (_cogStarted)
                {
                    throw new InvalidOperationException("this result is being written in the processing pass");
                }
                _cog?.Dispose();
                _cog = null;
                _staging = OpenStaging();
            }
            return _staging;
        }
    }

    public string FinalPath => _finalPath;

    /// <summary>Whether the bands' statistics, counted as the blocks passed, are in the file (after <see cref="Commit"/>).</summary>
    internal bool StatisticsStored { get; private set; }

    /// <summary>Whether the COG's overviews were made as the blocks passed (after <see cref="Commit"/>).</summary>
    internal bool OverviewsMadeInPass { get; private set; }

    /// <summary>Whether the COG was written in the processing pass (after <see cref="Commit"/>).</summary>
    internal bool WrittenInPass { get; private set; }

    private static readonly AsyncLocal<(string Path, int MaxSide)?> PreviewScope = new();

    private static readonly AsyncLocal<(string Path, Window Part)?> PartScope = new();

    /// <summary>
    /// Within the returned scope, the result written at <paramref name="outputPath"/> holds only <paramref name="part"/>
    /// of the grid it is begun on (one tile of a result computed by several workers): the block engine computes only that
    /// window's pixels, read from the inputs exactly where the whole result reads them, and the file is that window's own
    /// grid. A result whose pixels are written other than by the block engine cannot be made in parts, and says so.
    /// </summary>
    public static IDisposable OnlyPart(string outputPath, Window part)
    {
        var previous = PartScope.Value;
        PartScope.Value = (System.IO.Path.GetFullPath(outputPath), part);
        return new ScopeEnd(() => PartScope.Value = previous);
    }

    /// <summary>The window of the whole grid this result holds (see <see cref="OnlyPart"/>); null: all of it.</summary>
    internal Window? Part { get; private init; }

    /// <summary>
    /// Within the returned scope, the result written at <paramref name="outputPath"/> also leaves, when its COG is written
    /// in the pass, the sample its preview is drawn from (<see cref="PreviewSamplePath"/>), taken from the overviews as
    /// they passed: publishing then draws the preview without reading the result.
    /// </summary>
    public static IDisposable KeepPreviewSample(string outputPath, int maxSide)
    {
        var previous = PreviewScope.Value;
        PreviewScope.Value = (System.IO.Path.GetFullPath(outputPath), maxSide);
        return new ScopeEnd(() => PreviewScope.Value = previous);
    }

    /// <summary>Where the preview sample of the result at <paramref name="path"/> is left.</summary>
    public static string PreviewSamplePath(string path) => path + ".preview-sample";

    private sealed class ScopeEnd(Action end) : IDisposable
    {
        public void Dispose() => end();
    }

    /// <summary>Default COG options: ZSTD (DEFLATE where GDAL lacks it) with a predictor, 512-pixel tiles,
    /// averaged internal overviews, compression on every core.</summary>
    /// <param name="bands">The raster's bands: a COG's tile holds them all (pixel-interleaved), so a raster of many bands
    /// gets smaller tiles, each decoding into at most <see cref="MaxDefaultTileBytes"/> (a 68-date stack of Float32: 128).</param>
    public static IReadOnlyList<string> DefaultCogOptions(int bands = 1, RasterDataType type = RasterDataType.Float64) =>
    [
        $"COMPRESS={(SupportsZstd() ? "ZSTD" : "DEFLATE")}",
        "LEVEL=1",
        "PREDICTOR=YES",
        $"BLOCKSIZE={DefaultTileSize(bands, type)}",
        "OVERVIEWS=AUTO",
        "OVERVIEW_RESAMPLING=AVERAGE",
        "NUM_THREADS=ALL_CPUS",
        "BIGTIFF=IF_SAFER",
    ];

    /// <summary>The most bytes a default COG tile decodes into, all its bands together.</summary>
    public const long MaxDefaultTileBytes = 16L << 20;

    /// <summary>512, halved (down to 64) until a tile of <paramref name="bands"/> bands fits in <see cref="MaxDefaultTileBytes"/>.</summary>
    public static int DefaultTileSize(int bands, RasterDataType type)
    {
        var size = 512;
        while (size > 64 && (long)size * size * Math.Max(1, bands) * type.SizeInBytes() > MaxDefaultTileBytes)
        {
            size /= 2;
        }
        return size;
    }

    /// <summary>Default plain GeoTIFF options: GDAL's own (uncompressed) but tiled 512 x 512 and band-interleaved,
    /// which suits block-wise writing (each band's block is written whole, never merged with the others');
    /// compression is added with creation options, as with gdal_translate.</summary>
    public static IReadOnlyList<string> DefaultGTiffOptions() =>
    [
        "TILED=YES",
        "BLOCKXSIZE=512",
        "BLOCKYSIZE=512",
        "INTERLEAVE=BAND",
        "BIGTIFF=IF_SAFER",
    ];

    /// <summary>Starts a result at <paramref name="path"/>; nothing appears there until <see cref="Commit"/>.</summary>
    public static RasterOutput Begin(string path, OutputOptions options, RasterGrid grid, RasterDataType type,
        IReadOnlyList<string> bandDescriptions, double noData)
    {
        GdalRuntime.EnsureInitialized();
        var format = OutputFormats.Normalize(options.Format);
        var (full, folder) = OutputTarget.Check(path);
        var stem = $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}";
        var stagingPath = System.IO.Path.Combine(folder, stem + ".staging.tif");
        string? cogPath = null;
        List<string> stagingOptions;
        List<string> finalOptions;
        if (format == OutputFormats.Cog)
        {
            cogPath = System.IO.Path.Combine(folder, stem + ".tif");
            finalOptions = CreationOptions.Merge(DefaultCogOptions(bandDescriptions.Count, type), options.CreationOptionList);
            // The staging file is read back once by the COG writer: tiled, uncompressed, cheap to write.
            stagingOptions = ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "INTERLEAVE=BAND", "BIGTIFF=IF_SAFER", "SPARSE_OK=TRUE"];
        }
        else
        {
            finalOptions = CreationOptions.Merge(DefaultGTiffOptions(), options.CreationOptionList);
            stagingOptions = finalOptions;
        }
        Window? part = null;
        if (PartScope.Value is { } only && only.Path == full)
        {
            grid = grid.Part(only.Part);
            part = only.Part;
        }
        var output = new RasterOutput(full, finalOptions, stagingPath, stagingOptions, cogPath, grid, type, bandDescriptions, noData) { Part = part };
        if (PreviewScope.Value is { } scope && scope.Path == full)
        {
            TryDelete(PreviewSamplePath(full)); // a sample left by an earlier attempt is not this result's
        }
        try
        {
            if (cogPath is not null && Cog.NativeCodecs.Available
                && Cog.CogSettings.TryParse(finalOptions, grid.Width, grid.Height, bandDescriptions.Count, type) is { } settings)
            {
                try
                {
                    output._cogStatistics = PassStatistics.For(grid.Width, grid.Height, bandDescriptions.Count, type, noData);
                    output._cog = new Cog.CogWriter(cogPath, grid, bandDescriptions.Count, type, noData, settings)
                    {
                        Statistics = output._cogStatistics,
                    };
                    if (PreviewScope.Value is { } preview && preview.Path == full)
                    {
                        output._cog.KeepPreview(preview.MaxSide);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new RasterIOException(path, $"{path}: cannot write: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}");
                }
            }
            else
            {
                output._staging = output.OpenStaging();
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }
        return output;
    }

    private RasterDataset OpenStaging()
    {
        RasterDataset staging;
        try
        {
            staging = RasterDataset.Create(_stagingPath, "GTiff", _grid, _descriptions.Count, _type, _stagingOptions);
        }
        catch (RasterIOException e)
        {
            TryDelete(_stagingPath);
            var folder = System.IO.Path.GetDirectoryName(_stagingPath)!;
            var reason = e.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase) || !CanWrite(folder)
                ? "permission denied"
                : e.Message;
            throw new RasterIOException(_finalPath, $"{_finalPath}: cannot write: {reason}");
        }
        try
        {
            _reserved = UncompressedBytes(staging);
            Preallocation.Reserve(_stagingPath, _reserved);
            Describe(staging, statistics: null);
            if (_cogPath is not null && OverviewPyramid.TryCreate(staging, _type, _noData, _options) is { } pyramid)
            {
                // The overviews are made as the blocks pass; the COG copy takes them as they are.
                _pyramid = pyramid;
                staging.Pyramid = pyramid;
            }
            if (_cogPath is not null)
            {
                // And the statistics, which the COG copy keeps with the bands' metadata.
                staging.Statistics = PassStatistics.For(staging.Width, staging.Height, staging.BandCount, _type, _noData);
            }
        }
        catch
        {
            staging.Dispose();
            TryDelete(_stagingPath);
            throw;
        }
        return staging;
    }

    /// <summary>The pixels' bytes of an uncompressed staging file (its blocks padded whole, as GDAL made them); 0 when it
    /// is compressed, its size then unknown.</summary>
    private long UncompressedBytes(RasterDataset staging)
    {
        var compression = CreationOptions.Find(_stagingOptions, "COMPRESS");
        if (compression is not null && !compression.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
        var band = staging.Band(1);
        long columns = (staging.Width + band.BlockWidth - 1) / band.BlockWidth, rows = (staging.Height + band.BlockHeight - 1) / band.BlockHeight;
        return columns * band.BlockWidth * rows * band.BlockHeight * staging.BandCount * GdalNative.GDALGetDataTypeSizeBytes((int)_type);
    }

    /// <summary>Sets the bands' nodata and descriptions (and the statistics, when given and whole) on a dataset.</summary>
    private void Describe(RasterDataset dataset, PassStatistics? statistics)
    {
        for (var b = 1; b <= _descriptions.Count; b++)
        {
            dataset.SetNoData(b, _noData);
            dataset.SetDescription(b, _descriptions[b - 1]);
        }
        if (statistics is not null)
        {
            StatisticsStored = statistics.Store(dataset);
        }
    }

    /// <summary>Where the engine puts a job's blocks: the COG writer when it covers this job, else the staging dataset.</summary>
    internal IBlockTarget TargetFor(BlockJob job)
    {
        if (_cog is not null && !_cogStarted && job.BlockSize == _cog.TileSize)
        {
            _cogStarted = true;
            return _cog;
        }
        if (_cogStarted)
        {
            throw new InvalidOperationException("this result was already written in a processing pass");
        }
        return new BlockWriter(Staging, job);
    }

    /// <summary>Finishes the file and moves it to its final name (replacing an existing file there).</summary>
    public void Commit(IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        string done;
        if (_cog is not null && _cogStarted)
        {
            progress?.Report(new RasterProgress("write COG", 0, 1));
            _cog.Commit(dataset => Describe(dataset, _cogStatistics));
            _cog.PreviewSample()?.Write(PreviewSamplePath(_finalPath));
            OverviewsMadeInPass = _cog.OverviewLevels > 0;
            WrittenInPass = true;
            _cog.Dispose();
            progress?.Report(new RasterProgress("write COG", 1, 1));
            done = _cogPath!;
        }
        else
        {
            var staging = Staging;
            staging.Pyramid = null;
            _pyramid?.Finish();
            OverviewsMadeInPass = _pyramid?.MadeInPass == true;
            StatisticsStored = staging.Statistics?.Store(staging) == true;
            staging.Statistics = null;
            staging.Close();
            Preallocation.ReleaseBeyondEnd(_stagingPath, _reserved);
            done = _stagingPath;
            if (_cogPath is not null)
            {
                WriteCog(progress, cancellationToken);
                TryDelete(_stagingPath);
                done = _cogPath;
            }
        }
        try
        {
            File.Move(done, _finalPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RasterIOException(_finalPath, $"{_finalPath}: cannot write: {e.Message}");
        }
        _committed = true;
    }

    private void WriteCog(IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        using var staging = RasterDataset.Open(_stagingPath);
        var driver = GdalNative.GDALGetDriverByName("COG");
        if (driver == IntPtr.Zero)
        {
            throw new RasterIOException(_finalPath, "this GDAL has no COG driver (GDAL 3.1 or newer is needed); use --of GTiff");
        }
        using var options = new CStringList(_pyramid is null ? _options
            : [.. _options.Where(o => !o.StartsWith("OVERVIEWS=", StringComparison.OrdinalIgnoreCase)), "OVERVIEWS=FORCE_USE_EXISTING"]);
        GdalErrors.Reset();
        var copy = CogCopy.Copy(driver, _cogPath!, staging.Handle, options, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (copy == IntPtr.Zero)
        {
            throw new RasterIOException(_finalPath, $"{_finalPath}: cannot write the COG: {GdalErrors.Describe("GDAL failed")}");
        }
        GdalErrors.Reset();
        GdalNative.GDALClose(copy);
        if (GdalErrors.Failure is { } failure)
        {
            throw new RasterIOException(_finalPath, $"{_finalPath}: cannot finish the COG: {failure}");
        }
    }

    public void Dispose()
    {
        _staging?.Dispose();
        _cog?.Dispose();
        if (!_committed)
        {
            TryDelete(_stagingPath);
            if (_cogPath is not null)
            {
                TryDelete(_cogPath);
            }
        }
    }

    private static bool SupportsZstd() =>
        GdalRuntime.DriverMetadata("COG", "DMD_CREATIONOPTIONLIST")?.Contains("ZSTD", StringComparison.Ordinal) == true;

    private static bool CanWrite(string folder)
    {
        try
        {
            var probe = System.IO.Path.Combine(folder, $".tessera-probe-{Guid.NewGuid():N}");
            using (File.Create(probe))
            {
            }
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
            // GDAL may leave an auxiliary file when statistics or metadata were written.
            if (File.Exists(path + ".aux.xml"))
            {
                File.Delete(path + ".aux.xml");
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
