using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tessera.Raster.Blocks;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// A Cloud-Optimized GeoTIFF written in the processing pass. Each block the engine computes is, on the thread that
/// computed it, counted into the statistics, halved for the first overview level and encoded as a finished tile
/// (converted, predicted, compressed); the engine's thread then appends the tile to the file in row-major order and
/// feeds the halves to the overview levels, which encode their own tiles strip by strip. Nothing is read back. At the
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
    private readonly FileStream _main;
    private readonly long[] _offsets;
    private readonly int[] _sizes;
    private readonly Dictionary<int, (byte[] Data, int Length)> _waiting = [];
    private int _nextTile;
    private long _mainLength;
    private readonly OverviewLevel? _first;
    private readonly List<OverviewLevel> _levels = [];
    private readonly List<LevelStore> _stores = [];
    private readonly ThreadLocal<TileEncoder> _encoders;
    private readonly TileEncoder _levelEncoder;
    private readonly byte[] _levelBuffer;
    private readonly float[][] _levelTile;
    private readonly int _bound;
    private bool _failed;
    private readonly bool _halving;
    private readonly StripAssembler? _blockRows;
    private int _previewLevel = -1;
    private int _previewSide;
    private Dictionary<int, float[]>? _previewPlanes;
    private bool _disposed;
    private long _writtenBack;
    private const long WritebackStep = 32 << 20;

    private sealed class LevelStore(string path, int tiles)
    {
        public string Path { get; } = path;
        public FileStream? Stream;
        public long[] Offsets { get; } = new long[tiles];
        public int[] Sizes { get; } = new int[tiles];
        public long Length;
    }

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
        _offsets = new long[_layout.Count];
        _sizes = new int[_layout.Count];
        _bound = TileEncoder.Bound(settings, type, bands);
        _encoders = new ThreadLocal<TileEncoder>(() => new TileEncoder(settings, type, bands, _noData), trackAllValues: true);
        _levelEncoder = new TileEncoder(settings, type, bands, _noData);
        _levelBuffer = new byte[_bound];
        _levelTile = Enumerable.Range(0, bands).Select(_ => new float[settings.TileSize * settings.TileSize]).ToArray();
        _main = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);
        // Even sizes: the first level is each block halved where it was computed. Odd sizes: its pixels straddle blocks,
        // so it is averaged from whole rows of blocks on the writing thread.
        _halving = grid.Width % 2 == 0 && grid.Height % 2 == 0;
        OverviewLevel? next = null;
        for (var level = settings.OverviewLevels; level >= 1; level--)
        {
            var (w, h) = CogSettings.LevelSize(grid.Width, grid.Height, level);
            var (sw, sh) = CogSettings.LevelSize(grid.Width, grid.Height, level - 1);
            next = new OverviewLevel(level, w, h, sw, sh, bands, settings.TileSize, type, _noData, next, fromHalves: level == 1 && _halving)
            {
                StripDone = StoreStrip,
            };
            _levels.Insert(0, next);
            var tiles = new BlockLayout(w, h, settings.TileSize).Count;
            _stores.Insert(0, new LevelStore($"{path}.ovr{level}", tiles));
        }
        _first = next;
        if (next is not null && !_halving)
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

    public int OverviewLevels => _levels.Count;

    /// <summary>Whether every tile of every level went through the pass.</summary>
    public bool Complete => _nextTile == _layout.Count && (_first?.Complete ?? true);

    public int TileSize => _settings.TileSize;

    /// <summary>
    /// Keeps, as the pass goes, what a preview of longest side <paramref name="maxSide"/> is drawn from: the first three
    /// bands of the smallest level (overview, or the full resolution for a small raster) at least that size.
    /// </summary>
    public void KeepPreview(int maxSide)
    {
        var (width, height) = Rendering.RasterSample.SizeFor(_grid.Width, _grid.Height, maxSide);
        _previewLevel = 0;
        for (var level = _levels.Count; level >= 1; level--)
        {
            if (_levels[level - 1].Width >= width && _levels[level - 1].Height >= height)
            {
                _previewLevel = level;
                break;
            }
        }
        _previewSide = maxSide;
        var (w, h) = CogSettings.LevelSize(_grid.Width, _grid.Height, _previewLevel);
        _previewPlanes = Enumerable.Range(1, Math.Min(3, BandCount)).ToDictionary(b => b, _ => new float[checked(w * h)]);
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

    /// <summary>On the thread that computed the block: statistics, halves, the encoded tile.</summary>
    public void Finish(RasterBlock block)
    {
        var window = block.Window;
        var outputs = new float[BandCount][];
        for (var o = 0; o < BandCount; o++)
        {
            // Integers rounded once, as the file stores them: what is counted, averaged and encoded.
            StoredValues.RoundAll(block.Output(o), _type);
            Statistics?.Add(o + 1, window, block.Output(o), stored: true);
            if (_first is not null && _halving)
            {
                OverviewAveraging.Halve(window, block.Output(o), block.Half(o), _type, _noData, stored: true);
            }
            outputs[o] = block.OutputArray(o);
        }
        if (block.Encoded.Length < _bound)
        {
            block.Encoded = new byte[_bound];
        }
        block.EncodedLength = _encoders.Value!.Encode(outputs, window.Width, window.Height, block.Encoded);
    }

    /// <summary>On the engine's thread: the tile in row-major order, the halves to the overviews.</summary>
    public void Write(RasterBlock block)
    {
        var window = block.Window;
        var index = window.RowOffset / _settings.TileSize * _layout.Columns + window.ColOffset / _settings.TileSize;
        if (index < _nextTile || _waiting.ContainsKey(index) || window != _layout[index])
        {
            _failed = true;
            throw new RasterException($"block {window} is not a tile of the COG being written, or came twice");
        }
        if (index == _nextTile)
        {
            Append(_main, block.Encoded, block.EncodedLength, ref _mainLength, out _offsets[index]);
            _sizes[index] = block.EncodedLength;
            _nextTile++;
            while (_waiting.Remove(_nextTile, out var held))
            {
                Append(_main, held.Data, held.Length, ref _mainLength, out _offsets[_nextTile]);
                _sizes[_nextTile] = held.Length;
                ArrayPool<byte>.Shared.Return(held.Data);
                _nextTile++;
            }
            if (_mainLength - _writtenBack >= WritebackStep)
            {
                _main.Flush();
                FileSplice.StartWriteback(_main, _writtenBack, _mainLength - _writtenBack);
                _writtenBack = _mainLength;
            }
        }
        else
        {
            var copy = ArrayPool<byte>.Shared.Rent(block.EncodedLength);
            block.Encoded.AsSpan(0, block.EncodedLength).CopyTo(copy);
            _waiting[index] = (copy, block.EncodedLength);
        }
        if (_previewLevel == 0)
        {
            KeepRows(_grid.Width, window.RowOffset, window.ColOffset, window.Width, window.Height, b => block.Output(b - 1), window.Width);
        }
        if (_first is not null && _halving)
        {
            _first.AddHalves(window, Enumerable.Range(0, BandCount).Select(block.HalfArray).ToList());
        }
        // Odd sizes: blocks gathered into rows of blocks, which go, in order, to the first level.
        _blockRows?.Add(window.ColOffset, window.RowOffset, window.Width, window.Height,
            Enumerable.Range(0, BandCount).Select(block.OutputArray).ToList());
    }

    /// <summary>A tile as GDAL's COG driver stores it: its size (4 bytes), the data, its last 4 bytes again.</summary>
    private static void Append(FileStream stream, byte[] data, int length, ref long position, out long offset)
    {
        Span<byte> leader = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(leader, (uint)length);
        stream.Write(leader);
        offset = position + 4;
        stream.Write(data, 0, length);
        stream.Write(data, length - 4, 4);
        position += length + 8;
    }

    private void StoreStrip(OverviewLevel level, int strip, float[][] values, int rows)
    {
        if (level.Index == _previewLevel)
        {
            KeepRows(level.Width, strip * _settings.TileSize, 0, level.Width, rows, b => values[b - 1], level.Width);
        }
        var store = _stores[level.Index - 1];
        store.Stream ??= new FileStream(store.Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);
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
            var index = strip * columns + c;
            Append(store.Stream, _levelBuffer, length, ref store.Length, out store.Offsets[index]);
            store.Sizes[index] = length;
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
        _main.Flush();
        foreach (var store in _stores)
        {
            store.Stream?.Flush();
        }
        var geo = GeoTiffTemplate.Tags(_grid, BandCount, _type, _settings.TileSize, describe);
        var big = _settings.BigTiff == "YES";
        var front = Front(geo, big);
        if (!big && front.Length + _mainLength > uint.MaxValue)
        {
            if (_settings.BigTiff == "NO")
            {
                throw new RasterException("the COG is larger than 4 GB; use BIGTIFF=YES or IF_NEEDED");
            }
            front = Front(geo, big: true);
        }
        var file = FileSplice.InsertFront(_main, _path, front.Length);
        try
        {
            RandomAccess.Write(file.SafeFileHandle, front.Head, 0);
            foreach (var (store, at) in front.Overviews)
            {
                FileSplice.Copy(store.Stream!.SafeFileHandle, 0, file.SafeFileHandle, at, store.Length);
            }
            file.Flush(flushToDisk: false);
        }
        finally
        {
            file.Dispose();
        }
    }

    private sealed record FrontPart(byte[] Head, long Length, List<(LevelStore Store, long At)> Overviews);

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
                TiffTag.Shorts(258, Enumerable.Repeat((ushort)(8 * sampleSize), BandCount).ToArray()),
                TiffTag.Shorts(259, (ushort)_settings.Compression),
                TiffTag.Shorts(262, 1),
                TiffTag.Shorts(277, (ushort)BandCount),
                TiffTag.Shorts(284, 1),
                TiffTag.Shorts(322, (ushort)_settings.TileSize),
                TiffTag.Shorts(323, (ushort)_settings.TileSize),
                TiffTag.Offsets(324, offsets, big),
                TiffTag.Offsets(325, sizes.Select(s => (long)s).ToArray(), big),
                TiffTag.Shorts(339, Enumerable.Repeat(StoredValues.SampleFormat(_type), BandCount).ToArray()),
            };
            if (_settings.Predictor != 1)
            {
                tags.Add(TiffTag.Shorts(317, (ushort)_settings.Predictor));
            }
            if (BandCount > 1)
            {
                tags.Add(TiffTag.Shorts(338, new ushort[BandCount - 1]));
            }
            if (level > 0)
            {
                tags.Add(TiffTag.Longs(254, [1]));
                tags.AddRange(geo.Where(t => t.Tag == 42113)); // overviews carry the nodata tag, as GDAL's do
            }
            else
            {
                tags.AddRange(geo);
            }
            return tags;
        }

        // Sizes first (offsets do not change a directory's size), then the real offsets.
        var levels = _levels.Count;
        var directories = new List<List<TiffTag>> { Directory(0, new long[_layout.Count], _sizes) };
        for (var l = 1; l <= levels; l++)
        {
            directories.Add(Directory(l, new long[_stores[l - 1].Offsets.Length], _stores[l - 1].Sizes));
        }
        var directorySizes = directories.Select(d => TiffDirectory.Size(d, big)).ToArray();
        var overviewBytes = _stores.Sum(s => s.Length);
        var used = first + directorySizes.Sum() + overviewBytes;
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
        var head = new byte[first + directorySizes.Sum()];
        var at = (long)first;
        for (var l = 0; l <= levels; l++)
        {
            var offsets = l == 0
                ? _offsets.Select(o => o + total).ToArray()
                : _stores[l - 1].Offsets.Select(o => o + levelStart[l]).ToArray();
            var tags = Directory(l, offsets, l == 0 ? _sizes : _stores[l - 1].Sizes);
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
        return new FrontPart(head, total, Enumerable.Range(1, levels).Select(l => (_stores[l - 1], levelStart[l])).ToList());
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
            store.Stream?.Dispose();
            TryDelete(store.Path);
        }
        foreach (var encoder in _encoders.Values)
        {
            encoder.Dispose();
        }
        _encoders.Dispose();
        _levelEncoder.Dispose();
        foreach (var held in _waiting.Values)
        {
            ArrayPool<byte>.Shared.Return(held.Data);
        }
        _waiting.Clear();
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
