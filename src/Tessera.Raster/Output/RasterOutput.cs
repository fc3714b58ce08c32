using System.Runtime.InteropServices;
using Tessera.Raster.Blocks;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Output;

/// <summary>
/// A result being written. Pixels go to a hidden temporary file next to the destination; <see cref="Commit"/>
/// finishes it (for COG: copies it into a Cloud-Optimized GeoTIFF with internal overviews) and renames it
/// into place. Disposing without a commit deletes every temporary file, so a failed run leaves nothing behind.
/// </summary>
public sealed unsafe class RasterOutput : IDisposable
{
    private readonly string _finalPath;
    private readonly string _format;
    private readonly List<string> _options;
    private readonly string _stagingPath;
    private readonly string? _cogPath;
    private OverviewPyramid? _pyramid;
    private bool _committed;

    private RasterOutput(string finalPath, string format, List<string> options, RasterDataset staging, string stagingPath, string? cogPath)
    {
        _finalPath = finalPath;
        _format = format;
        _options = options;
        Dataset = staging;
        _stagingPath = stagingPath;
        _cogPath = cogPath;
    }

    /// <summary>The dataset to write pixels into (the staging file).</summary>
    public RasterDataset Dataset { get; }

    public string FinalPath => _finalPath;

    /// <summary>Whether the bands' statistics, counted as the blocks passed, are in the file (after <see cref="Commit"/>).</summary>
    internal bool StatisticsStored { get; private set; }

    /// <summary>Whether the COG's overviews were made as the blocks passed (after <see cref="Commit"/>).</summary>
    internal bool OverviewsMadeInPass => _pyramid?.MadeInPass == true;

    /// <summary>Default COG options: ZSTD (DEFLATE where GDAL lacks it) with a predictor, 512-pixel tiles,
    /// averaged internal overviews, compression on every core.</summary>
    public static IReadOnlyList<string> DefaultCogOptions() =>
    [
        $"COMPRESS={(SupportsZstd() ? "ZSTD" : "DEFLATE")}",
        "LEVEL=1",
        "PREDICTOR=YES",
        "BLOCKSIZE=512",
        "OVERVIEWS=AUTO",
        "OVERVIEW_RESAMPLING=AVERAGE",
        "NUM_THREADS=ALL_CPUS",
        "BIGTIFF=IF_SAFER",
    ];

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
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new RasterIOException(path, $"{path}: cannot write: folder {folder} does not exist");
        }
        if (Directory.Exists(full))
        {
            throw new RasterIOException(path, $"{path}: cannot write: it is a folder");
        }
        var stem = $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}";
        var stagingPath = System.IO.Path.Combine(folder, stem + ".staging.tif");
        string? cogPath = null;
        List<string> stagingOptions;
        List<string> finalOptions;
        if (format == OutputFormats.Cog)
        {
            cogPath = System.IO.Path.Combine(folder, stem + ".tif");
            finalOptions = CreationOptions.Merge(DefaultCogOptions(), options.CreationOptionList);
            // The staging file is read back once by the COG writer: tiled, uncompressed, cheap to write.
            stagingOptions = ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "INTERLEAVE=BAND", "BIGTIFF=IF_SAFER", "SPARSE_OK=TRUE"];
        }
        else
        {
            finalOptions = CreationOptions.Merge(DefaultGTiffOptions(), options.CreationOptionList);
            stagingOptions = finalOptions;
        }

        RasterDataset staging;
        try
        {
            staging = RasterDataset.Create(stagingPath, "GTiff", grid, bandDescriptions.Count, type, stagingOptions);
        }
        catch (RasterIOException e)
        {
            TryDelete(stagingPath);
            var reason = e.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase) || !CanWrite(folder)
                ? "permission denied"
                : e.Message;
            throw new RasterIOException(path, $"{path}: cannot write: {reason}");
        }
        var output = new RasterOutput(full, format, finalOptions, staging, stagingPath, cogPath);
        try
        {
            for (var b = 1; b <= bandDescriptions.Count; b++)
            {
                staging.SetNoData(b, noData);
                staging.SetDescription(b, bandDescriptions[b - 1]);
            }
            if (cogPath is not null && OverviewPyramid.TryCreate(staging, type, noData, finalOptions) is { } pyramid)
            {
                // The overviews are made as the blocks pass; the COG copy takes them as they are.
                output._pyramid = pyramid;
                staging.Pyramid = pyramid;
            }
            if (cogPath is not null)
            {
                // And the statistics, which the COG copy keeps with the bands' metadata.
                staging.Statistics = PassStatistics.For(staging, type, noData);
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }
        return output;
    }

    /// <summary>Finishes the file and moves it to its final name (replacing an existing file there).</summary>
    public void Commit(IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Dataset.Pyramid = null;
        _pyramid?.Finish();
        StatisticsStored = Dataset.Statistics?.Store() == true;
        Dataset.Statistics = null;
        Dataset.Close();
        var done = _stagingPath;
        if (_cogPath is not null)
        {
            WriteCog(progress, cancellationToken);
            TryDelete(_stagingPath);
            done = _cogPath;
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
        var state = new CopyProgress(progress, cancellationToken);
        var handle = GCHandle.Alloc(state);
        try
        {
            GdalErrors.Reset();
            var copy = GdalNative.GDALCreateCopy(driver, _cogPath!, staging.Handle, 0, options.Pointer, &OnCopyProgress, GCHandle.ToIntPtr(handle));
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
        finally
        {
            handle.Free();
        }
    }

    private sealed class CopyProgress(IProgress<RasterProgress>? progress, CancellationToken token)
    {
        public IProgress<RasterProgress>? Progress { get; } = progress;

        public CancellationToken Token { get; } = token;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static int OnCopyProgress(double complete, byte* message, IntPtr arg)
    {
        var state = (CopyProgress)GCHandle.FromIntPtr(arg).Target!;
        state.Progress?.Report(new RasterProgress("write COG", (long)(complete * 1000), 1000));
        return state.Token.IsCancellationRequested ? 0 : 1;
    }

    public void Dispose()
    {
        Dataset.Dispose();
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
