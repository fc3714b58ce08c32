namespace Tessera.Raster.Blocks;

/// <summary>A grid cut into square blocks in row-major order; the last row and column may be smaller.</summary>
public readonly record struct BlockLayout(int Width, int Height, int BlockSize)
{
    public int Columns => (Width + BlockSize - 1) / BlockSize;

    public int Rows => (Height + BlockSize - 1) / BlockSize;

    public int Count => Columns * Rows;

    public Window this[int index]
    {
        get
        {
            var col = index % Columns * BlockSize;
            var row = index / Columns * BlockSize;
            return new Window(col, row, Math.Min(BlockSize, Width - col), Math.Min(BlockSize, Height - row));
        }
    }
}
