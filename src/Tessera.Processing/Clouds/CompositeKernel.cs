using Tessera.Raster.Blocks;

namespace Tessera.Processing.Clouds;

/// <summary>
/// Inputs: the images (each <c>bands</c> bands), then their masks, in the same order. A pixel of an
/// image is clear when its value is valid in every band and its mask does not say cloud. Output band b: the
/// median of the clear values (mean of the two middle ones for an even count), or the value of the clearest
/// observation; no clear observation gives no data.
/// </summary>
public sealed class CompositeKernel(CompositeMethod method, CloudMask mask, int images, int bands) : IBlockKernel
{
    private readonly InputGroup[] _groups = InputGroups.Layout(("images", images, bands), ("masks", images, 1));
    private float[] _values = [];
    private bool[] _clear = [];

    public void Process(RasterBlock block)
    {
        if (_values.Length < images)
        {
            _values = new float[images];
            _clear = new bool[images];
        }
        var clear = _clear;
        var (imageGroup, maskGroup) = (_groups[0], _groups[1]);
        var n = block.PixelCount;
        for (var p = 0; p < n; p++)
        {
            var best = -1;
            var bestScore = float.PositiveInfinity;
            var clearCount = 0;
            for (var i = 0; i < images; i++)
            {
                var m = block.Input(maskGroup, i)[p];
                var ok = !mask.IsCloud(m);
                for (var b = 0; ok && b < bands; b++)
                {
                    ok = !float.IsNaN(block.Input(imageGroup, i, b)[p]);
                }
                clear[i] = ok;
                if (!ok)
                {
                    continue;
                }
                clearCount++;
                var score = float.IsNaN(m) ? 0 : m;
                if (score < bestScore)
                {
                    (best, bestScore) = (i, score);
                }
            }
            for (var b = 0; b < bands; b++)
            {
                var output = block.Output(b);
                if (clearCount == 0)
                {
                    output[p] = float.NaN;
                    continue;
                }
                if (method == CompositeMethod.Clearest)
                {
                    output[p] = block.Input(imageGroup, best, b)[p];
                    continue;
                }
                var k = 0;
                for (var i = 0; i < images; i++)
                {
                    if (clear[i])
                    {
                        _values[k++] = block.Input(imageGroup, i, b)[p];
                    }
                }
                var values = _values.AsSpan(0, k);
                values.Sort();
                output[p] = k % 2 == 1 ? values[k / 2] : (values[k / 2 - 1] + values[k / 2]) / 2;
            }
        }
    }
}
