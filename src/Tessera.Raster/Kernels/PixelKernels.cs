using System.Numerics;
using System.Runtime.InteropServices;

namespace Tessera.Raster.Kernels;

/// <summary>
/// The element-wise steps the block engine applies around every computation: turning raw values into
/// values (nodata to NaN, then scale and offset) and turning results into what is stored (non-finite to the
/// output's nodata). Each has a <see cref="Vector{T}"/> body over whole vectors and a scalar tail; the
/// scalar method is the definition the vector path must match.
/// </summary>
public static class PixelKernels
{
    /// <summary>Scalar meaning of <see cref="Decode"/>.</summary>
    public static float DecodeScalar(float raw, float noData, bool hasNoData, float scale, float offset) =>
        float.IsNaN(raw) || (hasNoData && raw == noData) ? float.NaN : raw * scale + offset;

    /// <summary>In place: raw nodata (and NaN) become NaN, every other value becomes raw * scale + offset.</summary>
    public static void Decode(Span<float> values, double? noData, double scale, double offset)
    {
        var hasNoData = noData.HasValue && !double.IsNaN(noData.Value);
        var nd = hasNoData ? (float)noData!.Value : 0f;
        var s = (float)scale;
        var o = (float)offset;
        var identity = s == 1f && o == 0f;
        if (!hasNoData && identity)
        {
            return; // NaN already is NaN
        }
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            // Lanes: Vector<float>.Count consecutive pixels. The nodata compare is on raw values, before scaling.
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            var vnd = new Vector<float>(nd);
            var vs = new Vector<float>(s);
            var vo = new Vector<float>(o);
            var nan = new Vector<float>(float.NaN);
            for (var v = 0; v < vectors.Length; v++)
            {
                var x = vectors[v];
                var y = identity ? x : x * vs + vo;
                vectors[v] = hasNoData ? Vector.ConditionalSelect(Vector.Equals(x, vnd), nan, y) : y;
            }
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            values[i] = DecodeScalar(values[i], nd, hasNoData, s, o);
        }
    }

    /// <summary>Scalar meaning of <see cref="EncodeNonFinite"/>.</summary>
    public static float EncodeNonFiniteScalar(float value, float noData) => float.IsFinite(value) ? value : noData;

    /// <summary>In place: NaN and ±infinity become <paramref name="noData"/> (which may itself be NaN).</summary>
    public static void EncodeNonFinite(Span<float> values, float noData)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            // A lane is finite iff x - x == 0: NaN - NaN and inf - inf are NaN, which compares unequal.
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            var vnd = new Vector<float>(noData);
            for (var v = 0; v < vectors.Length; v++)
            {
                var x = vectors[v];
                vectors[v] = Vector.ConditionalSelect(Vector.Equals(x - x, Vector<float>.Zero), x, vnd);
            }
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            values[i] = EncodeNonFiniteScalar(values[i], noData);
        }
    }

    /// <summary>Scalar meaning of <see cref="PropagateNaN"/>.</summary>
    public static float PropagateNaNScalar(float input, float result) => float.IsNaN(input) ? float.NaN : result;

    /// <summary>In place on <paramref name="result"/>: lanes where <paramref name="input"/> is NaN become NaN.</summary>
    public static void PropagateNaN(ReadOnlySpan<float> input, Span<float> result)
    {
        if (input.Length != result.Length)
        {
            throw new ArgumentException("spans differ in length");
        }
        var i = 0;
        if (Vector.IsHardwareAccelerated && result.Length >= Vector<float>.Count)
        {
            var vin = MemoryMarshal.Cast<float, Vector<float>>(input);
            var vres = MemoryMarshal.Cast<float, Vector<float>>(result);
            var nan = new Vector<float>(float.NaN);
            for (var v = 0; v < vres.Length; v++)
            {
                var x = vin[v];
                vres[v] = Vector.ConditionalSelect(Vector.Equals(x, x), vres[v], nan);
            }
            i = vres.Length * Vector<float>.Count;
        }
        for (; i < result.Length; i++)
        {
            result[i] = PropagateNaNScalar(input[i], result[i]);
        }
    }

    /// <summary>Scalar meaning of <see cref="Finish"/>.</summary>
    public static float FinishScalar(float result, float a, float b) =>
        float.IsFinite(result) && !float.IsNaN(a) && !float.IsNaN(b) ? result : float.NaN;

    /// <summary>
    /// destination = result where it is finite and neither <paramref name="a"/> nor <paramref name="b"/> is NaN
    /// (nodata), else NaN: the last step of an expression, in one pass. An empty <paramref name="a"/> or
    /// <paramref name="b"/> is not checked.
    /// </summary>
    public static void Finish(ReadOnlySpan<float> result, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        var n = destination.Length;
        if (result.Length != n || (a.Length != 0 && a.Length != n) || (b.Length != 0 && b.Length != n))
        {
            throw new ArgumentException("spans differ in length");
        }
        var hasA = a.Length != 0;
        var hasB = b.Length != 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            // Per lane: finite(r) is r - r == 0; "not NaN" is x == x. Absent inputs count as valid.
            var vr = MemoryMarshal.Cast<float, Vector<float>>(result);
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(destination);
            var nan = new Vector<float>(float.NaN);
            for (var v = 0; v < vd.Length; v++)
            {
                var r = vr[v];
                var valid = Vector.Equals(r - r, Vector<float>.Zero);
                if (hasA)
                {
                    valid &= Vector.Equals(va[v], va[v]);
                }
                if (hasB)
                {
                    valid &= Vector.Equals(vb[v], vb[v]);
                }
                vd[v] = Vector.ConditionalSelect(valid, r, nan);
            }
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            destination[i] = FinishScalar(result[i], hasA ? a[i] : 0, hasB ? b[i] : 0);
        }
    }
}
