namespace Tessera.Raster;

/// <summary>An axis-aligned box: west/south/east/north in the units of some CRS.</summary>
public readonly record struct Bounds(double MinX, double MinY, double MaxX, double MaxY)
{
    public double Width => MaxX - MinX;

    public double Height => MaxY - MinY;

    public bool Intersects(Bounds other) =>
        MinX < other.MaxX && other.MinX < MaxX && MinY < other.MaxY && other.MinY < MaxY;

    public override string ToString() => FormattableString.Invariant($"[{MinX}, {MinY}, {MaxX}, {MaxY}]");
}
