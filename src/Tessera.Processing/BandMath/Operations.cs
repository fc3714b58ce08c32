using System.Numerics.Tensors;
using Tessera.Processing.Kernels;
using Tessera.Raster.Kernels;

namespace Tessera.Processing.BandMath;

/// <summary>
/// What each <see cref="OpCode"/> does, on one value (the definition, also used to fold constants) and on
/// spans (the vectorised path: <see cref="ArithmeticSteps"/> for the four operations, TensorPrimitives for the other
/// arithmetic, <see cref="SelectKernels"/> for comparisons and where).
/// </summary>
public static class Operations
{
    public static int Arity(OpCode op) => op switch
    {
        OpCode.Square or OpCode.Negate or OpCode.Abs or OpCode.Sqrt or OpCode.Exp or OpCode.Log => 1,
        OpCode.Where or OpCode.Clamp => 3,
        _ => 2,
    };

    public static float Scalar(OpCode op, float a, float b = 0, float c = 0) => op switch
    {
        OpCode.Add => a + b,
        OpCode.Subtract => a - b,
        OpCode.Multiply => a * b,
        OpCode.Divide => a / b,
        OpCode.Power => MathF.Pow(a, b),
        OpCode.Square => a * a,
        OpCode.Negate => -a,
        OpCode.Abs => MathF.Abs(a),
        OpCode.Sqrt => MathF.Sqrt(a),
        OpCode.Exp => MathF.Exp(a),
        OpCode.Log => MathF.Log(a),
        OpCode.Min => MathF.Min(a, b),
        OpCode.Max => MathF.Max(a, b),
        OpCode.Less => SelectKernels.CompareScalar<LessOperator>(a, b),
        OpCode.LessOrEqual => SelectKernels.CompareScalar<LessOrEqualOperator>(a, b),
        OpCode.Greater => SelectKernels.CompareScalar<GreaterOperator>(a, b),
        OpCode.GreaterOrEqual => SelectKernels.CompareScalar<GreaterOrEqualOperator>(a, b),
        OpCode.Equal => SelectKernels.CompareScalar<EqualOperator>(a, b),
        OpCode.NotEqual => SelectKernels.CompareScalar<NotEqualOperator>(a, b),
        OpCode.Where => SelectKernels.WhereScalar(a, b, c),
        OpCode.Clamp => ClampKernel.ClampScalar(a, b, c),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static void Apply(OpCode op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> d)
    {
        switch (op)
        {
            case OpCode.Add: LaneLoop.Apply(default(ArithmeticSteps.Add), a, b, d); break;
            case OpCode.Subtract: LaneLoop.Apply(default(ArithmeticSteps.Subtract), a, b, d); break;
            case OpCode.Multiply: LaneLoop.Apply(default(ArithmeticSteps.Multiply), a, b, d); break;
            case OpCode.Divide: LaneLoop.Apply(default(ArithmeticSteps.Divide), a, b, d); break;
            case OpCode.Power: TensorPrimitives.Pow(a, b, d); break;
            case OpCode.Square: LaneLoop.Apply(default(ArithmeticSteps.Multiply), a, a, d); break;
            case OpCode.Negate: TensorPrimitives.Negate(a, d); break;
            case OpCode.Abs: TensorPrimitives.Abs(a, d); break;
            case OpCode.Sqrt: TensorPrimitives.Sqrt(a, d); break;
            case OpCode.Exp: TensorPrimitives.Exp(a, d); break;
            case OpCode.Log: TensorPrimitives.Log(a, d); break;
            case OpCode.Min: TensorPrimitives.Min(a, b, d); break;
            case OpCode.Max: TensorPrimitives.Max(a, b, d); break;
            case OpCode.Less: SelectKernels.Compare<LessOperator>(a, b, d); break;
            case OpCode.LessOrEqual: SelectKernels.Compare<LessOrEqualOperator>(a, b, d); break;
            case OpCode.Greater: SelectKernels.Compare<GreaterOperator>(a, b, d); break;
            case OpCode.GreaterOrEqual: SelectKernels.Compare<GreaterOrEqualOperator>(a, b, d); break;
            case OpCode.Equal: SelectKernels.Compare<EqualOperator>(a, b, d); break;
            case OpCode.NotEqual: SelectKernels.Compare<NotEqualOperator>(a, b, d); break;
            case OpCode.Where: SelectKernels.Where(a, b, c, d); break;
            case OpCode.Clamp: ClampKernel.Clamp(a, b, c, d); break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }
}
