using System.Collections.Concurrent;
using Tessera.Raster;
using Tessera.Raster.Rendering;
using Tessera.Raster.Tiles;

namespace Tessera.Server.Tiles;

/// <summary>
/// What tiling one file needs: opened sources to lend to concurrent renders (each used by one thread at a
/// time, at most a few kept), the file's footprint, and its default style and band stretches (computed
/// once from a small read of the whole file).
/// </summary>
internal sealed class FileTiles : IDisposable
{
    private readonly string _path;
    private readonly int _keep;
    private readonly ConcurrentBag<TileSource> _idle = [];
    private readonly Lazy<(RenderStyle Style, IReadOnlyDictionary<int, ValueRange> Stretches)> _style;
    private readonly ConcurrentDictionary<int, ValueRange> _extraStretches = new();
    private int _idleCount;
    private volatile bool _disposed;

    public FileTiles(string path, int keep)
    {
        _path = path;
        _keep = keep;
        var first = TileSource.Open(path);
        Bands = first.Bands;
        MercatorBounds = first.MercatorBounds;
        LonLatBounds = first.LonLatBounds;
        MercatorResolution = first.MercatorResolution;
        Return(first);
        _style = new(ComputeStyle, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public IReadOnlyList<RasterBandInfo> Bands { get; }

    public Bounds MercatorBounds { get; }

    public Bounds LonLatBounds { get; }

    public double MercatorResolution { get; }

    public DateTime LastUsed { get; private set; } = DateTime.UtcNow;

    public RenderStyle DefaultStyle => _style.Value.Style;

    /// <summary>The 2–98 % range of a band (over a small read of the whole file).</summary>
    public ValueRange Stretch(int band) =>
        _style.Value.Stretches.TryGetValue(band, out var range) ? range : _extraStretches.GetOrAdd(band, ComputeStretch);

    /// <summary>Reads a tile with a source of its own (opened when none is idle).</summary>
    public float[][]? Read(TileAddress tile, Raster.Alignment.Resampling resampling)
    {
        LastUsed = DateTime.UtcNow;
        var source = Borrow();
        try
        {
            return source.Read(tile, 256, resampling);
        }
        finally
        {
            Return(source);
        }
    }

    private TileSource Borrow()
    {
        if (_idle.TryTake(out var source))
        {
            Interlocked.Decrement(ref _idleCount);
            return source;
        }
        return TileSource.Open(_path);
    }

    private void Return(TileSource source)
    {
        if (_disposed)
        {
            source.Dispose();
            return;
        }
        if (Interlocked.Increment(ref _idleCount) <= _keep)
        {
            _idle.Add(source);
            return;
        }
        Interlocked.Decrement(ref _idleCount);
        source.Dispose();
    }

    private (RenderStyle, IReadOnlyDictionary<int, ValueRange>) ComputeStyle()
    {
        using var dataset = RasterDataset.Open(_path);
        var bands = Enumerable.Range(1, Math.Min(3, dataset.BandCount)).ToList();
        var sample = RasterSample.Read(dataset, bands, 1024);
        var stretches = bands.ToDictionary(b => b, sample.Stretch);
        return (RenderStyles.Default(dataset.Bands, b => stretches[b], Tessera.Host.Publishing.ResultStyles.Known), stretches);
    }

    private ValueRange ComputeStretch(int band)
    {
        using var dataset = RasterDataset.Open(_path);
        return RasterSample.Read(dataset, [band], 1024).Stretch(band);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var source))
        {
            source.Dispose();
        }
    }
}
