using System.Numerics;
using Tessera.Raster.Kernels;

namespace Tessera.Processing.Kernels;

/// <summary>clamp(x, low, high) in one pass: x held to [low, high], NaN where any operand is NaN (nodata flows
/// through). A step of <see cref="LaneLoop"/>; <see cref="ClampScalar"/> is the definition.</summary>
public static class ClampKernel
{
    public static float ClampScalar(float x, float low, float high) => MathF.Min(MathF.Max(x, low), high);

    public static void Clamp(ReadOnlySpan<float> x, ReadOnlySpan<float> low, ReadOnlySpan<float> high, Span<float> destination) =>
        LaneLoop.Apply(default(ClampStep), x, low, high, destination);

    private readonly struct ClampStep : ILaneStep3
    {
        public Vector<float> Vector(Vector<float> x, Vector<float> low, Vector<float> high)
        {
            // The machine's min and max (no NaN rules), then NaN wherever an operand is NaN, as MathF's are.
            var held = System.Numerics.Vector.MinNative(System.Numerics.Vector.MaxNative(x, low), high);
            var valid = System.Numerics.Vector.Equals(x, x) & System.Numerics.Vector.Equals(low, low) & System.Numerics.Vector.Equals(high, high);
            return System.Numerics.Vector.ConditionalSelect(valid, held, new Vector<float>(float.NaN));
        }

        public float Scalar(float x, float low, float high) => ClampScalar(x, low, high);
    }
}
