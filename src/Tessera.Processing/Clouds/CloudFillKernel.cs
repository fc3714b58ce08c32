using Tessera.Processing.Statistics;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Clouds;

/// <summary>
/// Inputs: the cloudy image's bands, then the clear image's, then the distance to the cloud mask. Cloud
/// pixels (distance ≤ dilate) take the fitted clear value; pixels within the feather width blend linearly from
/// it to the cloudy value; the rest keep the cloudy value. Counts what it did.
/// </summary>
public sealed class CloudFillKernel(int bands, int dilate, int feather, IReadOnlyList<BandFit> fits, CloudFillCounts counts) : IBlockKernel
{
    private readonly InputGroup[] _groups = InputGroups.Layout(("cloudy", 1, bands), ("clear", 1, bands), ("distance", 1, 1));

    public void Process(RasterBlock block)
    {
        var (cloudyImage, clearImage) = (_groups[0], _groups[1]);
        var distance = block.Input(_groups[2]);
        long cloud = 0, replaced = 0, left = 0;
        for (var p = 0; p < distance.Length; p++)
        {
            if (distance[p] <= dilate)
            {
                cloud++;
                var ok = true;
                for (var b = 0; b < bands; b++)
                {
                    ok &= !float.IsNaN(block.Input(clearImage, 0, b)[p]);
                }
                if (ok)
                {
                    replaced++;
                }
                else
                {
                    left++;
                }
            }
        }
        for (var b = 0; b < bands; b++)
        {
            var cloudy = block.Input(cloudyImage, 0, b);
            var clear = block.Input(clearImage, 0, b);
            var output = block.Output(b);
            var (gain, offset) = ((float)fits[b].Gain, (float)fits[b].Offset);
            for (var p = 0; p < output.Length; p++)
            {
                var d = distance[p];
                if (d > dilate + feather || float.IsNaN(clear[p]))
                {
                    output[p] = cloudy[p]; // clear sky, or nothing to replace with: as it was
                    continue;
                }
                var fill = gain * clear[p] + offset;
                if (d <= dilate || float.IsNaN(cloudy[p]))
                {
                    output[p] = fill;
                    continue;
                }
                var w = (d - dilate) / (feather + 1f); // 0 at the mask, towards 1 at the feather's end
                output[p] = w * cloudy[p] + (1 - w) * fill;
            }
        }
        counts.Add(distance.Length, cloud, replaced, left);
    }
}

/// <summary>Totals of <see cref="CloudFillKernel"/> across threads.</summary>
public sealed class CloudFillCounts
{
    private long _pixels, _cloud, _replaced, _left;

    public void Add(long pixels, long cloud, long replaced, long left)
    {
        Interlocked.Add(ref _pixels, pixels);
        Interlocked.Add(ref _cloud, cloud);
        Interlocked.Add(ref _replaced, replaced);
        Interlocked.Add(ref _left, left);
    }

    public (long Pixels, long Cloud, long Replaced, long Left) Totals => (_pixels, _cloud, _replaced, _left);
}
