using System.Numerics;
using Tessera.Raster.Kernels;

namespace Tessera.Raster.Alignment;

/// <summary>
/// Reads a source at its own resolution and interpolates it onto a window of the reference grid (see
/// <see cref="GridMapping"/>), computing what GDAL's warper computes for nearest and bilinear: a reference pixel
/// whose centre falls outside the source, or in a source pixel without data, is no data; bilinear weighs the 2 x 2
/// source pixels around the centre and renormalises the weights over those that have data. Bilinear is done
/// separably: each source row once across (weighted sums and weights), then down the rows. Belongs to one thread.
/// </summary>
internal sealed class GridInterpolator
{
    /// <summary>GDAL's warper gives no data below this total weight.</summary>
    private const float MinWeight = 1e-6f;

    private float[] _source = [];
    private float[] _sums = [];
    private float[] _weights = [];
    private readonly Taps _cols = new();
    private readonly Taps _rows = new();

    public void Read(RasterDataset ds, AlignedSource source, GridMapping mapping, Window window, Span<float> destination)
    {
        var dest = destination[..checked((int)window.PixelCount)];
        if (mapping.Resampling is not (Resampling.Nearest or Resampling.Bilinear))
        {
            throw new RasterArgumentException($"in-memory interpolation supports nearest and bilinear, not {mapping.Resampling.ToGdal()}");
        }
        var nearest = mapping.Resampling == Resampling.Nearest;
        _cols.Compute(mapping.ColOffset, mapping.ColScale, window.ColOffset, window.Width, source.SourceWidth, nearest);
        _rows.Compute(mapping.RowOffset, mapping.RowScale, window.RowOffset, window.Height, source.SourceHeight, nearest);
        if (_cols.Max < 0 || _rows.Max < 0)
        {
            dest.Fill(float.NaN);
            return;
        }
        var readWidth = _cols.Max - _cols.Min + 1;
        var read = ReadSource(ds, source, new Window(_cols.Min, _rows.Min, readWidth, _rows.Max - _rows.Min + 1));
        if (nearest)
        {
            Nearest(read, readWidth, window, dest);
        }
        else
        {
            Bilinear(read, readWidth, window, dest);
        }
    }

    private void Nearest(ReadOnlySpan<float> read, int readWidth, Window window, Span<float> dest)
    {
        var w = window.Width;
        for (var i = 0; i < window.Height; i++)
        {
            var output = dest.Slice(i * w, w);
            var row = _rows.Centre[i];
            if (row < 0)
            {
                output.Fill(float.NaN);
                continue;
            }
            var line = read.Slice((row - _rows.Min) * readWidth);
            for (var j = 0; j < w; j++)
            {
                var col = _cols.Centre[j];
                output[j] = col < 0 ? float.NaN : line[col - _cols.Min];
            }
        }
    }

    private void Bilinear(ReadOnlySpan<float> read, int readWidth, Window window, Span<float> dest)
    {
        var (w, h) = (window.Width, window.Height);
        var rows = _rows.Max - _rows.Min + 1;
        var anyMissing = read.IndexOfAnyExceptInRange(float.NegativeInfinity, float.PositiveInfinity) >= 0;

        // Across: per source row, Σ w·value over the neighbours with data, and Σ w over them.
        Ensure(ref _sums, rows * w);
        Ensure(ref _weights, rows * w);
        for (var k = 0; k < rows; k++)
        {
            var line = read.Slice(k * readWidth, readWidth);
            var sums = _sums.AsSpan(k * w, w);
            var weights = _weights.AsSpan(k * w, w);
            for (var j = 0; j < w; j++)
            {
                float s = 0, t = 0;
                var c = _cols.First[j] - _cols.Min;
                var (w0, w1) = (_cols.Weight0[j], _cols.Weight1[j]);
                if (w0 > 0 && line[c] is var a && !float.IsNaN(a))
                {
                    s = w0 * a;
                    t = w0;
                }
                if (w1 > 0 && line[c + 1] is var b && !float.IsNaN(b))
                {
                    s += w1 * b;
                    t += w1;
                }
                sums[j] = s;
                weights[j] = t;
            }
        }

        // Down: blend the two source rows around each reference row.
        for (var i = 0; i < h; i++)
        {
            var output = dest.Slice(i * w, w);
            if (_rows.Centre[i] < 0)
            {
                output.Fill(float.NaN);
                continue;
            }
            // Rows outside the source weigh 0: point them at any row that was read.
            var r0 = Math.Clamp(_rows.First[i], _rows.Min, _rows.Max) - _rows.Min;
            var r1 = Math.Clamp(_rows.First[i] + 1, _rows.Min, _rows.Max) - _rows.Min;
            BlendRows(_sums.AsSpan(r0 * w, w), _weights.AsSpan(r0 * w, w), _rows.Weight0[i],
                _sums.AsSpan(r1 * w, w), _weights.AsSpan(r1 * w, w), _rows.Weight1[i], output);
            if (anyMissing)
            {
                // As GDAL's warper: no data where the source pixel under the centre has none.
                var centre = read.Slice((_rows.Centre[i] - _rows.Min) * readWidth, readWidth);
                for (var j = 0; j < w; j++)
                {
                    if (_cols.Centre[j] >= 0 && float.IsNaN(centre[_cols.Centre[j] - _cols.Min]))
                    {
                        output[j] = float.NaN;
                    }
                }
            }
        }
    }

