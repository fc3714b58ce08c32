using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tessera.Raster.Kernels;

/// <summary>An element-wise step on one span: a <see cref="Vector{T}"/> body and its scalar definition, which the
/// vector body must match lane for lane. A struct, so that <see cref="LaneLoop"/> is specialised and inlined for it.</summary>
public interface ILaneStep1
{
    Vector<float> Vector(Vector<float> x);

    float Scalar(float x);
}

/// <summary>An element-wise step on two spans (see <see cref="ILaneStep1"/>).</summary>
public interface ILaneStep2
{
    Vector<float> Vector(Vector<float> a, Vector<float> b);

    float Scalar(float a, float b);
}

/// <summary>An element-wise step on three spans (see <see cref="ILaneStep1"/>).</summary>
public interface ILaneStep3
{
    Vector<float> Vector(Vector<float> a, Vector<float> b, Vector<float> c);

    float Scalar(float a, float b, float c);
}

/// <summary>An element-wise step on four spans (see <see cref="ILaneStep1"/>).</summary>
public interface ILaneStep4
{
    Vector<float> Vector(Vector<float> a, Vector<float> b, Vector<float> c, Vector<float> d);

    float Scalar(float a, float b, float c, float d);
}

/// <summary>
/// The one loop every hand-written element-wise kernel goes through: whole vectors of
/// <see cref="Vector{T}.Count"/> lanes, then the scalar tail. Spans must have the destination's length; the
/// destination may be one of the sources (in place).
/// </summary>
public static class LaneLoop
{
    public static void Apply<T>(T step, ReadOnlySpan<float> x, Span<float> destination) where T : struct, ILaneStep1
    {
        Check(x.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<float>.Count)
        {
            var count = destination.Length / Vector<float>.Count;
            ref var vx = ref Lanes(x);
            ref var vd = ref Lanes(destination);
            for (var v = 0; v < count; v++)
            {
                Unsafe.Add(ref vd, v) = step.Vector(Unsafe.Add(ref vx, v));
            }
            i = count * Vector<float>.Count;
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = step.Scalar(x[i]);
        }
    }

    public static void Apply<T>(T step, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) where T : struct, ILaneStep2
    {
        Check(a.Length, destination.Length);
        Check(b.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<float>.Count)
        {
            var count = destination.Length / Vector<float>.Count;
            ref var va = ref Lanes(a);
            ref var vb = ref Lanes(b);
            ref var vd = ref Lanes(destination);
            for (var v = 0; v < count; v++)
            {
                Unsafe.Add(ref vd, v) = step.Vector(Unsafe.Add(ref va, v), Unsafe.Add(ref vb, v));
            }
            i = count * Vector<float>.Count;
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = step.Scalar(a[i], b[i]);
        }
    }

    public static void Apply<T>(T step, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> destination)
        where T : struct, ILaneStep3
    {
        Check(a.Length, destination.Length);
        Check(b.Length, destination.Length);
        Check(c.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<float>.Count)
        {
            var count = destination.Length / Vector<float>.Count;
            ref var va = ref Lanes(a);
            ref var vb = ref Lanes(b);
            ref var vc = ref Lanes(c);
            ref var vd = ref Lanes(destination);
            for (var v = 0; v < count; v++)
            {
                Unsafe.Add(ref vd, v) = step.Vector(Unsafe.Add(ref va, v), Unsafe.Add(ref vb, v), Unsafe.Add(ref vc, v));
            }
            i = count * Vector<float>.Count;
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = step.Scalar(a[i], b[i], c[i]);
        }
    }

    public static void Apply<T>(T step, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d,
        Span<float> destination) where T : struct, ILaneStep4
    {
        Check(a.Length, destination.Length);
        Check(b.Length, destination.Length);
        Check(c.Length, destination.Length);
        Check(d.Length, destination.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<float>.Count)
        {
            var count = destination.Length / Vector<float>.Count;
            ref var va = ref Lanes(a);
            ref var vb = ref Lanes(b);
            ref var vc = ref Lanes(c);
            ref var vd = ref Lanes(d);
            ref var vo = ref Lanes(destination);
            for (var v = 0; v < count; v++)
            {
                Unsafe.Add(ref vo, v) = step.Vector(Unsafe.Add(ref va, v), Unsafe.Add(ref vb, v), Unsafe.Add(ref vc, v), Unsafe.Add(ref vd, v));
            }
            i = count * Vector<float>.Count;
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = step.Scalar(a[i], b[i], c[i], d[i]);
        }
    }

    /// <summary>The span's first whole vector, without a bounds check per vector: every length was checked against
    /// the destination's on entry, and the loop stops at the destination's last whole vector.</summary>
    private static ref Vector<float> Lanes(ReadOnlySpan<float> span) =>
        ref Unsafe.As<float, Vector<float>>(ref MemoryMarshal.GetReference(span));

    private static ref Vector<float> Lanes(Span<float> span) =>
        ref Unsafe.As<float, Vector<float>>(ref MemoryMarshal.GetReference(span));

    private static void Check(int source, int destination)
    {
        if (source != destination)
        {
            throw new ArgumentException("spans differ in length");
        }
    }
}
