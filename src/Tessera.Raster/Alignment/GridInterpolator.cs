using System.Numerics;
using Tessera.Raster.Kernels;

namespace Tessera.Raster.Alignment;

/// <summary>
/// Reads a source at its own resolution and interpolates it onto a window of the reference grid (see
/// <see cref="GridMapping"/>), computing what GDAL's warper computes for nearest and bilinear: a reference pixel
/// whose centre falls outside the source, or in a source pixel without data, is no data; bilinear weighs the 2 x 2
/// source pixels around the centre and renormalises the weights over those that have data. Bilinear is done separably: each
/// source row once across (weighted sums and weights), then down the rows. Belongs to one thread.
/// </summary>
internal sealed class GridInterpolator
{
    /// <summary>GDAL's warper gives no data below this total weight.</summary>
    private const float MinWeight = 1e-6f;

    private float[] _source = [];
    private float[] _sums = [];
    private float[] _weights = [];
    private int[] _col0 = [];
    private int[] _colCentre = [];
    private float[] _wx0 = [];
    private float[] _wx1 = [];

    public void Read(RasterDataset ds, AlignedSource source, GridMapping mapping, Window window, Span<float> destination)
    {
        var dest = destination[..checked((int)window.PixelCount)];
        if (mapping.Resampling == Resampling.Nearest)
        {
            Nearest(ds, source, mapping, window, dest);
        }
        else if (mapping.Resampling == Resampling.Bilinear)
        {
            Bilinear(ds, source, mapping, window, dest);
        }
        else
        {
            throw new RasterArgumentException($"in-memory interpolation supports nearest and bilinear, not {mapping.Resampling.ToGdal()}");
        }
    }

    private void Nearest(RasterDataset ds, AlignedSource source, GridMapping mapping, Window window, Span<float> dest)
    {
        var (w, h) = (window.Width, window.Height);
        Ensure(ref _col0, w);
        int colMin = int.MaxValue, colMax = -1, rowMin = int.MaxValue, rowMax = -1;
        for (var j = 0; j < w; j++)
        {
            _col0[j] = Index(mapping.U(window.ColOffset + j), source.SourceWidth);
            if (_col0[j] >= 0)
            {
                colMin = Math.Min(colMin, _col0[j]);
                colMax = Math.Max(colMax, _col0[j]);
            }
        }
        for (var i = 0; i < h; i++)
        {
            var row = Index(mapping.V(window.RowOffset + i), source.SourceHeight);
            if (row >= 0)
            {
                rowMin = Math.Min(rowMin, row);
                rowMax = Math.Max(rowMax, row);
            }
        }
        if (colMax < 0 || rowMax < 0)
        {
            dest.Fill(float.NaN);
            return;
        }
        var read = ReadSource(ds, source, new Window(colMin, rowMin, colMax - colMin + 1, rowMax - rowMin + 1));
        for (var i = 0; i < h; i++)
        {
            var row = Index(mapping.V(window.RowOffset + i), source.SourceHeight);
            var output = dest.Slice(i * w, w);
            if (row < 0)
            {
                output.Fill(float.NaN);
                continue;
            }
            var line = read.Slice((row - rowMin) * (colMax - colMin + 1));
            for (var j = 0; j < w; j++)
            {
                output[j] = _col0[j] < 0 ? float.NaN : line[_col0[j] - colMin];
            }
        }
    }

