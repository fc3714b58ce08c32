namespace Tessera.Raster;

/// <summary>A rectangle of pixels: column and row of its upper-left pixel, width and height.</summary>
public readonly record struct Window(int ColOffset, int RowOffset, int Width, int Height)
{
    public long PixelCount => (long)Width * Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>The part of this window inside another (empty when they do not meet).</summary>
    public Window Intersect(Window other)
    {
        var col = Math.Max(ColOffset, other.ColOffset);
        var row = Math.Max(RowOffset, other.RowOffset);
        var right = Math.Min(ColOffset + Width, other.ColOffset + other.Width);
        var bottom = Math.Min(RowOffset + Height, other.RowOffset + other.Height);
        return new Window(col, row, Math.Max(0, right - col), Math.Max(0, bottom - row));
    }

    public bool Contains(Window other) =>
        other.ColOffset >= ColOffset && other.RowOffset >= RowOffset
        && other.ColOffset + other.Width <= ColOffset + Width
        && other.RowOffset + other.Height <= RowOffset + Height;

    public override string ToString() => $"(col {ColOffset}, row {RowOffset}, {Width}x{Height})";
}
