namespace Tessera.Raster.Output.Cog;

/// <summary>
/// Gathers rectangles of a raster that arrive in any order (the engine's blocks, or their halves) into strips of
/// <c>stripHeight</c> whole rows, and hands each strip on, in order, as soon as it is complete; a strip's buffers are
/// reused once the handler returns, so only the strips being filled are held.
/// </summary>
internal sealed class StripAssembler(int width, int height, int stripHeight, int bands, Action<int, float[][], int> complete)
{
    private readonly Dictionary<int, (float[][] Values, long Filled)> _filling = [];
    private readonly Stack<float[][]> _spare = new();
    private int _next;

    /// <summary>Whether every strip has been handed on.</summary>
    public bool Complete => (long)_next * stripHeight >= height;

    private int Rows(int strip) => Math.Min(stripHeight, height - strip * stripHeight);

    /// <summary>Takes a rectangle (row-major values per band, <paramref name="pieceWidth"/> wide), which must lie in one
    /// strip and arrive once.</summary>
    public void Add(int col, int row, int pieceWidth, int pieceHeight, IReadOnlyList<float[]> pieces)
    {
        var strip = row / stripHeight;
        if (strip < _next || (row + pieceHeight - 1) / stripHeight != strip)
        {
            throw new RasterException("a block reached the overviews twice or across tile rows");
        }
        if (!_filling.TryGetValue(strip, out var entry))
        {
            entry = (_spare.Count > 0 ? _spare.Pop() : Enumerable.Range(0, bands).Select(_ => new float[width * stripHeight]).ToArray(), 0);
        }
        var top = row - strip * stripHeight;
        for (var b = 0; b < bands; b++)
        {
            for (var r = 0; r < pieceHeight; r++)
            {
                pieces[b].AsSpan(r * pieceWidth, pieceWidth).CopyTo(entry.Values[b].AsSpan((top + r) * width + col));
            }
        }
        entry.Filled += (long)pieceWidth * pieceHeight;
        _filling[strip] = entry;
        while (_filling.TryGetValue(_next, out var done) && done.Filled == (long)width * Rows(_next))
        {
            _filling.Remove(_next);
            complete(_next, done.Values, Rows(_next));
            _spare.Push(done.Values);
            _next++;
        }
    }
}
