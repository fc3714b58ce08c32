using System.Numerics;
using Tessera.Raster.Kernels;

namespace Tessera.Processing.Kernels;

/// <summary>
/// Comparisons (1 where true, 0 where false) and selection, over spans. A NaN operand (nodata) gives NaN,
/// so nodata flows through a comparison or a where() condition. Steps of <see cref="LaneLoop"/>; the
/// <c>*Scalar</c> methods are the definitions.
/// </summary>
public static class SelectKernels
{
    public static float CompareScalar<TOp>(float a, float b) where TOp : IComparisonOperator =>
        float.IsNaN(a) || float.IsNaN(b) ? float.NaN : TOp.Scalar(a, b) ? 1f : 0f;

    public static void Compare<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
        where TOp : IComparisonOperator => LaneLoop.Apply(default(CompareStep<TOp>), a, b, destination);

    private readonly struct CompareStep<TOp> : ILaneStep2 where TOp : IComparisonOperator
    {
        public Vector<float> Vector(Vector<float> x, Vector<float> y)
        {
            var valid = System.Numerics.Vector.Equals(x, x) & System.Numerics.Vector.Equals(y, y);
            var truth = System.Numerics.Vector.ConditionalSelect(TOp.Vector(x, y), Vector<float>.One, Vector<float>.Zero);
            return System.Numerics.Vector.ConditionalSelect(valid, truth, new Vector<float>(float.NaN));
        }

        public float Scalar(float a, float b) => CompareScalar<TOp>(a, b);
    }

    /// <summary>where(c, a, b): a where c is non-zero, b where c is zero, NaN where c is NaN.</summary>
    public static float WhereScalar(float condition, float a, float b) =>
        float.IsNaN(condition) ? float.NaN : condition != 0 ? a : b;

    public static void Where(ReadOnlySpan<float> condition, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) =>
        LaneLoop.Apply(default(WhereStep), condition, a, b, destination);

    private readonly struct WhereStep : ILaneStep3
    {
        public Vector<float> Vector(Vector<float> c, Vector<float> a, Vector<float> b)
        {
            var chosen = System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(c, Vector<float>.Zero), b, a);
            return System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(c, c), chosen, new Vector<float>(float.NaN));
        }

        public float Scalar(float c, float a, float b) => WhereScalar(c, a, b);
    }
}
