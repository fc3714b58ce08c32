using Tessera.Raster.Blocks;

namespace Tessera.Processing.Stacking;

/// <summary>
/// Inputs: the bands to copy, then (when masked) the cutline mask, non-zero inside. Output band b = band b; with a
/// mask, pixels outside it become no data.
/// </summary>
public sealed class CopyKernel(bool masked) : IBlockKernel
{
    private InputGroup[]? _groups;

    public void Process(RasterBlock block)
    {
        var bands = block.OutputCount;
        _groups ??= InputGroups.Layout(("bands", 1, bands), ("cutline", masked ? 1 : 0, 1));
        var (source, cutline) = (_groups[0], _groups[1]);
        for (var b = 0; b < bands; b++)
        {
            block.Input(source, 0, b).CopyTo(block.Output(b));
        }
        if (!masked)
        {
            return;
        }
        var mask = block.Input(cutline);
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
