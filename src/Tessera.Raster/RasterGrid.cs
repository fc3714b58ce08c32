namespace Tessera.Raster;

/// <summary>A pixel grid on the Earth: size, geotransform and CRS (WKT; empty when the raster has none).</summary>
public sealed record RasterGrid(int Width, int Height, GeoTransform Transform, string CrsWkt)
{
    /// <summary>The grid's extent in its own CRS.</summary>
    public Bounds Bounds
    {
        get
        {
            Span<(double X, double Y)> corners =
            [
                Transform.PixelToWorld(0, 0), Transform.PixelToWorld(Width, 0),
                Transform.PixelToWorld(0, Height), Transform.PixelToWorld(Width, Height),
            ];
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity;
            double maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            foreach (var (x, y) in corners)
            {
                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y);
                maxY = Math.Max(maxY, y);
            }
            return new Bounds(minX, minY, maxX, maxY);
        }
    }

    public Window FullWindow => new(0, 0, Width, Height);

    /// <summary>The grid of a window of this one: the same pixels and CRS, its origin at the window's corner.</summary>
    public RasterGrid Part(Window window)
    {
        if (window.IsEmpty || !FullWindow.Contains(window))
        {
            throw new RasterArgumentException($"the window {window} is not inside the {Width}x{Height} grid");
        }
        var (x, y) = Transform.PixelToWorld(window.ColOffset, window.RowOffset);
        return new RasterGrid(window.Width, window.Height, Transform with { OriginX = x, OriginY = y }, CrsWkt);
    }

    public bool HasCrs => !string.IsNullOrWhiteSpace(CrsWkt);

    public bool IsSameCrs(RasterGrid other)
    {
        if (CrsWkt == other.CrsWkt)
        {
            return true;
        }
        if (!HasCrs || !other.HasCrs)
        {
            return false;
        }
        using var a = SpatialReference.FromWkt(CrsWkt);
        using var b = SpatialReference.FromWkt(other.CrsWkt);
        return a.IsSame(b);
    }
}
