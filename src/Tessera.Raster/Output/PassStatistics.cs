using System.Globalization;
using System.Numerics;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Output;

/// <summary>
/// The statistics of each band of a result, counted as the blocks pass (on the threads that computed them) and stored
/// in the file as GDAL stores the ones it computes (<c>STATISTICS_MINIMUM</c>, <c>_MAXIMUM</c>, <c>_MEAN</c>,
/// <c>_STDDEV</c>, <c>_VALID_PERCENT</c>), so that <c>gdalinfo</c> and readers show them without reading the pixels.
/// Nodata and NaN are left out; the standard deviation is the population's, as GDAL's. Written only when every pixel
/// of every band went through the engine once. The minimum and maximum are exact; mean and standard deviation are
/// computed in double precision.
/// </summary>
internal sealed class PassStatistics
{
    private readonly int _width;
    private readonly int _height;
    private readonly int _bandCount;
    private readonly float _noData;
    private readonly RasterDataType _type;
    private readonly Sums[] _bands;
    private readonly BlockCoverage _coverage;

    /// <summary>Count, mean and sum of squared deviations (shifted sums within a block, Chan et al.'s merge across
    /// blocks: no cancellation when the mean is large next to the spread).</summary>
    private sealed class Sums
    {
        public long Count;
        public double Mean;
        public double Deviations;
        public double Min = double.PositiveInfinity;
        public double Max = double.NegativeInfinity;
    }

    private PassStatistics(int width, int height, int bands, RasterDataType type, double noData)
    {
        (_width, _height, _bandCount) = (width, height, bands);
        _type = type;
        _noData = type == RasterDataType.Float32 ? (float)noData : Cog.StoredValues.Round((float)noData, type);
        _coverage = new BlockCoverage(width, height, bands);
        _bands = Enumerable.Range(0, bands + 1).Select(_ => new Sums()).ToArray();
    }

    /// <summary>Statistics for a result of these types (whose values the engine's floats represent exactly, once
    /// rounded as GDAL stores them); null for others.</summary>
    public static PassStatistics? For(int width, int height, int bands, RasterDataType type, double noData) =>
        type is RasterDataType.Float32 or RasterDataType.Byte or RasterDataType.UInt16 or RasterDataType.Int16
            ? new PassStatistics(width, height, bands, type, noData)
            : null;

    /// <summary>Counts a block's values as stored (on the thread that computed them). <paramref name="stored"/>: the
    /// values are already as the file stores them (integers rounded), so no rounding is needed here.</summary>
    public void Add(int band, Window window, ReadOnlySpan<float> values, bool stored = false)
    {
        // Sums of deviations from the block's first valid value (no division per pixel, no cancellation: a block's
        // values lie close to each other next to their magnitude), then the block's mean and squared deviations.
        var (count, shift, sum, squares, min, max) = _type == RasterDataType.Float32 || stored ? SumFloats(values) : SumIntegers(values);
        var mean = count == 0 ? 0 : shift + sum / count;
        var deviations = count == 0 ? 0 : Math.Max(0, squares - sum * sum / count);
        _coverage.Add(band, window);
        var total = _bands[band];
        lock (total)
        {
            if (count > 0)
            {
                var n = total.Count + count;
                var delta = mean - total.Mean;
                total.Deviations += deviations + delta * delta * total.Count * count / n;
                total.Mean += delta * count / n;
                total.Count = n;
            }
            if (count > 0)
            {
                total.Min = Math.Min(total.Min, min);
                total.Max = Math.Max(total.Max, max);
            }
        }
    }

