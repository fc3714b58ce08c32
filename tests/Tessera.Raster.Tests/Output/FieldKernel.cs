using Tessera.Raster.Blocks;

namespace Tessera.Raster.Tests.Output;

/// <summary>A smooth field per band with holes (NaN): a disc and a band of rows, so averages meet nodata at every
/// overview level. <paramref name="scale"/> sets the values' spread (0.5 steps around integers for integer outputs).</summary>
internal sealed class FieldKernel(float scale, int bands = 1) : IBlockKernel
{
    public void Process(RasterBlock block)
    {
        var w = block.Window;
        for (var b = 0; b < bands; b++)
        {
            var output = block.Output(b);
            for (var r = 0; r < w.Height; r++)
            {
                for (var c = 0; c < w.Width; c++)
                {
                    var (x, y) = (w.ColOffset + c, w.RowOffset + r);
                    var hole = (x - 700) * (x - 700) + (y - 500) * (y - 500) < 150 * 150 || y is >= 1003 and < 1011;
                    output[r * w.Width + c] = hole ? float.NaN
                        : scale * (MathF.Sin(x * 0.013f * (b + 1)) * MathF.Cos(y * 0.007f) + x * 1e-4f + b);
                }
            }
        }
    }
}
