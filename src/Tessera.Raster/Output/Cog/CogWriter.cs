using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tessera.Raster.Blocks;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// A Cloud-Optimized GeoTIFF written in the processing pass. Each block the engine computes is, on the thread that
/// computed it, counted into the statistics, encoded as a finished tile (converted, predicted, compressed) and averaged
/// into its tile of the first overview level, which the thread completing it encodes and halves again
/// (<see cref="HalvedTiles"/>); the engine's thread then appends the tiles to their files in row-major order
/// (<see cref="TileSequence"/>) and feeds the halves to the deeper levels, which encode their own tiles strip by strip
/// (for an odd-sized raster, every level is made that way from whole rows of blocks). Nothing is read back. At the
/// end the header, the directories (GDAL's georeferencing tags, from <see cref="GeoTiffTemplate"/>) and the overviews,
/// smallest first, are put in front of the full-resolution tiles, the layout GDAL's COG driver writes (with its
/// structural metadata, tile leaders and trailers), and the file is complete under its temporary name.
/// </summary>
internal sealed class CogWriter : IBlockTarget, IDisposable
{
    private const string Structure =
        "LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nBLOCK_LEADER=SIZE_AS_UINT4\nBLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\n ";

    private readonly string _path;
    private readonly RasterGrid _grid;
    private readonly RasterDataType _type;
    private readonly CogSettings _settings;
    private readonly float _noData;
    private readonly BlockLayout _layout;
    private readonly TileSequence _main;
    private readonly HalvedTiles? _halved;
    private readonly OverviewLevel? _top;
    private readonly List<TileSequence> _stores = [];
    private readonly ThreadLocal<TileEncoder> _encoders;
    private readonly TileEncoder _levelEncoder;
    private readonly byte[] _levelBuffer;
    private readonly float[][] _levelTile;
    private readonly int _bound;
    private bool _failed;
    private readonly bool _secondFromHalves;
    private readonly StripAssembler? _blockRows;
    private readonly StripAssembler? _tileRows;
    private int _previewLevel = -1;
    private int _previewSide;
    private Dictionary<int, float[]>? _previewPlanes;
    private bool _disposed;
    private long _writtenBack;
    private const long WritebackStep = 32 << 20;
    private long _reservedTo;

    public CogWriter(string path, RasterGrid grid, int bands, RasterDataType type, double noData, CogSettings settings)
    {
        _path = path;
        _grid = grid;
        _type = type;
        _settings = settings;
        BandCount = bands;
        // NaN as GDAL writes it (positive quiet NaN), where a nodata pixel of an overview is made here.
        _noData = double.IsNaN(noData) ? BitConverter.Int32BitsToSingle(0x7FC00000)
            : type == RasterDataType.Float32 ? (float)noData : StoredValues.Round((float)noData, type);
        _layout = new BlockLayout(grid.Width, grid.Height, settings.TileSize);
        _bound = TileEncoder.Bound(settings, type, bands);
        _encoders = new ThreadLocal<TileEncoder>(() => new TileEncoder(settings, type, bands, _noData), trackAllValues: true);
        _levelEncoder = new TileEncoder(settings, type, bands, _noData);
        _levelBuffer = new byte[_bound];
        _levelTile = Enumerable.Range(0, bands).Select(_ => new float[settings.TileSize * settings.TileSize]).ToArray();
        _main = new TileSequence(path, _layout.Count);
        // The tiles are written into space reserved ahead of them (see Preallocation), given back past the end at the commit.
        Preallocation.Reserve(_main.Stream.SafeFileHandle, 0, _reservedTo = 2 * WritebackStep);
        for (var level = 1; level <= settings.OverviewLevels; level++)
        {
            var (w, h) = CogSettings.LevelSize(grid.Width, grid.Height, level);
            _stores.Add(new TileSequence($"{path}.ovr{level}", new BlockLayout(w, h, settings.TileSize).Count));
        }
        // Even sizes: the first level is made tile by tile on the computing threads, and the second from its tiles
        // halved again where its size is even too. Odd sizes: a level's pixels straddle blocks, so it is averaged from
        // whole rows of the level above on the writing thread.
        var halving = settings.OverviewLevels >= 1 && grid.Width % 2 == 0 && grid.Height % 2 == 0;
        var (w1, h1) = CogSettings.LevelSize(grid.Width, grid.Height, 1);
        _secondFromHalves = halving && settings.OverviewLevels >= 2 && w1 % 2 == 0 && h1 % 2 == 0;
        OverviewLevel? next = null;
        for (var level = settings.OverviewLevels; level >= (halving ? 2 : 1); level--)
        {
            var (w, h) = CogSettings.LevelSize(grid.Width, grid.Height, level);
            var (sw, sh) = CogSettings.LevelSize(grid.Width, grid.Height, level - 1);
            next = new OverviewLevel(level, w, h, sw, sh, bands, settings.TileSize, type, _noData, next,
                fromHalves: level == 2 && _secondFromHalves, nearest: settings.NearestOverviews)
            {
                StripDone = StoreStrip,
            };
        }
        _top = next;
        if (halving)
        {
            _halved = new HalvedTiles(grid.Width, grid.Height, settings.TileSize, bands, type, _noData, settings.NearestOverviews);
            if (next is not null && !_secondFromHalves)
            {
                _tileRows = new StripAssembler(w1, h1, settings.TileSize, bands, (_, values, rows) => next.AddStrip(values, w1, rows));
            }
        }
        else if (next is not null)
        {
            _blockRows = new StripAssembler(grid.Width, grid.Height, settings.TileSize, bands,
                (_, values, rows) => next.AddStrip(values, grid.Width, rows));
        }
    }

