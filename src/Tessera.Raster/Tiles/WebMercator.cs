namespace Tessera.Raster.Tiles;

/// <summary>EPSG:3857, the CRS of web map tiles.</summary>
public static class WebMercator
{
    /// <summary>Half the width of the world in metres (the equator's length / 2).</summary>
    public const double HalfWorld = 20037508.342789244;

    public const double WorldSize = 2 * HalfWorld;

    /// <summary>The latitude where the square world ends.</summary>
    public const double MaxLatitude = 85.0511287798066;

    private static readonly Lazy<string> LazyWkt = new(() =>
    {
        using var srs = SpatialReference.FromUserInput("EPSG:3857");
        return srs.Wkt;
    });

    public static string Wkt => LazyWkt.Value;

    /// <summary>The tile at <paramref name="zoom"/> that holds the point (longitude, latitude in degrees).</summary>
    public static TileAddress TileAt(double longitude, double latitude, int zoom)
    {
        var n = 1L << zoom;
        var lat = Math.Clamp(latitude, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        var x = (long)Math.Floor((longitude + 180) / 360 * n);
        var y = (long)Math.Floor((1 - Math.Log(Math.Tan(lat) + 1 / Math.Cos(lat)) / Math.PI) / 2 * n);
        return new TileAddress(zoom, (int)Math.Clamp(x, 0, n - 1), (int)Math.Clamp(y, 0, n - 1));
    }

    /// <summary>Pixel size in metres of a 256-pixel tile at <paramref name="zoom"/> (on the equator).</summary>
    public static double Resolution(int zoom, int tileSize = 256) => WorldSize / tileSize / (1L << zoom);

    /// <summary>The zoom whose pixels are at least as fine as <paramref name="metres"/> (capped at <see cref="TileAddress.MaxZoom"/>).</summary>
    public static int ZoomFor(double metres, int tileSize = 256)
    {
        for (var z = 0; z <= TileAddress.MaxZoom; z++)
        {
            if (Resolution(z, tileSize) <= metres)
            {
                return z;
            }
        }
        return TileAddress.MaxZoom;
    }
}
