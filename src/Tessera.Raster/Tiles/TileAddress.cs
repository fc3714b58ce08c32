namespace Tessera.Raster.Tiles;

/// <summary>An XYZ tile of the Web Mercator grid (x to the east, y to the south, 2^z tiles a side).</summary>
public readonly record struct TileAddress(int Z, int X, int Y)
{
    /// <summary>Deepest zoom served: 24 is about 1 cm pixels, past any sensor.</summary>
    public const int MaxZoom = 24;

    /// <summary>The tile, or null with the reason when z/x/y are not a tile of the grid.</summary>
    public static TileAddress? TryCreate(int z, int x, int y, out string? error)
    {
        error = null;
        if (z is < 0 or > MaxZoom)
        {
            error = $"zoom {z} is outside 0..{MaxZoom}";
            return null;
        }
        var count = 1L << z;
        if (x < 0 || x >= count || y < 0 || y >= count)
        {
            error = $"tile {x}/{y} does not exist at zoom {z} (0..{count - 1} each way)";
            return null;
        }
        return new TileAddress(z, x, y);
    }

    /// <summary>The tile's extent in Web Mercator metres.</summary>
    public Bounds Bounds
    {
        get
        {
            var size = WebMercator.WorldSize / (1L << Z);
            var minX = -WebMercator.HalfWorld + X * size;
            var maxY = WebMercator.HalfWorld - Y * size;
            return new Bounds(minX, maxY - size, minX + size, maxY);
        }
    }

    public override string ToString() => $"{Z}/{X}/{Y}";
}