    public int Width => _grid.Width;

    public int Height => _grid.Height;

    public int BandCount { get; }

    /// <summary>The statistics counted as the blocks pass (set before the run).</summary>
    public PassStatistics? Statistics { get; init; }

    public int OverviewLevels => _stores.Count;

    /// <summary>Whether every tile of every level went through the pass.</summary>
    public bool Complete => _main.Complete && _stores.All(s => s.Complete);

    public int TileSize => _settings.TileSize;

    /// <summary>
    /// Keeps, as the pass goes, what a preview of longest side <paramref name="maxSide"/> is drawn from: the first three
    /// bands of the smallest level (overview, or the full resolution for a small raster) at least that size.
    /// </summary>
    public void KeepPreview(int maxSide)
    {
        var (width, height) = Rendering.RasterSample.SizeFor(_grid.Width, _grid.Height, maxSide);
        _previewLevel = 0;
        for (var level = _stores.Count; level >= 1; level--)
        {
            var (w, h) = CogSettings.LevelSize(_grid.Width, _grid.Height, level);
            if (w >= width && h >= height)
            {
                _previewLevel = level;
                break;
            }
        }
        _previewSide = maxSide;
        var (pw, ph) = CogSettings.LevelSize(_grid.Width, _grid.Height, _previewLevel);
        _previewPlanes = Enumerable.Range(1, Math.Min(3, BandCount)).ToDictionary(b => b, _ => new float[checked(pw * ph)]);
    }

    /// <summary>The preview's sample, from the level kept in the pass (after the run; null unless asked for).</summary>
    public Rendering.RasterSample? PreviewSample()
    {
        if (_previewPlanes is null || !Complete)
        {
            return null;
        }
        var (w, h) = CogSettings.LevelSize(_grid.Width, _grid.Height, _previewLevel);
        return Rendering.RasterSample.FromLevel(_grid.Width, _grid.Height, w, h, _previewPlanes, _previewSide, _noData);
    }

    private void KeepRows(int levelWidth, int firstRow, int col, int width, int rows, Func<int, ReadOnlySpan<float>> band, int stride)
    {
        foreach (var (b, plane) in _previewPlanes!)
        {
            var values = band(b);
            for (var r = 0; r < rows; r++)
            {
                values.Slice(r * stride, width).CopyTo(plane.AsSpan((firstRow + r) * levelWidth + col, width));
            }
        }
    }

