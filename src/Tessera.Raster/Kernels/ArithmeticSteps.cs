using System.Numerics;

namespace Tessera.Raster.Kernels;

/// <summary>
/// The four operations of IEEE arithmetic as steps of <see cref="LaneLoop"/> (a division by zero gives an infinity or
/// NaN, as on one value): the vector body equals the scalar definition lane for lane. Small loops, compiled in a
/// fraction of the time the general ones of TensorPrimitives take, which a short command pays before its first block.
/// </summary>
public static class ArithmeticSteps
{
    public readonly struct Add : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> a, Vector<float> b) => a + b;

        public float Scalar(float a, float b) => a + b;
    }

    public readonly struct Subtract : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> a, Vector<float> b) => a - b;

        public float Scalar(float a, float b) => a - b;
    }

    public readonly struct Multiply : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> a, Vector<float> b) => a * b;

        public float Scalar(float a, float b) => a * b;
    }

    public readonly struct Divide : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> a, Vector<float> b) => a / b;

        public float Scalar(float a, float b) => a / b;
    }
}
