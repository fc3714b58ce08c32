using System.Numerics;

namespace Tessera.Raster.Kernels;

/// <summary>
/// The element-wise steps the block engine applies around every computation: turning raw values into
/// values (nodata to NaN, then scale and offset) and turning results into what is stored (non-finite to the
/// output's nodata). Each is a step of <see cref="LaneLoop"/>; the scalar method is the definition the vector
/// path must match.
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
        var s = (float)scale;
        var o = (float)offset;
        var identity = s == 1f && o == 0f;
        if (!hasNoData && identity)
        {
            return; // NaN already is NaN
        }
        // One step per case, holding only the vectors it needs, so that the loop keeps them in registers.
        if (!hasNoData)
        {
            LaneLoop.Apply(new ScaleStep(new(s), new(o)), values, values);
        }
        else if (identity)
        {
            LaneLoop.Apply(new NoDataStep(new((float)noData!.Value)), values, values);
        }
        else
        {
            LaneLoop.Apply(new NoDataScaleStep(new((float)noData!.Value), new(s), new(o)), values, values);
        }
    }

    private readonly struct ScaleStep(Vector<float> scale, Vector<float> offset) : ILaneStep1
    {
        public Vector<float> Vector(Vector<float> x) => x * scale + offset;

        public float Scalar(float x) => DecodeScalar(x, 0, false, scale[0], offset[0]);
    }

    /// <summary>The nodata compare is on raw values, before scaling.</summary>
    private readonly struct NoDataStep(Vector<float> noData) : ILaneStep1
    {
        public Vector<float> Vector(Vector<float> x) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(x, noData), new Vector<float>(float.NaN), x);

        public float Scalar(float x) => DecodeScalar(x, noData[0], true, 1, 0);
    }

    private readonly struct NoDataScaleStep(Vector<float> noData, Vector<float> scale, Vector<float> offset) : ILaneStep1
    {
        public Vector<float> Vector(Vector<float> x) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(x, noData), new Vector<float>(float.NaN), x * scale + offset);

        public float Scalar(float x) => DecodeScalar(x, noData[0], true, scale[0], offset[0]);
    }

    /// <summary>Scalar meaning of <see cref="EncodeNonFinite"/>.</summary>
    public static float EncodeNonFiniteScalar(float value, float noData) => float.IsFinite(value) ? value : noData;

    /// <summary>In place: NaN and ±infinity become <paramref name="noData"/> (which may itself be NaN).</summary>
    public static void EncodeNonFinite(Span<float> values, float noData) => LaneLoop.Apply(new EncodeStep(new(noData)), values, values);

    /// <summary>A lane is finite iff x - x == 0: NaN - NaN and inf - inf are NaN, which compares unequal.</summary>
    private readonly struct EncodeStep(Vector<float> noData) : ILaneStep1
    {
        public Vector<float> Vector(Vector<float> x) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(x - x, Vector<float>.Zero), x, noData);

        public float Scalar(float x) => EncodeNonFiniteScalar(x, noData[0]);
    }

    /// <summary>Scalar meaning of <see cref="PropagateNaN"/>.</summary>
    public static float PropagateNaNScalar(float input, float result) => float.IsNaN(input) ? float.NaN : result;

    /// <summary>In place on <paramref name="result"/>: lanes where <paramref name="input"/> is NaN become NaN.</summary>
    public static void PropagateNaN(ReadOnlySpan<float> input, Span<float> result) => LaneLoop.Apply(default(PropagateStep), input, result, result);

    private readonly struct PropagateStep : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> input, Vector<float> result) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(input, input), result, new Vector<float>(float.NaN));

        public float Scalar(float input, float result) => PropagateNaNScalar(input, result);
    }

    /// <summary>Scalar meaning of <see cref="Finish"/>.</summary>
    public static float FinishScalar(float result, float a, float b) =>
        float.IsFinite(result) && !float.IsNaN(a) && !float.IsNaN(b) ? result : float.NaN;

    /// <summary>
    /// destination = result where it is finite and neither <paramref name="a"/> nor <paramref name="b"/> is NaN
    /// (nodata), else NaN: the last step of an expression, in one pass. An empty <paramref name="a"/> or
    /// <paramref name="b"/> is not checked (the result stands in for it: a finite result is not NaN).
    /// </summary>
    public static void Finish(ReadOnlySpan<float> result, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        if (result.Length != destination.Length || (a.Length != 0 && a.Length != destination.Length) || (b.Length != 0 && b.Length != destination.Length))
        {
            throw new ArgumentException("spans differ in length");
        }
        LaneLoop.Apply(default(FinishStep), result, a.Length == 0 ? result : a, b.Length == 0 ? result : b, destination);
    }

    /// <summary>Per lane: finite(r) is r - r == 0; "not NaN" is x == x.</summary>
    private readonly struct FinishStep : ILaneStep3
    {
        public Vector<float> Vector(Vector<float> r, Vector<float> a, Vector<float> b)
        {
            var valid = System.Numerics.Vector.Equals(r - r, Vector<float>.Zero) & System.Numerics.Vector.Equals(a, a) & System.Numerics.Vector.Equals(b, b);
            return System.Numerics.Vector.ConditionalSelect(valid, r, new Vector<float>(float.NaN));
        }

        public float Scalar(float r, float a, float b) => FinishScalar(r, a, b);
    }
}
