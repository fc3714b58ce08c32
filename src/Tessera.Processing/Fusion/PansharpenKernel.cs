using System.Numerics;
using System.Numerics.Tensors;
using Tessera.Raster.Blocks;
using Tessera.Raster.Kernels;

namespace Tessera.Processing.Fusion;

/// <summary>
/// Inputs: the pan, the n multispectral bands on the pan grid, and for HPF the low-passed pan.
/// Outputs: the n sharpened bands. Any input without data gives no data in every band (NaN carries through the
/// arithmetic). Vectorised (TensorPrimitives): the intensity and the per-pixel ratio or detail are computed once
/// for all bands.
/// </summary>
public sealed class PansharpenKernel(PansharpenMethod method, IReadOnlyList<double> weights, GramSchmidtFit? gramSchmidt = null) : IBlockKernel
{
    private readonly float[] _w = weights.Select(w => (float)(w / weights.Sum())).ToArray();
    private readonly InputGroup[] _groups = InputGroups.Layout(
        ("pan", 1, 1), ("ms", 1, weights.Count), ("low-passed pan", method == PansharpenMethod.Hpf ? 1 : 0, 1));
    private float[] _intensity = [];
    private float[] _shared = [];

    public void Process(RasterBlock block)
    {
        var n = _w.Length;
        var (panGroup, ms, lowPassed) = (_groups[0], _groups[1], _groups[2]);
        var count = block.PixelCount;
        if (_intensity.Length < count)
        {
            _intensity = new float[count];
            _shared = new float[count];
        }
        var intensity = _intensity.AsSpan(0, count);
        var shared = _shared.AsSpan(0, count);

        // I = Σ w_k M_k (weights normalised to sum 1); NaN in any band makes I NaN.
        TensorPrimitives.Multiply(block.Input(ms, 0, 0), _w[0], intensity);
        for (var k = 1; k < n; k++)
        {
            TensorPrimitives.MultiplyAdd(block.Input(ms, 0, k), _w[k], intensity, intensity);
        }

        var pan = block.Input(panGroup);
        switch (method)
        {
            case PansharpenMethod.Brovey or PansharpenMethod.WeightedBrovey:
                // F_k = M_k × (P / I); a zero intensity gives 0 (P × 0 keeps a missing pan missing).
                Ratio(pan, intensity, shared);
                for (var k = 0; k < n; k++)
                {
                    TensorPrimitives.Multiply(block.Input(ms, 0, k), shared, block.Output(k));
                }
                break;
            case PansharpenMethod.Ihs:
                // F_k = M_k + (P − I).
                TensorPrimitives.Subtract(pan, intensity, shared);
                for (var k = 0; k < n; k++)
                {
                    TensorPrimitives.Add(block.Input(ms, 0, k), shared, block.Output(k));
                }
                break;
            case PansharpenMethod.GramSchmidt:
                // F_k = M_k + g_k (a P + b − I).
                var fit = gramSchmidt ?? throw new InvalidOperationException("Gram-Schmidt needs its fitted statistics");
                TensorPrimitives.Multiply(pan, (float)fit.PanGain, shared);
                TensorPrimitives.Subtract(shared, intensity, shared);
                TensorPrimitives.Add(shared, (float)fit.PanOffset, shared);
                for (var k = 0; k < n; k++)
                {
                    TensorPrimitives.MultiplyAdd(shared, (float)fit.Gains[k], block.Input(ms, 0, k), block.Output(k));
                }
                break;
            default:
                // F_k = M_k + (P − P_low); I × 0 carries a missing band into every band.
                TensorPrimitives.Subtract(pan, block.Input(lowPassed), shared);
                TensorPrimitives.MultiplyAdd(intensity, 0f, shared, shared);
                for (var k = 0; k < n; k++)
                {
                    TensorPrimitives.Add(block.Input(ms, 0, k), shared, block.Output(k));
                }
                break;
        }
    }

    /// <summary>P / I, and P × 0 where I is 0.</summary>
    private static void Ratio(ReadOnlySpan<float> pan, ReadOnlySpan<float> intensity, Span<float> result) =>
        LaneLoop.Apply(default(RatioStep), pan, intensity, result);

    private readonly struct RatioStep : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> p, Vector<float> i) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(i, Vector<float>.Zero), p * Vector<float>.Zero, p / i);

        public float Scalar(float p, float i) => i == 0 ? p * 0 : p / i;
    }
}