    /// <summary>output = (wy0·S0 + wy1·S1) / (wy0·W0 + wy1·W1), no data where the total weight is below <see cref="MinWeight"/>.</summary>
    private static void BlendRows(ReadOnlySpan<float> s0, ReadOnlySpan<float> t0, float wy0,
        ReadOnlySpan<float> s1, ReadOnlySpan<float> t1, float wy1, Span<float> output) =>
        Kernels.LaneLoop.Apply(new BlendStep(new(wy0), new(wy1)), s0, s1, t0, t1, output);

    private readonly struct BlendStep(Vector<float> a, Vector<float> b) : Kernels.ILaneStep4
    {
        public Vector<float> Vector(Vector<float> s0, Vector<float> s1, Vector<float> t0, Vector<float> t1)
        {
            var sum = a * s0 + b * s1;
            var weight = a * t0 + b * t1;
            return System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.LessThan(weight, new Vector<float>(MinWeight)),
                new Vector<float>(float.NaN), sum / weight);
        }

        public float Scalar(float s0, float s1, float t0, float t1)
        {
            var sum = a[0] * s0 + b[0] * s1;
            var weight = a[0] * t0 + b[0] * t1;
            return weight < MinWeight ? float.NaN : sum / weight;
        }
    }

    /// <summary>The source pixel holding coordinate <paramref name="u"/>, or −1 outside [0, size).</summary>
    private static int Index(double u, int size)
    {
        if (!(u >= 0))
        {
            return -1;
        }
        var i = (long)(u + 1e-10);
        return i < size ? (int)i : -1;
    }

    /// <summary>Reads a window of the source as values (no data → NaN, scale and offset applied).</summary>
    private Span<float> ReadSource(RasterDataset ds, AlignedSource source, Window window)
    {
        var n = checked((int)window.PixelCount);
        Ensure(ref _source, n);
        var values = _source.AsSpan(0, n);
        ds.Read(source.Band, window, values);
        PixelKernels.Decode(values, source.NoData, source.Scale, source.Offset);
        return values;
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length];
        }
    }

    /// <summary>
    /// Along one axis of a window: per reference pixel, the source pixel under its centre (−1 outside the source),
    /// the first of the two bilinear neighbours and their weights (0 for a neighbour outside the source, both 0 when
    /// the centre is outside), and the span of source pixels these need (Max −1: none).
    /// </summary>
    private sealed class Taps
    {
        public int[] Centre = [];
        public int[] First = [];
        public float[] Weight0 = [];
        public float[] Weight1 = [];

        public int Min { get; private set; }

        public int Max { get; private set; }

        public void Compute(double offset, double scale, int start, int count, int size, bool nearest)
        {
            Ensure(ref Centre, count);
            Ensure(ref First, count);
            Ensure(ref Weight0, count);
            Ensure(ref Weight1, count);
            (Min, Max) = (int.MaxValue, -1);
            for (var i = 0; i < count; i++)
            {
                var u = offset + scale * (start + i + 0.5);
                Centre[i] = Index(u, size);
                if (Centre[i] < 0)
                {
                    (First[i], Weight0[i], Weight1[i]) = (-1, 0, 0);
                    continue;
                }
                if (nearest)
                {
                    (Min, Max) = (Math.Min(Min, Centre[i]), Math.Max(Max, Centre[i]));
                    continue;
                }
                var i0 = (int)Math.Floor(u - 0.5);
                var f = (float)(u - 0.5 - i0);
                First[i] = i0;
                Weight0[i] = i0 >= 0 ? 1 - f : 0;
                Weight1[i] = i0 + 1 < size ? f : 0;
                (Min, Max) = (Math.Min(Min, Math.Max(i0, 0)), Math.Max(Max, Math.Min(i0 + 1, size - 1)));
            }
        }
    }
}
