using Tessera.Raster.Blocks;

namespace Tessera.Processing.Stacking;

/// <summary>
/// Output band i = input band i. With a mask (the last input: non-zero inside), pixels outside it become no data.
/// </summary>
public sealed class CopyKernel(bool masked) : IBlockKernel
{
    public void Process(RasterBlock block)
    {
        var bands = block.OutputCount;
        for (var b = 0; b < bands; b++)
        {
            block.Input(b).CopyTo(block.Output(b));
        }
        if (!masked)
        {
            return;
        }
        var mask = block.Input(bands);
        for (var b = 0; b < bands; b++)
        {
            var output = block.Output(b);
            for (var i = 0; i < output.Length; i++)
            {
                if (!(mask[i] != 0)) // zero or no data: outside
                {
                    output[i] = float.NaN;
                }
            }
        }
    }
}
