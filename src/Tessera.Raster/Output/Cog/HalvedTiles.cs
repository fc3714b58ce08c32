using System.Collections.Concurrent;
using Tessera.Raster.Blocks;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// The first overview level of an even-sized raster, made tile by tile on the computing threads: each block of the full
/// resolution is averaged 2 x 2 straight into its quarter of the overview tile it falls in, and the thread whose block
/// completes a tile takes it (to encode it, and to halve it again for the next level), so the engine's thread only
/// appends what is already encoded. Only the tiles being filled are held; a tile's buffers are reused once it is
/// <see cref="Release"/>d.
/// </summary>
internal sealed class HalvedTiles
{
    private readonly int _tileSize;
    private readonly int _bands;
    private readonly RasterDataType _type;
    private readonly float _noData;
    private readonly bool _nearest;
    private readonly int[] _missing;
    private readonly Tile?[] _open;
    private readonly ConcurrentBag<Tile> _spare = [];

    /// <summary>A tile of the level: its values per band (row-major, its own width apart).</summary>
    public sealed class Tile(int bands, int tileSize)
    {
        public int Index { get; set; }

        public Window Window { get; set; }

        public float[][] Values { get; } = Enumerable.Range(0, bands).Select(_ => new float[tileSize * tileSize]).ToArray();
    }

    /// <param name="width">Full-resolution width (even).</param>
    /// <param name="height">Full-resolution height (even).</param>
    /// <param name="nearest">The top-left pixel of each 2 x 2 (GDAL's NEAREST) instead of their mean.</param>
    public HalvedTiles(int width, int height, int tileSize, int bands, RasterDataType type, float noData, bool nearest)
    {
        _tileSize = tileSize;
        _bands = bands;
        _type = type;
        _noData = noData;
        _nearest = nearest;
        Layout = new BlockLayout(width / 2, height / 2, tileSize);
        _missing = new int[Layout.Count];
        _open = new Tile?[Layout.Count];
        var blocks = new BlockLayout(width, height, tileSize);
        for (var i = 0; i < blocks.Count; i++)
        {
            _missing[IndexOf(blocks[i])]++;
        }
    }

    /// <summary>The level's tiles.</summary>
    public BlockLayout Layout { get; }

    private int IndexOf(Window block) => block.RowOffset / (2 * _tileSize) * Layout.Columns + block.ColOffset / (2 * _tileSize);

    /// <summary>
    /// On a computing thread: averages a full-resolution block (<paramref name="band"/> gives each band's values, as
    /// stored) into its tile; answers the tile when this block was the last it was waiting for, otherwise null.
    /// </summary>
    public Tile? Add(Window block, Func<int, ReadOnlySpan<float>> band)
    {
        var index = IndexOf(block);
        Tile tile;
        lock (_open)
        {
            if (_open[index] is { } open)
            {
                tile = open;
            }
            else
            {
                if (!_spare.TryTake(out var spare))
                {
                    spare = new Tile(_bands, _tileSize);
                }
                spare.Index = index;
                spare.Window = Layout[index];
                tile = _open[index] = spare;
            }
        }
        var window = tile.Window;
        var at = (block.RowOffset / 2 - window.RowOffset) * window.Width + block.ColOffset / 2 - window.ColOffset;
        for (var b = 0; b < _bands; b++)
        {
            Halve(block.Width, block.Height, band(b), tile.Values[b].AsSpan(at), window.Width);
        }
        if (Interlocked.Decrement(ref _missing[index]) != 0)
        {
            return null;
        }
        lock (_open)
        {
            _open[index] = null;
        }
        return tile;
    }

    /// <summary>Averages a completed tile 2 x 2 (its size even) into <paramref name="halves"/>, one per band.</summary>
    public void HalveAgain(Tile tile, float[][] halves)
    {
        var window = tile.Window;
        for (var b = 0; b < _bands; b++)
        {
            Halve(window.Width, window.Height, tile.Values[b], halves[b], window.Width / 2);
        }
    }

    private void Halve(int width, int height, ReadOnlySpan<float> values, Span<float> half, int halfStride)
    {
        if (_nearest)
        {
            NearestOverview.Halve(width, height, values, half, halfStride);
        }
        else
        {
            OverviewAveraging.Halve(width, height, values, half, halfStride, _type, _noData, stored: true);
        }
    }

    /// <summary>Gives a tile's buffers back, once everything made of it has been used.</summary>
    public void Release(Tile tile) => _spare.Add(tile);
}
