using System.Numerics;
using Tessera.Raster.Kernels;

namespace Tessera.Processing.Graphs.Cubes;

/// <summary>
/// The element-wise steps of cube expressions run as vectors (<see cref="LaneLoop"/>), each beside its scalar definition:
/// openEO's division (the other operations are <see cref="ArithmeticSteps"/>), and the running statistics over a dimension's values that leave nodata (NaN) out (an accumulator that is
/// NaN has seen no value yet).
/// </summary>
public static class CubeSteps
{
    /// <summary>Division; by zero it gives no value.</summary>
    public readonly struct Divide : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> a, Vector<float> b) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(b, Vector<float>.Zero), new Vector<float>(float.NaN), a / b);

        public float Scalar(float a, float b) => b == 0 ? float.NaN : a / b;
    }

    /// <summary>The running maximum: the value where the accumulator has none, the accumulator where the value is nodata.</summary>
    public readonly struct Max : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> acc, Vector<float> v) => Combine(acc, v, System.Numerics.Vector.Max(acc, v));

        public float Scalar(float acc, float v) => float.IsNaN(acc) ? v : float.IsNaN(v) ? acc : MathF.Max(acc, v);
    }

    public readonly struct Min : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> acc, Vector<float> v) => Combine(acc, v, System.Numerics.Vector.Min(acc, v));

        public float Scalar(float acc, float v) => float.IsNaN(acc) ? v : float.IsNaN(v) ? acc : MathF.Min(acc, v);
    }

    public readonly struct Sum : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> acc, Vector<float> v) => Combine(acc, v, acc + v);

        public float Scalar(float acc, float v) => float.IsNaN(acc) ? v : float.IsNaN(v) ? acc : acc + v;
    }

    /// <summary>The first valid value: the accumulator once it has one.</summary>
    public readonly struct First : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> acc, Vector<float> v) => System.Numerics.Vector.ConditionalSelect(IsValue(acc), acc, v);

        public float Scalar(float acc, float v) => float.IsNaN(acc) ? v : acc;
    }

    /// <summary>The last valid value: the value unless it is nodata.</summary>
    public readonly struct Last : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> acc, Vector<float> v) => System.Numerics.Vector.ConditionalSelect(IsValue(v), v, acc);

        public float Scalar(float acc, float v) => float.IsNaN(v) ? acc : v;
    }

    /// <summary>How many values are valid: the count plus one where the value is not nodata.</summary>
    public readonly struct Count : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> count, Vector<float> v) =>
            count + System.Numerics.Vector.ConditionalSelect(IsValue(v), Vector<float>.One, Vector<float>.Zero);

        public float Scalar(float count, float v) => float.IsNaN(v) ? count : count + 1;
    }

    /// <summary>A mean from a sum and a count (no value where the count is 0).</summary>
    public readonly struct Mean : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> sum, Vector<float> count) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(count, Vector<float>.Zero), new Vector<float>(float.NaN), sum / count);

        public float Scalar(float sum, float count) => count == 0 ? float.NaN : sum / count;
    }

    private static Vector<int> IsValue(Vector<float> x) => System.Numerics.Vector.Equals(x, x);

    /// <summary>Where both have a value, <paramref name="both"/>; where only one has, that one; where neither, no value.</summary>
    private static Vector<float> Combine(Vector<float> acc, Vector<float> v, Vector<float> both)
    {
        var accValid = IsValue(acc);
        var vValid = IsValue(v);
        return System.Numerics.Vector.ConditionalSelect(accValid, System.Numerics.Vector.ConditionalSelect(vValid, both, acc), v);
    }
}
