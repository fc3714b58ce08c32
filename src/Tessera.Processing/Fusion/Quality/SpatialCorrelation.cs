using Tessera.Processing.Statistics;
using Tessera.Raster;
using Tessera.Raster.Alignment;

namespace Tessera.Processing.Fusion.Quality;

/// <summary>
/// Spatial correlation (Zhou et al. 1998): per fused band, the correlation of its 3 x 3 Laplacian with the pan's,
/// over pixels whose whole neighbourhood has data. Read in windows with a one-pixel margin.
/// </summary>
public static class SpatialCorrelation
{
    public static IReadOnlyList<double> Measure(RasterGrid grid, AlignedSource pan, IReadOnlyList<AlignedSource> fused,
        CancellationToken cancellationToken = default)
    {
        const int side = 512;
        var moments = fused.Select(_ => new PairedMoments()).ToArray();
        using var reader = new AlignedReader();
        var p = new float[(side + 2) * (side + 2)];
        var f = new float[(side + 2) * (side + 2)];
        for (var row = 0; row < grid.Height; row += side)
        {
            for (var col = 0; col < grid.Width; col += side)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The window grown by one pixel on every side, within the grid.
                var c0 = Math.Max(0, col - 1);
                var r0 = Math.Max(0, row - 1);
                var read = new Window(c0, r0, Math.Min(grid.Width, col + side + 1) - c0, Math.Min(grid.Height, row + side + 1) - r0);
                reader.Read(pan, read, p);
                for (var k = 0; k < fused.Count; k++)
                {
                    reader.Read(fused[k], read, f);
                    // The pixels of this window with a whole neighbourhood read (the margin belongs to the neighbours).
                    for (var r = Math.Max(1, row - r0); r < Math.Min(read.Height - 1, row + side - r0); r++)
                    {
                        for (var c = Math.Max(1, col - c0); c < Math.Min(read.Width - 1, col + side - c0); c++)
                        {
                            moments[k].Add(Laplacian(p, read.Width, c, r), Laplacian(f, read.Width, c, r));
                        }
                    }
                }
            }
        }
        return moments.Select(m => m.Correlation).ToList();
    }

    /// <summary>8 × centre − the 8 neighbours; NaN when any of them has no data.</summary>
    private static float Laplacian(float[] v, int width, int c, int r)
    {
        var centre = r * width + c;
        var sum = 0f;
        for (var dr = -1; dr <= 1; dr++)
        {
            for (var dc = -1; dc <= 1; dc++)
            {
                sum += v[centre + dr * width + dc];
            }
        }
        return 9 * v[centre] - sum;
    }
}