    /// <summary>On the thread that computed the block: statistics, the encoded tile, its share of the first overview
    /// level (and that level's tile, encoded and halved again, when this block completes it).</summary>
    public void Finish(RasterBlock block)
    {
        var window = block.Window;
        var outputs = new float[BandCount][];
        for (var o = 0; o < BandCount; o++)
        {
            // Integers rounded once, as the file stores them: what is counted, averaged and encoded.
            StoredValues.RoundAll(block.Output(o), _type);
            Statistics?.Add(o + 1, window, block.Output(o), stored: true);
            outputs[o] = block.OutputArray(o);
        }
        if (block.Encoded.Length < _bound)
        {
            block.Encoded = new byte[_bound];
        }
        var encoder = _encoders.Value!;
        block.EncodedLength = encoder.Encode(outputs, window.Width, window.Height, block.Encoded);
        var tile = _halved?.Add(window, o => block.Output(o));
        if (tile is null)
        {
            return;
        }
        // The tile encoded, and halved for the second level; its values are kept only where the writing thread needs
        // them (the preview's level, or a second level averaged from whole rows).
        var encoded = ArrayPool<byte>.Shared.Rent(_bound);
        var length = encoder.Encode(tile.Values, tile.Window.Width, tile.Window.Height, encoded);
        float[][] halves = [];
        if (_secondFromHalves)
        {
            halves = Enumerable.Range(0, BandCount).Select(_ => ArrayPool<float>.Shared.Rent(tile.Window.Width / 2 * (tile.Window.Height / 2))).ToArray();
            _halved!.HalveAgain(tile, halves);
        }
        var keep = _previewLevel == 1 || _tileRows is not null;
        if (!keep)
        {
            _halved!.Release(tile);
        }
        block.Carried = new FirstLevelTile(tile.Index, tile.Window, encoded, length, halves, keep ? tile : null);
    }

    /// <summary>What the computing thread made of a completed tile of the first level (buffers rented).</summary>
    private sealed record FirstLevelTile(int Index, Window Window, byte[] Encoded, int Length, float[][] Halves, HalvedTiles.Tile? Values);

    /// <summary>On the engine's thread: the tile in row-major order, the halves to the overviews.</summary>
    public void Write(RasterBlock block)
    {
        var window = block.Window;
        var index = window.RowOffset / _settings.TileSize * _layout.Columns + window.ColOffset / _settings.TileSize;
        if (window != _layout[index])
        {
            _failed = true;
            throw new RasterException($"block {window} is not a tile of the COG being written");
        }
        try
        {
            _main.Add(index, block.Encoded, block.EncodedLength);
        }
        catch (RasterException)
        {
            _failed = true;
            throw;
        }
        if (_main.Length - _writtenBack >= WritebackStep)
        {
            _main.Stream.Flush();
            FileSplice.StartWriteback(_main.Stream, _writtenBack, _main.Length - _writtenBack);
            _writtenBack = _main.Length;
            if (_main.Length + WritebackStep > _reservedTo)
            {
                Preallocation.Reserve(_main.Stream.SafeFileHandle, _reservedTo, _main.Length + 2 * WritebackStep - _reservedTo);
                _reservedTo = _main.Length + 2 * WritebackStep;
            }
        }
        if (_previewLevel == 0)
        {
            KeepRows(_grid.Width, window.RowOffset, window.ColOffset, window.Width, window.Height, b => block.Output(b - 1), window.Width);
        }
        if (block.Carried is FirstLevelTile tile)
        {
            block.Carried = null;
            WriteFirstLevel(tile);
        }
        // Odd sizes: blocks gathered into rows of blocks, which go, in order, to the first level.
        _blockRows?.Add(window.ColOffset, window.RowOffset, window.Width, window.Height,
            Enumerable.Range(0, BandCount).Select(block.OutputArray).ToList());
    }

    /// <summary>A completed tile of the first level (even sizes): appended, and passed on to the second.</summary>
    private void WriteFirstLevel(FirstLevelTile tile)
    {
        var window = tile.Window;
        _stores[0].Add(tile.Index, tile.Encoded, tile.Length);
        ArrayPool<byte>.Shared.Return(tile.Encoded);
        if (_secondFromHalves)
        {
            _top!.AddHalves(window, tile.Halves);
            foreach (var half in tile.Halves)
            {
                ArrayPool<float>.Shared.Return(half);
            }
        }
        if (tile.Values is { } kept)
        {
            if (_previewLevel == 1)
            {
                KeepRows(_halved!.Layout.Width, window.RowOffset, window.ColOffset, window.Width, window.Height,
                    b => kept.Values[b - 1], window.Width);
            }
            _tileRows?.Add(window.ColOffset, window.RowOffset, window.Width, window.Height, kept.Values);
            _halved!.Release(kept);
        }
    }

