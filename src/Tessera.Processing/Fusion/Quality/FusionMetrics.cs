using Tessera.Processing.Statistics;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Fusion.Quality;

/// <summary>
/// Compares fused bands with reference bands on one grid (see <see cref="FusionComparison"/>): only pixels with
/// data in every band count; Q is averaged over the 32 x 32 blocks that have data everywhere.
/// </summary>
public static class FusionMetrics
{
    private const int QBlock = 32;

    /// <summary>Side of the windows read (a multiple of <see cref="QBlock"/>).</summary>
    private const int Side = 512;

    /// <param name="resolutionRatio">h/l: the pan's pixel size over the multispectral one (0.5 for Landsat 8).</param>
    public static FusionComparison Compare(RasterGrid grid, IReadOnlyList<AlignedSource> fused, IReadOnlyList<AlignedSource> reference,
        IReadOnlyList<string> names, double resolutionRatio, CancellationToken cancellationToken = default)
    {
        var n = fused.Count;
        if (n == 0 || reference.Count != n || names.Count != n)
        {
            throw new RasterArgumentException($"compare {n} fused bands with as many reference bands ({reference.Count} given)");
        }
        var moments = Enumerable.Range(0, n).Select(_ => new PairedMoments()).ToArray();
        var qSums = new double[n];
        var qBlocks = 0L;
        double angleSum = 0;
        long angles = 0, pixels = 0;
        var valid = new bool[Side * Side];
        WindowScan.Run(grid, [.. fused, .. reference], (window, values) =>
        {
            var count = (int)window.PixelCount;
            for (var p = 0; p < count; p++)
            {
                var ok = true;
                for (var k = 0; k < 2 * n && ok; k++)
                {
                    ok = !float.IsNaN(values[k][p]);
                }
                valid[p] = ok;
                if (!ok)
                {
                    continue;
                }
                pixels++;
                double dot = 0, ff = 0, rr = 0;
                for (var k = 0; k < n; k++)
                {
                    var (f, r) = (values[k][p], values[n + k][p]);
                    moments[k].Add(r, f);
                    dot += (double)f * r;
                    ff += (double)f * f;
                    rr += (double)r * r;
                }
                if (ff > 0 && rr > 0)
                {
                    angleSum += Math.Acos(Math.Clamp(dot / Math.Sqrt(ff * rr), -1, 1));
                    angles++;
                }
            }
            for (var row = 0; row + QBlock <= window.Height; row += QBlock)
            {
                for (var col = 0; col + QBlock <= window.Width; col += QBlock)
                {
                    if (!AllValid(valid, window.Width, col, row))
                    {
                        continue;
                    }
                    var q = new double[n];
                    var usable = true;
                    for (var k = 0; k < n && usable; k++)
                    {
                        q[k] = UniversalQuality(values[k], values[n + k], window.Width, col, row);
                        usable = !double.IsNaN(q[k]);
                    }
                    if (usable)
                    {
                        for (var k = 0; k < n; k++)
                        {
                            qSums[k] += q[k];
                        }
                        qBlocks++;
                    }
                }
            }
        }, cancellationToken, Side);
        if (pixels == 0)
        {
            throw new RasterArgumentException("the fused and reference bands have no pixel with data in common");
        }
        var bands = Enumerable.Range(0, n).Select(k => new BandQuality(names[k],
            Math.Sqrt(moments[k].MeanSquaredDifference), moments[k].MeanY - moments[k].MeanX,
            qBlocks > 0 ? qSums[k] / qBlocks : double.NaN, moments[k].Correlation)).ToList();
        var relative = Enumerable.Range(0, n).Average(k => Math.Pow(bands[k].Rmse / moments[k].MeanX, 2));
        var ergas = 100 * resolutionRatio * Math.Sqrt(relative);
        var sam = angles > 0 ? angleSum / angles * 180 / Math.PI : 0;
        return new FusionComparison(ergas, sam, bands.Average(b => b.Q), pixels, bands);
    }

    private static bool AllValid(bool[] valid, int width, int col, int row)
    {
        for (var r = row; r < row + QBlock; r++)
        {
            if (Array.IndexOf(valid, false, r * width + col, QBlock) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Q = 4 σ_xy μ_x μ_y / ((σ_x² + σ_y²)(μ_x² + μ_y²)) over one block; NaN when undefined (flat and dark).</summary>
    private static double UniversalQuality(float[] x, float[] y, int width, int col, int row)
    {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (var r = row; r < row + QBlock; r++)
        {
            for (var c = col; c < col + QBlock; c++)
            {
                var (a, b) = ((double)x[r * width + c], (double)y[r * width + c]);
                sx += a;
                sy += b;
                sxx += a * a;
                syy += b * b;
                sxy += a * b;
            }
        }
        const int m = QBlock * QBlock;
        var (mx, my) = (sx / m, sy / m);
        // Sample (co)variances, as Wang and Bovik define them.
        var vx = (sxx - m * mx * mx) / (m - 1);
        var vy = (syy - m * my * my) / (m - 1);
        var cxy = (sxy - m * mx * my) / (m - 1);
        var denominator = (vx + vy) * (mx * mx + my * my);
        if (denominator <= 0)
        {
            return vx == 0 && vy == 0 && mx == my && mx != 0 ? 1 : double.NaN;
        }
        return 4 * cxy * mx * my / denominator;
    }
}
