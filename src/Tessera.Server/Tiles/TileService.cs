using System.Collections.Concurrent;
using Tessera.Catalog.Files;
using Tessera.Raster.Rendering;
using Tessera.Raster.Tiles;

namespace Tessera.Server.Tiles;

/// <summary>How tiles are served: cache size, how many render at once, how many may wait.</summary>
/// <param name="CacheBytes">Size cap of the rendered-tile cache.</param>
/// <param name="Concurrency">Tiles rendered at once (GDAL reads and warps): the rest of the server keeps its threads.</param>
/// <param name="MaxWaiting">Renders that may wait for a slot; beyond that a request is refused (503) instead of queueing without end.</param>
/// <param name="OpenFiles">Files kept open for tiling; the least recently used is closed beyond that.</param>
public sealed record TileOptions(long CacheBytes = 128L << 20, int Concurrency = 0, int MaxWaiting = 256, int OpenFiles = 32)
{
    public int RenderSlots => Concurrency > 0 ? Concurrency : Environment.ProcessorCount;
}

/// <summary>A rendered tile: its bytes and media type, or no content when the tile is outside the data.</summary>
public sealed record TileImage(byte[]? Bytes, string MediaType, bool FromCache);

/// <summary>Refused because too many renders are waiting already (503, try again).</summary>
public sealed class TilesBusyException() : Exception("too many tiles are being rendered; try again in a moment");

/// <summary>
/// Reader → renderer → encoder for XYZ tiles of stored files, with a size-capped cache in front and a bounded
/// number of renders at once (waiting asynchronously, never holding a thread).
/// </summary>
public sealed class TileService : IDisposable
{
    private readonly TileOptions _options;
    private readonly TileCache _cache;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, Lazy<FileTiles>> _files = new(StringComparer.Ordinal);
    private int _waiting;

    public TileService(TileOptions options)
    {
        _options = options;
        _cache = new TileCache(options.CacheBytes);
        _slots = new SemaphoreSlim(options.RenderSlots, options.RenderSlots);
    }

    public TileCache Cache => _cache;

    /// <summary>The tile of <paramref name="file"/> (whose bytes are at <paramref name="path"/>) drawn as asked.</summary>
    public async Task<TileImage> GetAsync(StoredFile file, string path, TileAddress tile, ImageFormat format, TileQuery query,
        CancellationToken cancellationToken)
    {
        if (!ImageEncoder.CanEncode(format))
        {
            throw new Raster.RasterArgumentException($"this server cannot write {format} tiles (GDAL has no driver for it)");
        }
        var key = $"{file.Id}:{file.Sha256}:{tile}.{format}:{(format == ImageFormat.Npy ? "" : query.Key)}";
        var media = format.MediaType();
        if (_cache.TryGet(key, out var cached))
        {
            return new TileImage(cached.Length == 0 ? null : cached, media, true);
        }
        if (Interlocked.Increment(ref _waiting) > _options.MaxWaiting + _options.RenderSlots)
        {
            Interlocked.Decrement(ref _waiting);
            throw new TilesBusyException();
        }
        try
        {
            await _slots.WaitAsync(cancellationToken);
            try
            {
                var bytes = Render(Tiles(path), tile, format, query);
                _cache.Add(key, bytes ?? []);
                return new TileImage(bytes, media, false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Footprint and zooms of a file, for TileJSON.</summary>
    public (Raster.Bounds LonLat, int MinZoom, int MaxZoom) Describe(string path, int width, int height)
    {
        var tiles = Tiles(path);
        var maxZoom = WebMercator.ZoomFor(tiles.MercatorResolution);
        var minZoom = Math.Max(0, maxZoom - (int)Math.Ceiling(Math.Log2(Math.Max(1.0, Math.Max(width, height) / 256.0))));
        return (tiles.LonLatBounds, minZoom, maxZoom);
    }

    private static byte[]? Render(FileTiles tiles, TileAddress tile, ImageFormat format, TileQuery query)
    {
        // Checked before reading, so a bad parameter costs no warp.
        var style = format == ImageFormat.Npy
            ? null
            : RenderStyles.Customise(tiles.DefaultStyle, tiles.Bands.Count, query.Bands, query.Colormap, query.Rescale, tiles.Stretch);
        var planes = tiles.Read(tile, query.Resampling);
        if (planes is null)
        {
            return null;
        }
        if (style is null)
        {
            return ImageEncoder.EncodeNpy(planes, 256, 256);
        }
        var rgba = Renderer.Render(style, style.Bands.Select(b => planes[b - 1]).ToList(), 256, 256);
        return ImageEncoder.Encode(rgba, 256, 256, format);
    }

    private FileTiles Tiles(string path)
    {
        var entry = _files.GetOrAdd(path, p => new Lazy<FileTiles>(() => new FileTiles(p, _options.RenderSlots)));
        FileTiles tiles;
        try
        {
            tiles = entry.Value;
        }
        catch
        {
            _files.TryRemove(new KeyValuePair<string, Lazy<FileTiles>>(path, entry));
            throw;
        }
        if (_files.Count > _options.OpenFiles)
        {
            CloseLeastRecentlyUsed(path);
        }
        return tiles;
    }

    private void CloseLeastRecentlyUsed(string keep)
    {
        var oldest = _files.Where(f => f.Key != keep && f.Value.IsValueCreated)
            .OrderBy(f => f.Value.Value.LastUsed).FirstOrDefault();
        if (oldest.Key is not null && _files.TryRemove(oldest))
        {
            oldest.Value.Value.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var entry in _files.Values.Where(e => e.IsValueCreated))
        {
            entry.Value.Dispose();
        }
        _files.Clear();
        _slots.Dispose();
    }
}