    private void StoreStrip(OverviewLevel level, int strip, float[][] values, int rows)
    {
        if (level.Index == _previewLevel)
        {
            KeepRows(level.Width, strip * _settings.TileSize, 0, level.Width, rows, b => values[b - 1], level.Width);
        }
        var store = _stores[level.Index - 1];
        var columns = (level.Width + _settings.TileSize - 1) / _settings.TileSize;
        var t = _settings.TileSize;
        var tile = _levelTile;
        for (var c = 0; c < columns; c++)
        {
            var width = Math.Min(t, level.Width - c * t);
            for (var b = 0; b < BandCount; b++)
            {
                for (var r = 0; r < rows; r++)
                {
                    values[b].AsSpan(r * level.Width + c * t, width).CopyTo(tile[b].AsSpan(r * width, width));
                }
            }
            var length = _levelEncoder.Encode(tile, width, rows, _levelBuffer);
            store.Add(strip * columns + c, _levelBuffer, length);
        }
    }

    /// <summary>
    /// Puts the header, directories and overviews in front of the tiles. <paramref name="describe"/> sets the bands'
    /// nodata, descriptions, statistics and other metadata on the header GDAL writes.
    /// </summary>
    public void Commit(Action<RasterDataset> describe)
    {
        if (_failed || !Complete)
        {
            throw new RasterException("the COG is incomplete: not every tile went through the pass");
        }
        foreach (var store in _stores.Append(_main))
        {
            store.Stream.Flush();
        }
        var geo = GeoTiffTemplate.Tags(_grid, BandCount, _type, _settings.TileSize, describe);
        var big = _settings.BigTiff == "YES";
        var front = Front(geo, big);
        if (!big && front.Length + _main.Length > uint.MaxValue)
        {
            if (_settings.BigTiff == "NO")
            {
                throw new RasterException("the COG is larger than 4 GB; use BIGTIFF=YES or IF_NEEDED");
            }
            front = Front(geo, big: true);
        }
        _main.Stream.Flush();
        Preallocation.ReleaseBeyondEnd(_main.Stream.SafeFileHandle, _reservedTo);
        var file = FileSplice.InsertFront(_main.Stream, _path, front.Length);
        try
        {
            RandomAccess.Write(file.SafeFileHandle, front.Head, 0);
            foreach (var (store, at) in front.Overviews)
            {
                FileSplice.Copy(store.Stream.SafeFileHandle, 0, file.SafeFileHandle, at, store.Length);
            }
            file.Flush(flushToDisk: false);
        }
        finally
        {
            file.Dispose();
        }
    }

    private sealed record FrontPart(byte[] Head, long Length, List<(TileSequence Store, long At)> Overviews);

