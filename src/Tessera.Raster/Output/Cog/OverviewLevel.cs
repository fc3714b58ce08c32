namespace Tessera.Raster.Output.Cog;

/// <summary>
/// One overview level of a COG written in the pass, filled a tile row (a strip of tile-high rows) at a time. The first
/// level of an even-sized raster takes the halves of the engine's blocks as they arrive (in any order); the others take
/// the finished rows of the level above (for the first level of an odd-sized raster, the full resolution), in order, and
/// average them as GDAL does (<see cref="OverviewAveraging"/>), or take the nearest pixel (<see cref="NearestOverview"/>). A finished strip goes to
/// <see cref="StripDone"/> (to be encoded and stored) and on to the next level; only a strip or two per level is held.
/// </summary>
internal sealed class OverviewLevel
{
    private readonly int _bands;
    private readonly int _tile;
    private readonly RasterDataType _type;
    private readonly float _noData;
    private readonly bool _nearest;
    private readonly OverviewLevel? _next;

    // First level of an even-sized raster: strips filled by block halves.
    private readonly StripAssembler? _halves;

    // Deeper levels: the rows of the level above still needed, and the strip being made.
    private readonly int _sourceWidth;
    private readonly int _sourceHeight;
    private readonly float[][] _source = [];
    private int _sourceFirst;
    private int _sourceCount;
    private readonly float[][] _strip = [];
    private int _row;
    private readonly Columns[] _columns = [];
    private readonly int[] _nearestColumns = [];
    private readonly double _yRatio;

    private readonly record struct Columns(int Left, int Right, double LeftWeight, double RightWeight);

