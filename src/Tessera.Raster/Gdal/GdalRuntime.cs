using System.Runtime.InteropServices;

namespace Tessera.Raster.Gdal;

/// <summary>
/// One-time set-up of the GDAL library: resolver, driver registration, error handler, and a bounded block
/// cache. Every entry point of the raster layer calls <see cref="EnsureInitialized"/> first.
/// </summary>
public static class GdalRuntime
{
    /// <summary>
    /// GDAL's default cache is 5 % of RAM. Tessera reads every block once and writes whole blocks past the
    /// cache, so a small cache is enough, bounds memory and is measurably faster (fresh pages are expensive;
    /// see docs/BENCHMARKS.md). <c>GDAL_CACHEMAX</c> in the environment wins.
    /// </summary>
    public const long DefaultCacheBytes = 16L * 1024 * 1024;

    /// <summary>GDAL's option reading uncompressed GeoTIFFs without the block cache: on by default (measured: the NDVI of
    /// a 10980 x 10980 uncompressed pair in 0.30 s instead of 0.32 s; docs/BENCHMARKS.md); the environment wins.</summary>
    public const string DirectIoOption = "GTIFF_DIRECT_IO";

    private static readonly Lazy<string> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>GDAL's release name, e.g. "3.6.2"; loads and initialises the library on first use.</summary>
    public static string Version => Initialized.Value;

    public static void EnsureInitialized() => _ = Initialized.Value;

    private static string Initialize()
    {
        GdalLibraryResolver.Install();
        string version;
        try
        {
            version = Marshal.PtrToStringUTF8(GdalNative.GDALVersionInfo("RELEASE_NAME")) ?? "unknown";
        }
        catch (DllNotFoundException)
        {
            throw new GdalLibraryNotFoundException(GdalLibraryResolver.Candidates().ToArray());
        }
        var parts = version.Split('.');
        if (parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor)
            && (major < 3 || (major == 3 && minor < 4)))
        {
            throw new RasterException($"GDAL {version} is too old; Tessera needs GDAL 3.4 or newer");
        }
        GdalErrors.Install();
        GdalNative.GDALAllRegister();
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GDAL_CACHEMAX")))
        {
            GdalNative.GDALSetCacheMax64(DefaultCacheBytes);
        }
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DirectIoOption)))
        {
            // Uncompressed GeoTIFFs are read straight from the file into the engine's buffers, not through the block
            // cache (GDAL falls back to the cache where it cannot: compressed files, writes, other resampling).
            GdalNative.CPLSetConfigOption(DirectIoOption, "YES");
        }
        return version;
    }

    /// <summary>
    /// Loads GDAL and exercises what the first real call would otherwise pay for: the GeoTIFF driver and the
    /// PROJ database (a tiny in-memory GeoTIFF with a CRS is written and read back). Meant to run on a
    /// background thread while the caller does other start-up work; errors are left to the real call.
    /// </summary>
    public static void WarmUp()
    {
        EnsureInitialized();
        const string path = "/vsimem/tessera-warm-up.tif";
        using (var srs = SpatialReference.FromUserInput("EPSG:32633"))
        {
            var grid = new RasterGrid(1, 1, new GeoTransform(500000, 10, 0, 4000000, 0, -10), srs.Wkt);
            using var created = RasterDataset.Create(path, "GTiff", grid, 1, RasterDataType.Byte);
            created.Close();
        }
        using (var reopened = RasterDataset.Open(path))
        {
            _ = reopened.CrsWkt;
        }
        GdalNative.VSIUnlink(path);
    }

    /// <summary><see cref="WarmUp"/> on a background thread, for a command to start before it parses its arguments; a
    /// failure is left to the first call that needs GDAL, which reports it on its own thread. Wait for the task before
    /// the process ends: GDAL must not be unloaded while it runs inside it.</summary>
    public static Task WarmUpInBackground() => Task.Run(() =>
    {
        try
        {
            WarmUp();
        }
        catch (Exception)
        {
            // reported again by the first real call
        }
    });

    /// <summary>Sets a GDAL configuration option for the whole process (e.g. GDAL_NUM_THREADS).</summary>
    public static void SetConfigOption(string key, string? value)
    {
        EnsureInitialized();
        GdalNative.CPLSetConfigOption(key, value);
    }

    /// <summary>Whether GDAL has a driver of that short name (e.g. "COG", "WEBP").</summary>
    public static bool HasDriver(string name)
    {
        EnsureInitialized();
        return GdalNative.GDALGetDriverByName(name) != IntPtr.Zero;
    }

    /// <summary>A metadata item of a driver, e.g. its creation option list (DMD_CREATIONOPTIONLIST).</summary>
    public static string? DriverMetadata(string driver, string item)
    {
        EnsureInitialized();
        var handle = GdalNative.GDALGetDriverByName(driver);
        return handle == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(GdalNative.GDALGetMetadataItem(handle, item, null));
    }
}
