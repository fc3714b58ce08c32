using System.Numerics;
using System.Runtime.InteropServices;

namespace Tessera.Processing.Kernels;

/// <summary>
/// Comparisons (1 where true, 0 where false) and selection, over spans. A NaN operand (nodata) gives NaN,
/// so nodata flows through a comparison or a where() condition. Vector body plus scalar tail; the
/// <c>*Scalar</c> methods are the definitions.
/// </summary>
public static class SelectKernels
{
    public static float CompareScalar<TOp>(float a, float b) where TOp : IComparisonOperator =>
        float.IsNaN(a) || float.IsNaN(b) ? float.NaN : TOp.Scalar(a, b) ? 1f : 0f;

    public static void Compare<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
        where TOp : IComparisonOperator
    {
        CheckLengths(a.Length, b.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(destination);
            var nan = new Vector<float>(float.NaN);
            for (var v = 0; v < vd.Length; v++)
            {
                var x = va[v];
                var y = vb[v];
                var valid = Vector.Equals(x, x) & Vector.Equals(y, y);
                var truth = Vector.ConditionalSelect(TOp.Vector(x, y), Vector<float>.One, Vector<float>.Zero);
                vd[v] = Vector.ConditionalSelect(valid, truth, nan);
            }
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = CompareScalar<TOp>(a[i], b[i]);
        }
    }

    /// <summary>where(c, a, b): a where c is non-zero, b where c is zero, NaN where c is NaN.</summary>
    public static float WhereScalar(float condition, float a, float b) =>
        float.IsNaN(condition) ? float.NaN : condition != 0 ? a : b;

    public static void Where(ReadOnlySpan<float> condition, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        CheckLengths(condition.Length, a.Length, destination.Length);
        CheckLengths(b.Length, b.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<float>.Count)
        {
            var vc = MemoryMarshal.Cast<float, Vector<float>>(condition);
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(destination);
            var nan = new Vector<float>(float.NaN);
            for (var v = 0; v < vd.Length; v++)
            {
                var c = vc[v];
                var chosen = Vector.ConditionalSelect(Vector.Equals(c, Vector<float>.Zero), vb[v], va[v]);
                vd[v] = Vector.ConditionalSelect(Vector.Equals(c, c), chosen, nan);
            }
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = WhereScalar(condition[i], a[i], b[i]);
        }
    }

    private static void CheckLengths(int a, int b, int destination)
    {
        if (a != destination || b != destination)
        {
            throw new ArgumentException("spans differ in length");
        }
    }
}