    /// <summary>Level number, from 1.</summary>
    public int Index { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Called with (level, strip index, values per band, rows in the strip) once a strip is finished.</summary>
    public required Action<OverviewLevel, int, float[][], int> StripDone { get; init; }

    /// <param name="fromHalves">The level takes the level above halved in pieces, in any order (<see cref="AddHalves"/>: the second
    /// level of an even-sized raster); otherwise it takes the rows of the level above (<see cref="AddStrip"/>).</param>
    /// <param name="nearest">Nearest-pixel resampling instead of averaging.</param>
    public OverviewLevel(int index, int width, int height, int sourceWidth, int sourceHeight, int bands, int tile,
        RasterDataType type, float noData, OverviewLevel? next, bool fromHalves, bool nearest = false)
    {
        Index = index;
        Width = width;
        Height = height;
        _bands = bands;
        _tile = tile;
        _type = type;
        _noData = noData;
        _nearest = nearest;
        _next = next;
        _sourceWidth = sourceWidth;
        _sourceHeight = sourceHeight;
        if (fromHalves)
        {
            _halves = new StripAssembler(width, height, tile, bands, Emit);
        }
        else
        {
            // A chunk of rows of the level above plus the few rows an overview row straddles.
            _source = Enumerable.Range(0, bands).Select(_ => new float[checked(sourceWidth * (Chunk + 8))]).ToArray();
            _strip = NewStrip();
            var xRatio = (double)sourceWidth / width;
            _yRatio = (double)sourceHeight / height;
            // Each overview column's source: its pixel (nearest), or its pixels and edge weights (average).
            if (nearest)
            {
                _nearestColumns = new int[width];
                for (var i = 0; i < width; i++)
                {
                    _nearestColumns[i] = NearestOverview.Source(i, xRatio, sourceWidth);
                }
            }
            else
            {
                _columns = new Columns[width];
                for (var i = 0; i < width; i++)
                {
                    var (left, right, lw, rw) = Span(i, xRatio, sourceWidth);
                    _columns[i] = new Columns(left, right, lw, rw);
                }
            }
        }
    }

    private float[][] NewStrip() => Enumerable.Range(0, _bands).Select(_ => new float[Width * _tile]).ToArray();

    /// <summary>The source pixels overview pixel <paramref name="i"/> covers and the weights of the first and last (as
    /// GDAL computes them).</summary>
    private static (int First, int End, double FirstWeight, double LastWeight) Span(int i, double ratio, int size)
    {
        var start = i * ratio;
        var first = (int)(start + 1e-8);
        var stop = (i + 1) * ratio;
        var end = (int)Math.Ceiling(stop - 1e-8);
        if (end == first)
        {
            end++;
        }
        if (end > size)
        {
            end = size;
        }
        var firstWeight = end == first + 1 ? 1.0 : 1 - (start - first);
        var lastWeight = 1 - (end - stop);
        return (first, end, firstWeight, lastWeight);
    }

    /// <summary>First level: takes a block's halves (<paramref name="window"/> in full-resolution pixels).</summary>
    public void AddHalves(Window window, IReadOnlyList<float[]> halves) =>
        _halves!.Add(window.ColOffset / 2, window.RowOffset / 2, window.Width / 2, window.Height / 2, halves);

    /// <summary>Rows taken from the level above at a time (what is held of that level is this many rows and a few).</summary>
    private const int Chunk = 32;

    private void Emit(int strip, float[][] values, int rows)
    {
        StripDone(this, strip, values, rows);
        _next?.AddStrip(values, Width, rows);
    }

    /// <summary>Takes a strip of <paramref name="rows"/> finished rows of the level above, in order.</summary>
    public void AddStrip(float[][] values, int width, int rows)
    {
        for (var first = 0; first < rows; first += Chunk)
        {
            AddRows(values, width, first, Math.Min(Chunk, rows - first));
        }
    }

    /// <summary>Takes the next <paramref name="rows"/> rows (at most <see cref="Chunk"/>) of the level above, from row
    /// <paramref name="first"/> of <paramref name="values"/>.</summary>
    private void AddRows(float[][] values, int width, int first, int rows)
    {
        // Drop the rows no later overview row needs, then append.
        if (Made < Height)
        {
            var keep = Rows(Made).First;
            var drop = Math.Min(keep - _sourceFirst, _sourceCount);
            if (drop > 0)
            {
                for (var b = 0; b < _bands; b++)
                {
                    _source[b].AsSpan(drop * _sourceWidth, (_sourceCount - drop) * _sourceWidth).CopyTo(_source[b]);
                }
                _sourceFirst += drop;
                _sourceCount -= drop;
            }
        }
        var capacity = _source[0].Length / _sourceWidth;
        if (_sourceCount + rows > capacity)
        {
            throw new RasterException("overview rows arrived faster than they were used");
        }
        for (var b = 0; b < _bands; b++)
        {
            values[b].AsSpan(first * width, rows * width).CopyTo(_source[b].AsSpan(_sourceCount * _sourceWidth));
        }
        _sourceCount += rows;
        Produce();
    }

    private int Made => _strips * _tile + _row;

    /// <summary>The rows of the level above overview row <paramref name="j"/> takes, and their weights.</summary>
    private (int First, int End, double FirstWeight, double LastWeight) Rows(int j)
    {
        if (_nearest)
        {
            var y = NearestOverview.Source(j, _yRatio, _sourceHeight);
            return (y, y + 1, 1, 1);
        }
        return Span(j, _yRatio, _sourceHeight);
    }

    private void Produce()
    {
        var available = _sourceFirst + _sourceCount;
        var halving = _sourceWidth == 2 * Width && _sourceHeight == 2 * Height;
        for (var j = Made; j < Height; j++)
        {
            var (first, end, firstWeight, lastWeight) = Rows(j);
            if (end > available)
            {
                break;
            }
            for (var b = 0; b < _bands; b++)
            {
                if (_nearest)
                {
                    var line = _source[b].AsSpan((first - _sourceFirst) * _sourceWidth, _sourceWidth);
                    var row = _strip[b].AsSpan(_row * Width, Width);
                    if (halving)
                    {
                        NearestOverview.HalveRow(line, row);
                        continue;
                    }
                    for (var i = 0; i < Width; i++)
                    {
                        row[i] = line[_nearestColumns[i]];
                    }
                    continue;
                }
                if (halving)
                {
                    // An exact ratio of 2: whole pixels, no weights.
                    var rows = _source[b].AsSpan((first - _sourceFirst) * _sourceWidth, 2 * _sourceWidth);
                    OverviewAveraging.HalveRows(rows[.._sourceWidth], rows[_sourceWidth..], _strip[b].AsSpan(_row * Width, Width), _type, _noData, stored: true);
                    continue;
                }
                var output = _strip[b].AsSpan(_row * Width, Width);
                var source = _source[b];
                for (var i = 0; i < Width; i++)
                {
                    var x = _columns[i];
                    double total = 0;
                    double weight = 0;
                    var count = 0;
                    for (var y = first; y < end; y++)
                    {
                        var line = source.AsSpan((y - _sourceFirst) * _sourceWidth, _sourceWidth);
                        double lineTotal = 0;
                        double lineWeight = 0;
                        var value = line[x.Left];
                        if (OverviewAveraging.Valid(value, _noData))
                        {
                            count++;
                            lineWeight = x.LeftWeight;
                            lineTotal = value * x.LeftWeight;
                        }
                        if (x.Left + 1 < x.Right)
                        {
                            for (var s = x.Left + 1; s + 1 < x.Right; s++)
                            {
                                value = line[s];
                                if (OverviewAveraging.Valid(value, _noData))
                                {
                                    count++;
                                    lineWeight += 1;
                                    lineTotal += value;
                                }
                            }
                            value = line[x.Right - 1];
                            if (OverviewAveraging.Valid(value, _noData))
                            {
                                count++;
                                lineWeight += x.RightWeight;
                                lineTotal += value * x.RightWeight;
                            }
                        }
                        var weightY = y == first ? firstWeight : y + 1 == end ? lastWeight : 1.0;
                        total += lineTotal * weightY;
                        weight += lineWeight * weightY;
                    }
                    output[i] = OverviewAveraging.Value(total, weight, count, _type, _noData);
                }
            }
            _row++;
            if (_row == _tile || j == Height - 1)
            {
                Emit(_strips, _strip, _row);
                _strips++;
                _row = 0;
            }
        }
    }

    private int _strips;

    /// <summary>Whether every row of this level and the levels below it was made.</summary>
    public bool Complete => (_halves?.Complete ?? Made >= Height) && (_next?.Complete ?? true);
}