    private (long Count, double Shift, double Sum, double Squares, float Min, float Max) SumIntegers(ReadOnlySpan<float> values)
    {
        long count = 0;
        double shift = 0, sum = 0, squares = 0;
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var raw in values)
        {
            if (float.IsNaN(raw))
            {
                continue;
            }
            var v = Cog.StoredValues.Round(raw, _type);
            if (v == _noData)
            {
                continue;
            }
            if (count == 0)
            {
                shift = v;
            }
            Take(v, shift, ref count, ref sum, ref squares, ref min, ref max);
        }
        return (count, shift, sum, squares, min, max);
    }

    /// <summary>One valid value into a block's sums.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Take(float v, double shift, ref long count, ref double sum, ref double squares, ref float min, ref float max)
    {
        count++;
        var d = v - shift;
        sum += d;
        squares += d * d;
        min = v < min ? v : min;
        max = v > max ? v : max;
    }

    /// <summary>Float32 values, or values already stored: whole vectors (the sums in double lanes), then the tail.</summary>
    private (long Count, double Shift, double Sum, double Squares, float Min, float Max) SumFloats(ReadOnlySpan<float> values)
    {
        var first = 0;
        while (first < values.Length && (float.IsNaN(values[first]) || values[first] == _noData))
        {
            first++;
        }
        if (first == values.Length)
        {
            return (0, 0, 0, 0, float.PositiveInfinity, float.NegativeInfinity);
        }
        double shift = values[first];
        long count = 0;
        double sum = 0, squares = 0;
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        var i = first;
        if (Vector.IsHardwareAccelerated && values.Length - i >= Vector<float>.Count)
        {
            var noData = new Vector<float>(_noData);
            var vShift = new Vector<double>(shift);
            var (s0, s1, q0, q1) = (Vector<double>.Zero, Vector<double>.Zero, Vector<double>.Zero, Vector<double>.Zero);
            var vMin = new Vector<float>(float.PositiveInfinity);
            var vMax = new Vector<float>(float.NegativeInfinity);
            var valid = Vector<int>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var x = new Vector<float>(values[i..]);
                var ok = Vector.Equals(x, x) & ~Vector.Equals(x, noData);
                valid -= ok; // a valid lane is -1
                vMin = Vector.Min(vMin, Vector.ConditionalSelect(ok, x, new Vector<float>(float.PositiveInfinity)));
                vMax = Vector.Max(vMax, Vector.ConditionalSelect(ok, x, new Vector<float>(float.NegativeInfinity)));
                Vector.Widen(x, out var lo, out var hi);
                Vector.Widen(ok, out var okLo, out var okHi);
                var dLo = Vector.ConditionalSelect(okLo, lo - vShift, Vector<double>.Zero);
                var dHi = Vector.ConditionalSelect(okHi, hi - vShift, Vector<double>.Zero);
                s0 += dLo;
                s1 += dHi;
                q0 += dLo * dLo;
                q1 += dHi * dHi;
            }
            count = Vector.Sum(valid);
            sum = Vector.Sum(s0 + s1);
            squares = Vector.Sum(q0 + q1);
            for (var lane = 0; lane < Vector<float>.Count; lane++)
            {
                min = Math.Min(min, vMin[lane]);
                max = Math.Max(max, vMax[lane]);
            }
        }
        for (; i < values.Length; i++)
        {
            var v = values[i];
            if (!float.IsNaN(v) && v != _noData)
            {
                Take(v, shift, ref count, ref sum, ref squares, ref min, ref max);
            }
        }
        return (count, shift, sum, squares, min, max);
    }

    /// <summary>Stores the statistics in <paramref name="target"/> when they cover every pixel of every band once.</summary>
    public bool Store(RasterDataset target)
    {
        var whole = (long)_width * _height;
        if (!_coverage.Whole)
        {
            return false;
        }
        for (var b = 1; b <= _bandCount; b++)
        {
            var s = _bands[b];
            if (s.Count == 0)
            {
                continue; // nothing valid: GDAL stores no statistics either
            }
            var mean = s.Mean;
            var std = Math.Sqrt(s.Deviations / s.Count);
            var handle = GdalNative.GDALGetRasterBand(target.Handle, b);
            string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
            GdalNative.GDALSetMetadataItem(handle, "STATISTICS_MINIMUM", F(s.Min), null);
            GdalNative.GDALSetMetadataItem(handle, "STATISTICS_MAXIMUM", F(s.Max), null);
            GdalNative.GDALSetMetadataItem(handle, "STATISTICS_MEAN", F(mean), null);
            GdalNative.GDALSetMetadataItem(handle, "STATISTICS_STDDEV", F(std), null);
            GdalNative.GDALSetMetadataItem(handle, "STATISTICS_VALID_PERCENT", F(100.0 * s.Count / whole), null);
        }
        return true;
    }
}
