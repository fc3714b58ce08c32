using Tessera.Processing.Graphs.Cubes;
using Tessera.Processing.Graphs.Evaluation;
using Tessera.Raster;
using Tessera.Raster.Rendering;
using Tessera.Raster.Tiles;

namespace Tessera.Server.OpenEo;

/// <summary>
/// Something map clients read parts of (a secondary web service's evaluated graph, or a job's stored result): a lazy
/// cube (<see cref="CubeReader"/> computes the pixels a request asks for), its footprint, and the stretch of its
/// bands for drawing (the 2–98 % range of a small overview of the cube, computed when first asked). Disposing it
/// disposes what the cube reads besides the scenes (its graph evaluator's work folder).
/// </summary>
public sealed class Coverage : IDisposable
{
    private readonly IDisposable? _owner;
    private readonly Lazy<float[][]?> _overview;

    public Coverage(string id, string title, DataCube cube, IDisposable? owner = null)
    {
        Id = id;
        Title = title;
        Cube = cube;
        _owner = owner;
        using var own = SpatialReference.FromWkt(cube.Grid.CrsWkt);
        using var wgs84 = SpatialReference.Wgs84();
        using var mercator = SpatialReference.FromUserInput("EPSG:3857");
        LonLat = own.TransformBounds(wgs84, cube.Grid.Bounds);
        var clipped = new Bounds(Math.Max(LonLat.MinX, -180), Math.Max(LonLat.MinY, -WebMercator.MaxLatitude),
            Math.Min(LonLat.MaxX, 180), Math.Min(LonLat.MaxY, WebMercator.MaxLatitude));
        var inMercator = wgs84.TransformBounds(mercator, clipped);
        MaxZoom = WebMercator.ZoomFor(Math.Sqrt(inMercator.Width * inMercator.Height / ((double)cube.Grid.Width * cube.Grid.Height)));
        _overview = new(() => CubeReader.Read(cube, OverviewGrid(cube.Grid, 256)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Id { get; }

    public string Title { get; }

    public DataCube Cube { get; }

    /// <summary>The cube's extent in longitude/latitude.</summary>
    public Bounds LonLat { get; }

    /// <summary>The deepest Web Mercator zoom worth drawing: its pixels as fine as the cube's.</summary>
    public int MaxZoom { get; }

    /// <summary>The names of the cube's bands (one "value" once the bands were reduced away).</summary>
    public IReadOnlyList<string> BandNames => Cube.Bands ?? ["value"];

    /// <summary>The 2–98 % range of a band (1-based) over an overview of the cube; a unit range when it has no data.</summary>
    public ValueRange Stretch(int band)
    {
        var planes = _overview.Value;
        return planes is null || band < 1 || band > planes.Length ? new ValueRange(0, 1) : ValueRange.Percentiles(planes[band - 1].ToArray()) ?? new ValueRange(0, 1);
    }

    /// <summary>The grid's extent at most <paramref name="side"/> pixels a side.</summary>
    private static RasterGrid OverviewGrid(RasterGrid grid, int side)
    {
        var scale = Math.Max(1.0, Math.Max(grid.Width, grid.Height) / (double)side);
        var (width, height) = ((int)Math.Max(1, Math.Ceiling(grid.Width / scale)), (int)Math.Max(1, Math.Ceiling(grid.Height / scale)));
        var t = grid.Transform;
        return new RasterGrid(width, height, t with
        {
            PixelWidth = t.PixelWidth * grid.Width / width, PixelHeight = t.PixelHeight * grid.Height / height,
            RowRotation = t.RowRotation * grid.Width / width, ColumnRotation = t.ColumnRotation * grid.Height / height,
        }, grid.CrsWkt);
    }

    public void Dispose() => _owner?.Dispose();
}

/// <summary>
/// Evaluated coverages kept for a while (a map asks for many tiles; each would otherwise search the catalog and
/// evaluate the graph again): by key, made once however many requests ask at the same time, dropped once idle for
/// <see cref="Idle"/> or when more than <see cref="Capacity"/> are kept, never while a request still reads one.
/// A coverage that fails to be made is not kept. Also bounds how many reads compute at once, and how many may wait.
/// </summary>
public sealed class CoverageCache : IDisposable
{
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    public const int Capacity = 16;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private readonly SemaphoreSlim _computing;
    private readonly int _maxWaiting;
    private int _waiting;

    /// <param name="computing">Reads computing at once (0: one per core), so that a map's many tiles do not take every core.</param>
    /// <param name="maxWaiting">Reads that may wait for a slot; beyond that a request is refused (503) rather than queued without end.</param>
    public CoverageCache(TimeProvider? time = null, int computing = 0, int maxWaiting = 256)
    {
        _time = time ?? TimeProvider.System;
        var slots = computing > 0 ? computing : Environment.ProcessorCount;
        _computing = new SemaphoreSlim(slots, slots);
        _maxWaiting = slots + maxWaiting;
    }

    /// <summary>Runs CPU-bound work (computing pixels) off the request's thread once a slot is free; <see cref="Tiles.TilesBusyException"/> when too many wait.</summary>
    public async Task<T> ComputeAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) > _maxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            throw new Tiles.TilesBusyException();
        }
        try
        {
            await _computing.WaitAsync(cancellationToken);
            try
            {
                return await Task.Run(work, cancellationToken);
            }
            finally
            {
                _computing.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private sealed class Entry(Lazy<Task<Coverage>> coverage)
    {
        public Lazy<Task<Coverage>> Coverage { get; } = coverage;

        public int Readers;

        public DateTimeOffset LastUsed;
    }

    /// <summary>A lease of the coverage of <paramref name="key"/>, made by <paramref name="make"/> when none is kept; dispose it when done.</summary>
    public async Task<CoverageLease> LeaseAsync(string key, Func<Task<Coverage>> make, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            Evict();
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry(new Lazy<Task<Coverage>>(() => Task.Run(make), LazyThreadSafetyMode.ExecutionAndPublication));
                _entries[key] = entry;
            }
            entry.Readers++;
            entry.LastUsed = _time.GetUtcNow();
        }
        try
        {
            var coverage = await entry.Coverage.Value.WaitAsync(cancellationToken);
            return new CoverageLease(coverage, () => Release(entry));
        }
        catch
        {
            Release(entry);
            lock (_entries)
            {
                if (entry.Coverage.Value.IsFaulted && _entries.TryGetValue(key, out var kept) && kept == entry)
                {
                    _entries.Remove(key);
                }
            }
            throw;
        }
    }

    /// <summary>Drops every kept coverage whose key starts with <paramref name="prefix"/> (a service changed or was deleted).</summary>
    public void Forget(string prefix)
    {
        lock (_entries)
        {
            foreach (var (key, entry) in _entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _entries.Remove(key);
                if (entry.Readers == 0)
                {
                    DisposeOf(entry);
                }
            }
        }
    }

    private void Release(Entry entry)
    {
        lock (_entries)
        {
            entry.Readers--;
            entry.LastUsed = _time.GetUtcNow();
            if (entry.Readers == 0 && !_entries.ContainsValue(entry))
            {
                DisposeOf(entry); // dropped while it was read
            }
        }
    }

    /// <summary>Under the lock: drops the idle entries, and the least recently used ones beyond the capacity.</summary>
    private void Evict()
    {
        var now = _time.GetUtcNow();
        var idle = _entries.Where(e => e.Value.Readers == 0).OrderBy(e => e.Value.LastUsed).ToList();
        var over = _entries.Count - Capacity + 1;
        foreach (var (key, entry) in idle)
        {
            if (now - entry.LastUsed < Idle && over <= 0)
            {
                break;
            }
            _entries.Remove(key);
            DisposeOf(entry);
            over--;
        }
    }

    private static void DisposeOf(Entry entry)
    {
        if (entry.Coverage.IsValueCreated && entry.Coverage.Value.IsCompletedSuccessfully)
        {
            entry.Coverage.Value.Result.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_entries)
        {
            foreach (var entry in _entries.Values)
            {
                DisposeOf(entry);
            }
            _entries.Clear();
        }
        _computing.Dispose();
    }
}

/// <summary>A coverage in use; disposing returns it to the cache.</summary>
public sealed class CoverageLease(Coverage coverage, Action release) : IDisposable
{
    private int _released;

    public Coverage Coverage { get; } = coverage;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
