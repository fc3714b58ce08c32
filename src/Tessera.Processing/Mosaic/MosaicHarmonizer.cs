using Tessera.Processing.Statistics;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Mosaic;

/// <summary>
/// Radiometric harmonisation of a mosaic's inputs: the first input is the reference; each following input gets,
/// per band, the gain and offset that give it, over its overlap with the inputs before it (already harmonised),
/// their mean and standard deviation (the reduced major axis: unlike least squares it keeps an input's contrast
/// when two dates correlate weakly). Where several earlier inputs have data, the first of them counts (the one a
/// "first" mosaic shows).
/// One pass over the mosaic grid (in parallel) gathers the pair sums of every input with every earlier one; the fits are then
/// solved in order, exactly (sums of an affinely transformed band are affine in the original sums). An input that
/// overlaps no earlier one, or too little, is left as it is.
/// </summary>
public static class MosaicHarmonizer
{
    /// <summary>Fewer overlapping pixels than this in a band: no fit.</summary>
    public const int MinimumOverlap = 100;

    /// <param name="sources">Input i's band b at index i × bands + b, on <paramref name="grid"/>.</param>
    /// <returns>Per input, per band: harmonised = Gain × value + Offset.</returns>
    public static IReadOnlyList<IReadOnlyList<BandFit>> Fit(RasterGrid grid, IReadOnlyList<AlignedSource> sources, int inputs, int bands,
        CancellationToken cancellationToken = default)
    {
        // pairs[j][i][b]: x = input j's value, y = input i's value where i is the first earlier input with data;
        // gathered per window on all cores and added up in window order.
        PairedMoments[][][] NewPairs() => Enumerable.Range(0, inputs).Select(j => Enumerable.Range(0, j)
            .Select(_ => Enumerable.Range(0, bands).Select(_ => new PairedMoments()).ToArray()).ToArray()).ToArray();
        var partials = inputs < 2 ? [] : WindowScan.Map(grid, sources, (window, values) =>
        {
            var pairs = NewPairs();
            var count = (int)window.PixelCount;
            for (var b = 0; b < bands; b++)
            {
                for (var p = 0; p < count; p++)
                {
                    var first = -1;
                    for (var j = 0; j < inputs; j++)
                    {
                        var v = values[j * bands + b][p];
                        if (float.IsNaN(v))
                        {
                            continue;
                        }
                        if (first < 0)
                        {
                            first = j;
                        }
                        else
                        {
                            pairs[j][first][b].Add(v, values[first * bands + b][p]);
                        }
                    }
                }
            }
            return pairs;
        }, cancellationToken);
        PairedMoments Pairs(int j, int i, int b) => PairedMoments.Sum(partials.Select(part => part[j][i][b]));
        var fits = new List<BandFit[]>();
        for (var j = 0; j < inputs; j++)
        {
            var fit = new BandFit[bands];
            for (var b = 0; b < bands; b++)
            {
                var total = new PairedMoments();
                for (var i = 0; i < j; i++)
                {
                    total.Add(Pairs(j, i, b).WithY(fits[i][b].Gain, fits[i][b].Offset));
                }
                fit[b] = j > 0 && total.Count >= MinimumOverlap && total.VarianceX > 0 ? BandFit.Matching(total) : BandFit.Identity with { Samples = total.Count };
            }
            fits.Add(fit);
        }
        return fits;
    }
}
