using Tessera.Raster.Blocks;

namespace Tessera.Processing.Clouds;

/// <summary>The one input (a mask band on the output grid) → the one output: 1 where it means cloud, 0 elsewhere.</summary>
public sealed class CloudMaskKernel(CloudMask mask) : IBlockKernel
{
    public void Process(RasterBlock block)
    {
        var input = block.Input(0);
        var output = block.Output(0);
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = mask.IsCloud(input[i]) ? 1 : 0;
        }
    }
}
