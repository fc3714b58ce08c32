using Tessera.Raster;

namespace Tessera.TestSupport;

/// <summary>Small deterministic rasters written with GDAL, for tests that need no real data.</summary>
public static class SyntheticRaster
{
    /// <summary>
    /// A UTM 33N grid of 10 m pixels with its upper-left corner at (500000, 4000000) shifted by whole pixels;
    /// <paramref name="pixelHeight"/> makes the pixels non-square (as in reprojected products, e.g. 30 x 29.97 m).
    /// </summary>
    public static RasterGrid Grid(int width, int height, double pixel = 10, double originX = 500_000, double originY = 4_000_000,
        double? pixelHeight = null) =>
        new(width, height, new GeoTransform(originX, pixel, 0, originY, 0, -(pixelHeight ?? pixel)), Utm33Wkt.Value);

    private static readonly Lazy<string> Utm33Wkt = new(() =>
    {
        using var srs = SpatialReference.FromUserInput("EPSG:32633");
        return srs.Wkt;
    });

    /// <summary>Writes a one-band GeoTIFF whose pixel (col, row) is <paramref name="value"/>(col, row).</summary>
    public static string Write<T>(string path, RasterGrid grid, Func<int, int, T> value, double? noData = null,
        double? scale = null, double? offset = null, string? description = null, int bands = 1, int blockSize = 16) where T : unmanaged
    {
        var block = blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var ds = RasterDataset.Create(path, "GTiff", grid, bands, RasterDataTypes.Of<T>(), ["TILED=YES", "BLOCKXSIZE=" + block, "BLOCKYSIZE=" + block]);
        var data = new T[grid.Width * grid.Height];
        for (var b = 1; b <= bands; b++)
        {
            for (var r = 0; r < grid.Height; r++)
            {
                for (var c = 0; c < grid.Width; c++)
                {
                    data[r * grid.Width + c] = value(c + (b - 1) * 1000, r);
                }
            }
            ds.Write<T>(b, grid.FullWindow, data);
            if (noData is { } nd)
            {
                ds.SetNoData(b, nd);
            }
            if (scale is not null || offset is not null)
            {
                ds.SetScaleOffset(b, scale ?? 1, offset ?? 0);
            }
            if (description is not null)
            {
                ds.SetDescription(b, bands == 1 ? description : $"{description}{b}");
            }
        }
        ds.Close();
        return path;
    }

    /// <summary>Reads band 1 of a raster entirely as floats.</summary>
    public static float[] ReadAll(string path, int band = 1)
    {
        using var ds = RasterDataset.Open(path);
        var data = new float[ds.Width * ds.Height];
        ds.Read<float>(band, new Window(0, 0, ds.Width, ds.Height), data);
        return data;
    }
}
