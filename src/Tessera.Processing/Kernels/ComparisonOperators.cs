using System.Numerics;

namespace Tessera.Processing.Kernels;

/// <summary>A comparison as a scalar predicate and as a lane mask (all bits set where it holds).</summary>
public interface IComparisonOperator
{
    static abstract bool Scalar(float a, float b);

    static abstract Vector<int> Vector(Vector<float> a, Vector<float> b);
}

public readonly struct LessOperator : IComparisonOperator
{
    public static bool Scalar(float a, float b) => a < b;

    public static Vector<int> Vector(Vector<float> a, Vector<float> b) => System.Numerics.Vector.LessThan(a, b);
}

public readonly struct LessOrEqualOperator : IComparisonOperator
{
    public static bool Scalar(float a, float b) => a <= b;

    public static Vector<int> Vector(Vector<float> a, Vector<float> b) => System.Numerics.Vector.LessThanOrEqual(a, b);
}

public readonly struct GreaterOperator : IComparisonOperator
{
    public static bool Scalar(float a, float b) => a > b;

    public static Vector<int> Vector(Vector<float> a, Vector<float> b) => System.Numerics.Vector.GreaterThan(a, b);
}

public readonly struct GreaterOrEqualOperator : IComparisonOperator
{
    public static bool Scalar(float a, float b) => a >= b;

    public static Vector<int> Vector(Vector<float> a, Vector<float> b) => System.Numerics.Vector.GreaterThanOrEqual(a, b);
}

public readonly struct EqualOperator : IComparisonOperator
{
    public static bool Scalar(float a, float b) => a == b;

    public static Vector<int> Vector(Vector<float> a, Vector<float> b) => System.Numerics.Vector.Equals(a, b);
}

public readonly struct NotEqualOperator : IComparisonOperator
{
    public static bool Scalar(float a, float b) => a != b;

    // NaN lanes are masked out by the caller, so "not equal" is the complement of "equal" there.
    public static Vector<int> Vector(Vector<float> a, Vector<float> b) => ~System.Numerics.Vector.Equals(a, b);
}
