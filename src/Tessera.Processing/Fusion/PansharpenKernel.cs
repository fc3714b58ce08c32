using System.Numerics;
using System.Runtime.InteropServices;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Fusion;

/// <summary>
/// Inputs: 0 the pan, 1..n the multispectral bands on the pan grid, and for HPF n+1 the low-passed pan.
/// Outputs: the n sharpened bands. Any input without data gives no data in every band (NaN carries through the
/// arithmetic). Vectorised: the intensity and the per-pixel ratio or detail are computed once for all bands.
/// </summary>
public sealed class PansharpenKernel(PansharpenMethod method, IReadOnlyList<double> weights, GramSchmidtFit? gramSchmidt = null) : IBlockKernel
{
    private readonly float[] _w = weights.Select(w => (float)(w / weights.Sum())).ToArray();
    private float[] _intensity = [];
    private float[] _shared = [];

    public void Process(RasterBlock block)
    {
        var n = _w.Length;
        var count = block.PixelCount;
        if (_intensity.Length < count)
        {
            _intensity = new float[count];
            _shared = new float[count];
        }
        var intensity = _intensity.AsSpan(0, count);
        var shared = _shared.AsSpan(0, count);

        // I = Σ w_k M_k (weights normalised to sum 1); NaN in any band makes I NaN.
        Scale(block.Input(1), _w[0], intensity);
        for (var k = 1; k < n; k++)
        {
            AddScaled(block.Input(1 + k), _w[k], intensity);
        }

        var pan = block.Input(0);
        switch (method)
        {
            case PansharpenMethod.Brovey or PansharpenMethod.WeightedBrovey:
                // F_k = M_k × (P / I); a zero intensity gives 0 (P × 0 keeps a missing pan missing).
                Ratio(pan, intensity, shared);
                for (var k = 0; k < n; k++)
                {
                    Multiply(block.Input(1 + k), shared, block.Output(k));
                }
                break;
            case PansharpenMethod.Ihs:
                // F_k = M_k + (P − I).
                Difference(pan, intensity, shared);
                for (var k = 0; k < n; k++)
                {
                    Add(block.Input(1 + k), shared, block.Output(k));
                }
                break;
            case PansharpenMethod.GramSchmidt:
                // F_k = M_k + g_k (a P + b − I).
                var fit = gramSchmidt ?? throw new InvalidOperationException("Gram-Schmidt needs its fitted statistics");
                Scale(pan, (float)fit.PanGain, shared);
                AddScaled(intensity, -1, shared);
                Offset(shared, (float)fit.PanOffset);
                for (var k = 0; k < n; k++)
                {
                    MultiplyAdd(block.Input(1 + k), shared, (float)fit.Gains[k], block.Output(k));
                }
                break;
            default:
                // F_k = M_k + (P − P_low); I × 0 carries a missing band into every band.
                Difference(pan, block.Input(n + 1), shared);
                AddScaled(intensity, 0, shared);
                for (var k = 0; k < n; k++)
                {
                    Add(block.Input(1 + k), shared, block.Output(k));
                }
                break;
        }
    }

    private static void Scale(ReadOnlySpan<float> a, float w, Span<float> result)
    {
        var va = AsVectors(a);
        var vr = AsVectors(result);
        var vw = new Vector<float>(w);
        for (var i = 0; i < vr.Length; i++)
        {
            vr[i] = va[i] * vw;
        }
        for (var i = vr.Length * Vector<float>.Count; i < result.Length; i++)
        {
            result[i] = a[i] * w;
        }
    }

    private static void AddScaled(ReadOnlySpan<float> a, float w, Span<float> result)
    {
        var va = AsVectors(a);
        var vr = AsVectors(result);
        var vw = new Vector<float>(w);
        for (var i = 0; i < vr.Length; i++)
        {
            vr[i] += va[i] * vw;
        }
        for (var i = vr.Length * Vector<float>.Count; i < result.Length; i++)
        {
            result[i] += a[i] * w;
        }
    }

    private static void Offset(Span<float> values, float offset)
    {
        var vv = AsVectors(values);
        var vo = new Vector<float>(offset);
        for (var i = 0; i < vv.Length; i++)
        {
            vv[i] += vo;
        }
        for (var i = vv.Length * Vector<float>.Count; i < values.Length; i++)
        {
            values[i] += offset;
        }
    }

    /// <summary>result = a + w × b.</summary>
    private static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float w, Span<float> result)
    {
        var va = AsVectors(a);
        var vb = AsVectors(b);
        var vr = AsVectors(result);
        var vw = new Vector<float>(w);
        for (var i = 0; i < vr.Length; i++)
        {
            vr[i] = va[i] + vw * vb[i];
        }
        for (var i = vr.Length * Vector<float>.Count; i < result.Length; i++)
        {
            result[i] = a[i] + w * b[i];
        }
    }

    private static void Ratio(ReadOnlySpan<float> pan, ReadOnlySpan<float> intensity, Span<float> result)
    {
        var vp = AsVectors(pan);
        var vi = AsVectors(intensity);
        var vr = AsVectors(result);
        for (var i = 0; i < vr.Length; i++)
        {
            vr[i] = Vector.ConditionalSelect(Vector.Equals(vi[i], Vector<float>.Zero), vp[i] * Vector<float>.Zero, vp[i] / vi[i]);
        }
        for (var i = vr.Length * Vector<float>.Count; i < result.Length; i++)
        {
            result[i] = intensity[i] == 0 ? pan[i] * 0 : pan[i] / intensity[i];
        }
    }

    private static void Difference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result)
    {
        var va = AsVectors(a);
        var vb = AsVectors(b);
        var vr = AsVectors(result);
        for (var i = 0; i < vr.Length; i++)
        {
            vr[i] = va[i] - vb[i];
        }
        for (var i = vr.Length * Vector<float>.Count; i < result.Length; i++)
        {
            result[i] = a[i] - b[i];
        }
    }

    private static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result)
    {
        var va = AsVectors(a);
        var vb = AsVectors(b);
        var vr = AsVectors(result);
        for (var i = 0; i < vr.Length; i++)
        {
            vr[i] = va[i] * vb[i];
        }
        for (var i = vr.Length * Vector<float>.Count; i < result.Length; i++)
        {
            result[i] = a[i] * b[i];
        }
    }

    private static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result)
    {
        var va = AsVectors(a);
        var vb = AsVectors(b);
        var vr = AsVectors(result);
        for (var i = 0; i < vr.Length; i++)
        {
            vr[i] = va[i] + vb[i];
        }
        for (var i = vr.Length * Vector<float>.Count; i < result.Length; i++)
        {
            result[i] = a[i] + b[i];
        }
    }

    private static ReadOnlySpan<Vector<float>> AsVectors(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, Vector<float>>(values);

    private static Span<Vector<float>> AsVectors(Span<float> values) => MemoryMarshal.Cast<float, Vector<float>>(values);
}
