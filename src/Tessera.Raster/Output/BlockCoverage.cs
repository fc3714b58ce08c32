namespace Tessera.Raster.Output;

/// <summary>
/// Which blocks of each band went through the engine, to know whether what was counted or averaged from them covers
/// the whole raster exactly once (a result written otherwise, or a block written twice, does not).
/// </summary>
internal sealed class BlockCoverage(int width, int height, int bands)
{
    private readonly HashSet<(int Band, int Col, int Row)> _seen = [];
    private readonly long[] _pixels = new long[bands + 1];

    /// <summary>Counts a block (thread-safe).</summary>
    public void Add(int band, Window window)
    {
        lock (_seen)
        {
            if (!_seen.Add((band, window.ColOffset, window.RowOffset)))
            {
                _pixels[band] = -1; // written twice: what was counted from its first values is counted still
            }
            else if (_pixels[band] >= 0)
            {
                _pixels[band] += window.PixelCount;
            }
        }
    }

    /// <summary>Whether every pixel of every band was covered once.</summary>
    public bool Whole
    {
        get
        {
            var whole = (long)width * height;
            lock (_seen)
            {
                return Enumerable.Range(1, bands).All(b => _pixels[b] == whole);
            }
        }
    }
}
