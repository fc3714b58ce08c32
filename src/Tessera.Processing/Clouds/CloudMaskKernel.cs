using Tessera.Raster.Blocks;

namespace Tessera.Processing.Clouds;

/// <summary>Input 0 (a mask band on the output grid) → output 0: 1 where it means cloud, 0 elsewhere.</summary>
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