    /// <summary>Everything before the full-resolution tiles: the header and directories, then (after padding to whole
    /// file-system blocks, so the tiles keep their place when this is inserted in front of them) the overviews.</summary>
    private FrontPart Front(List<TiffTag> geo, bool big)
    {
        var header = big ? 16 : 8;
        var ghost = $"GDAL_STRUCTURAL_METADATA_SIZE={Structure.Length:D6} bytes\n{Structure}";
        var first = header + ghost.Length;
        first += first & 1;
        var sampleSize = StoredValues.Size(_type);
        List<TiffTag> Directory(int level, long[] offsets, int[] sizes)
        {
            var (w, h) = CogSettings.LevelSize(_grid.Width, _grid.Height, level);
            var tags = new List<TiffTag>
            {
                TiffTag.Size(256, w),
                TiffTag.Size(257, h),
                TiffTag.PerSample(258, (ushort)(8 * sampleSize), BandCount),
                TiffTag.Shorts(259, (ushort)_settings.Compression),
                TiffTag.Shorts(262, 1),
                TiffTag.Shorts(277, (ushort)BandCount),
                TiffTag.Shorts(284, 1),
                TiffTag.Shorts(322, (ushort)_settings.TileSize),
                TiffTag.Shorts(323, (ushort)_settings.TileSize),
                TiffTag.Offsets(324, offsets, big),
                TiffTag.Offsets(325, Widened(sizes), big),
                TiffTag.PerSample(339, StoredValues.SampleFormat(_type), BandCount),
            };
            if (_settings.Predictor != 1)
            {
                tags.Add(TiffTag.Shorts(317, (ushort)_settings.Predictor));
            }
            if (_settings.Compression == TiffCompression.Lerc)
            {
                tags.Add(TiffTag.Longs(50674, [4, (uint)_settings.LercPacking])); // LERC_PARAMETERS: blob version, packing
            }
            if (BandCount > 1)
            {
                tags.Add(TiffTag.Shorts(338, new ushort[BandCount - 1]));
            }
            if (level > 0)
            {
                tags.Add(TiffTag.Longs(254, [1]));
                tags.AddRange(geo.FindAll(t => t.Tag == 42113)); // overviews carry the nodata tag, as GDAL's do
            }
            else
            {
                tags.AddRange(geo);
            }
            return tags;
        }

        // Sizes first (offsets do not change a directory's size), then the real offsets.
        var levels = _stores.Count;
        var directories = new List<List<TiffTag>> { Directory(0, new long[_layout.Count], _main.Sizes) };
        for (var l = 1; l <= levels; l++)
        {
            directories.Add(Directory(l, new long[_stores[l - 1].Offsets.Length], _stores[l - 1].Sizes));
        }
        var directorySizes = new long[directories.Count];
        var directoryBytes = 0L;
        for (var d = 0; d < directories.Count; d++)
        {
            directorySizes[d] = TiffDirectory.Size(directories[d], big);
            directoryBytes += directorySizes[d];
        }
        var overviewBytes = 0L;
        foreach (var store in _stores)
        {
            overviewBytes += store.Length;
        }
        var used = first + directoryBytes + overviewBytes;
        var total = (used + FileSplice.BlockSize - 1) / FileSplice.BlockSize * FileSplice.BlockSize;
        var overviewsAt = total - overviewBytes;

        // Overviews smallest first, each in row-major order, ending where the full-resolution tiles begin.
        var levelStart = new long[levels + 1];
        var position = overviewsAt;
        for (var l = levels; l >= 1; l--)
        {
            levelStart[l] = position;
            position += _stores[l - 1].Length;
        }
        var head = new byte[first + directoryBytes];
        var at = (long)first;
        for (var l = 0; l <= levels; l++)
        {
            var offsets = l == 0 ? Shifted(_main.Offsets, total) : Shifted(_stores[l - 1].Offsets, levelStart[l]);
            var tags = Directory(l, offsets, l == 0 ? _main.Sizes : _stores[l - 1].Sizes);
            var next = l < levels ? at + directorySizes[l] : 0;
            TiffDirectory.Write(head.AsSpan((int)at), at, tags, big, next);
            at += directorySizes[l];
        }
        // Header and GDAL's structural metadata.
        head[0] = (byte)'I';
        head[1] = (byte)'I';
        if (big)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(2), 43);
            BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(4), 8);
            BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(8), first);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(2), 42);
            BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(4), (uint)first);
        }
        Encoding.ASCII.GetBytes(ghost, head.AsSpan(header));
        var overviews = new List<(TileSequence Store, long At)>(levels);
        for (var l = 1; l <= levels; l++)
        {
            overviews.Add((_stores[l - 1], levelStart[l]));
        }
        return new FrontPart(head, total, overviews);
    }

    // Plain loops where LINQ over numbers would be compiled at run time, once per process, at the very end of the pass.
    private static long[] Shifted(long[] offsets, long by)
    {
        var shifted = new long[offsets.Length];
        for (var i = 0; i < offsets.Length; i++)
        {
            shifted[i] = offsets[i] + by;
        }
        return shifted;
    }

    private static long[] Widened(int[] sizes)
    {
        var wide = new long[sizes.Length];
        for (var i = 0; i < sizes.Length; i++)
        {
            wide[i] = sizes[i];
        }
        return wide;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _main.Dispose();
        foreach (var store in _stores)
        {
            store.Dispose();
            TryDelete(store.Path);
        }
        foreach (var encoder in _encoders.Values)
        {
            encoder.Dispose();
        }
        _encoders.Dispose();
        _levelEncoder.Dispose();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
