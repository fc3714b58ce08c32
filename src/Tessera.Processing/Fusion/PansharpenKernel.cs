using Tessera.Raster.Blocks;

namespace Tessera.Processing.Fusion;

/// <summary>
/// Inputs: 0 the pan, 1..n the multispectral bands on the pan grid, and for HPF n+1 the low-passed pan.
/// Outputs: the n sharpened bands. Any input without data gives no data.
/// </summary>
public sealed class PansharpenKernel(PansharpenMethod method, IReadOnlyList<double> weights) : IBlockKernel
{
    private readonly float[] _w = weights.Select(w => (float)w).ToArray();
    private readonly float _wSum = (float)weights.Sum();

    public void Process(RasterBlock block)
    {
        var n = _w.Length;
        var pan = block.Input(0);
        var low = method == PansharpenMethod.Hpf ? block.Input(n + 1) : default;
        for (var p = 0; p < pan.Length; p++)
        {
            var valid = !float.IsNaN(pan[p]) && (method != PansharpenMethod.Hpf || !float.IsNaN(low[p]));
            var intensity = 0f;
            for (var k = 0; k < n; k++)
            {
                var m = block.Input(1 + k)[p];
                valid &= !float.IsNaN(m);
                intensity += _w[k] * m;
            }
            intensity /= _wSum;
            for (var k = 0; k < n; k++)
            {
                var m = block.Input(1 + k)[p];
                block.Output(k)[p] = !valid ? float.NaN : method switch
                {
                    PansharpenMethod.Brovey or PansharpenMethod.WeightedBrovey => intensity == 0 ? 0 : m * pan[p] / intensity,
                    PansharpenMethod.Ihs => m + (pan[p] - intensity),
                    _ => m + (pan[p] - low[p]),
                };
            }
        }
    }
}
