using System.Globalization;
using Tessera.Raster.Alignment;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Tiles;

/// <summary>
/// One raster opened for tiling: its footprint in Web Mercator and lon/lat, and tiles read from it by GDAL's
/// warper (any source CRS; from the overview that suits the zoom, so low zooms read little). Not thread-safe:
/// a server keeps a pool of these per file.
/// </summary>
public sealed unsafe class TileSource : IDisposable
{
    private readonly RasterDataset _dataset;

    private TileSource(RasterDataset dataset, Bounds mercator, Bounds lonLat, double mercatorResolution)
    {
        _dataset = dataset;
        MercatorBounds = mercator;
        LonLatBounds = lonLat;
        MercatorResolution = mercatorResolution;
    }

    public int BandCount => _dataset.BandCount;

    public IReadOnlyList<RasterBandInfo> Bands => _dataset.Bands;

    /// <summary>The footprint in Web Mercator metres (clipped to the square world).</summary>
    public Bounds MercatorBounds { get; }

    /// <summary>The footprint in WGS 84 longitude/latitude.</summary>
    public Bounds LonLatBounds { get; }

    /// <summary>About how many Web Mercator metres one source pixel covers (for the deepest useful zoom).</summary>
    public double MercatorResolution { get; }

    /// <summary>Opens a georeferenced raster; <see cref="RasterArgumentException"/> when it has no CRS.</summary>
    public static TileSource Open(string path)
    {
        var dataset = RasterDataset.Open(path);
        try
        {
            var grid = dataset.Grid;
            if (!dataset.HasGeoTransform || !grid.HasCrs)
            {
                throw new RasterArgumentException($"{Path.GetFileName(path)} has no georeference: it cannot be shown on a map");
            }
            using var source = SpatialReference.FromWkt(grid.CrsWkt);
            using var wgs84 = SpatialReference.Wgs84();
            using var mercator = SpatialReference.FromUserInput("EPSG:3857");
            var lonLat = source.TransformBounds(wgs84, grid.Bounds);
            var clipped = new Bounds(Math.Max(lonLat.MinX, -180), Math.Max(lonLat.MinY, -WebMercator.MaxLatitude),
                Math.Min(lonLat.MaxX, 180), Math.Min(lonLat.MaxY, WebMercator.MaxLatitude));
            if (clipped.MinX >= clipped.MaxX || clipped.MinY >= clipped.MaxY)
            {
                throw new RasterArgumentException($"{Path.GetFileName(path)} lies outside the Web Mercator world");
            }
            var inMercator = wgs84.TransformBounds(mercator, clipped);
            var resolution = Math.Sqrt(inMercator.Width * inMercator.Height / ((double)grid.Width * grid.Height));
            return new TileSource(dataset, inMercator, lonLat, resolution);
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The tile's pixels, one float plane per band (NaN where there is no data), or null when the tile does
    /// not touch the raster at all.
    /// </summary>
    public float[][]? Read(TileAddress tile, int size = 256, Resampling resampling = Resampling.Nearest)
    {
        var bounds = tile.Bounds;
        if (!bounds.Intersects(MercatorBounds))
        {
            return null;
        }
        var pixel = bounds.Width / size;
        var grid = new RasterGrid(size, size, new GeoTransform(bounds.MinX, pixel, 0, bounds.MaxY, 0, -pixel), WebMercator.Wkt);
        using var target = RasterDataset.Create(string.Empty, "MEM", grid, BandCount, RasterDataType.Float32);
        // The warper skips the parts of the tile no source pixel reaches, initialising nothing there: the
        // tile starts as no data everywhere.
        var empty = new float[size * size];
        empty.AsSpan().Fill(float.NaN);
        for (var b = 1; b <= BandCount; b++)
        {
            target.SetNoData(b, double.NaN);
            target.Write<float>(b, grid.FullWindow, empty);
        }
        Warp(target, resampling);
        var planes = new float[BandCount][];
        for (var b = 0; b < BandCount; b++)
        {
            planes[b] = new float[size * size];
            target.Read<float>(b + 1, grid.FullWindow, planes[b]);
        }
        return planes;
    }

    private void Warp(RasterDataset target, Resampling resampling)
    {
        using var argv = new CStringList(["-r", resampling.ToGdal(), "-dstnodata", "nan", "-wo", "INIT_DEST=NO_DATA", "-ovr", "AUTO"]);
        GdalErrors.Reset();
        var options = GdalNative.GDALWarpAppOptionsNew(argv.Pointer, IntPtr.Zero);
        if (options == IntPtr.Zero)
        {
            throw new RasterIOException(_dataset.Path, $"bad warp options: {GdalErrors.Describe("rejected")}");
        }
        try
        {
            var source = _dataset.Handle;
            int usageError;
            var result = GdalNative.GDALWarp(null, target.Handle, 1, &source, options, &usageError);
            if (result == IntPtr.Zero)
            {
                throw new RasterIOException(_dataset.Path,
                    string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(_dataset.Path)}: cannot warp a tile: {GdalErrors.Describe("GDAL warp failed")}"));
            }
            // The result is the target dataset itself: closed by its owner.
        }
        finally
        {
            GdalNative.GDALWarpAppOptionsFree(options);
        }
    }

    public void Dispose() => _dataset.Dispose();
}