    private void Bilinear(RasterDataset ds, AlignedSource source, GridMapping mapping, Window window, Span<float> dest)
    {
        var (w, h) = (window.Width, window.Height);
        Ensure(ref _col0, w);
        Ensure(ref _colCentre, w);
        Ensure(ref _wx0, w);
        Ensure(ref _wx1, w);
        // Columns: left neighbour and the two weights; a neighbour outside the source weighs 0, and a column whose
        // centre is outside the source gets no weight at all (no data).
        int colMin = int.MaxValue, colMax = -1;
        for (var j = 0; j < w; j++)
        {
            var u = mapping.U(window.ColOffset + j);
            _colCentre[j] = Index(u, source.SourceWidth);
            if (_colCentre[j] < 0)
            {
                _col0[j] = -1;
                _wx0[j] = _wx1[j] = 0;
                continue;
            }
            var i0 = (int)Math.Floor(u - 0.5);
            var fx = (float)(u - 0.5 - i0);
            _col0[j] = i0;
            _wx0[j] = i0 >= 0 ? 1 - fx : 0;
            _wx1[j] = i0 + 1 < source.SourceWidth ? fx : 0;
            colMin = Math.Min(colMin, Math.Max(i0, 0));
            colMax = Math.Max(colMax, Math.Min(i0 + 1, source.SourceWidth - 1));
        }
        int rowMin = int.MaxValue, rowMax = -1;
        for (var i = 0; i < h; i++)
        {
            var v = mapping.V(window.RowOffset + i);
            if (Index(v, source.SourceHeight) < 0)
            {
                continue;
            }
            var k0 = (int)Math.Floor(v - 0.5);
            rowMin = Math.Min(rowMin, Math.Max(k0, 0));
            rowMax = Math.Max(rowMax, Math.Min(k0 + 1, source.SourceHeight - 1));
        }
        if (colMax < 0 || rowMax < 0)
        {
            dest.Fill(float.NaN);
            return;
        }
        var readWidth = colMax - colMin + 1;
        var rows = rowMax - rowMin + 1;
        var read = ReadSource(ds, source, new Window(colMin, rowMin, readWidth, rows));

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
                var c = _col0[j] - colMin;
                if (_wx0[j] > 0 && line[c] is var a && !float.IsNaN(a))
                {
                    s = _wx0[j] * a;
                    t = _wx0[j];
                }
                if (_wx1[j] > 0 && line[c + 1] is var b && !float.IsNaN(b))
                {
                    s += _wx1[j] * b;
                    t += _wx1[j];
                }
                sums[j] = s;
                weights[j] = t;
            }
        }

        // Down: blend the two source rows around each reference row.
        for (var i = 0; i < h; i++)
        {
            var output = dest.Slice(i * w, w);
            var v = mapping.V(window.RowOffset + i);
            if (Index(v, source.SourceHeight) < 0)
            {
                output.Fill(float.NaN);
                continue;
            }
            var k0 = (int)Math.Floor(v - 0.5);
            var fy = (float)(v - 0.5 - k0);
            var wy0 = k0 >= 0 ? 1 - fy : 0;
            var wy1 = k0 + 1 < source.SourceHeight ? fy : 0;
            // Rows outside the source weigh 0: point them at any row that was read.
            var r0 = Math.Clamp(k0, rowMin, rowMax) - rowMin;
            var r1 = Math.Clamp(k0 + 1, rowMin, rowMax) - rowMin;
            BlendRows(_sums.AsSpan(r0 * w, w), _weights.AsSpan(r0 * w, w), wy0,
                _sums.AsSpan(r1 * w, w), _weights.AsSpan(r1 * w, w), wy1, output);
            if (anyMissing)
            {
                // As GDAL's warper: no data where the source pixel under the centre has none.
                var centre = read.Slice((Index(v, source.SourceHeight) - rowMin) * readWidth, readWidth);
                for (var j = 0; j < w; j++)
                {
                    if (_colCentre[j] >= 0 && float.IsNaN(centre[_colCentre[j] - colMin]))
                    {
                        output[j] = float.NaN;
                    }
                }
            }
        }
    }

    /// <summary>output = (wy0·S0 + wy1·S1) / (wy0·W0 + wy1·W1), no data where the total weight is below <see cref="MinWeight"/>.</summary>
    private static void BlendRows(ReadOnlySpan<float> s0, ReadOnlySpan<float> t0, float wy0,
        ReadOnlySpan<float> s1, ReadOnlySpan<float> t1, float wy1, Span<float> output)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var n = Vector<float>.Count;
            var a = new Vector<float>(wy0);
            var b = new Vector<float>(wy1);
            var min = new Vector<float>(MinWeight);
            var nan = new Vector<float>(float.NaN);
            for (; j <= output.Length - n; j += n)
            {
                var sum = a * new Vector<float>(s0[j..]) + b * new Vector<float>(s1[j..]);
                var weight = a * new Vector<float>(t0[j..]) + b * new Vector<float>(t1[j..]);
                Vector.ConditionalSelect(Vector.LessThan(weight, min), nan, sum / weight).CopyTo(output[j..]);
            }
        }
        for (; j < output.Length; j++)
        {
            var sum = wy0 * s0[j] + wy1 * s1[j];
            var weight = wy0 * t0[j] + wy1 * t1[j];
            output[j] = weight < MinWeight ? float.NaN : sum / weight;
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
}
