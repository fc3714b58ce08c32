using Tessera.Processing.Stacking;
using Tessera.Processing.Statistics;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Fusion;

/// <summary>
/// Runs a <see cref="PansharpenRequest"/> on the pan's grid: the multispectral bands are aligned to it by
/// georeference (the Landsat pan grid, offset half a pixel from the multispectral one, is handled as any
/// other), then each block is fused with the chosen method.
/// </summary>
public static class Pansharpener
{
    public static void Run(PansharpenRequest request, IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var pan = BandStacker.Expand([request.Pan]).Select(b => b with { Scale = 1, Offset = 0 }).ToList();
        if (pan.Count != 1)
        {
            throw new RasterArgumentException($"{request.Pan}: the pan is one band (FILE@N); it has {pan.Count}");
        }
        var ms = BandStacker.Expand(request.Multispectral).Select(b => b with { Scale = 1, Offset = 0 }).ToList();
        if (ms.Count == 0)
        {
            throw new RasterArgumentException("no multispectral bands");
        }
        var weights = request.Weights ?? Enumerable.Repeat(1.0, ms.Count).ToList();
        if (weights.Count != ms.Count || weights.Any(w => !(w >= 0)) || weights.Sum() <= 0)
        {
            throw new RasterArgumentException($"give {ms.Count} non-negative weights (one per multispectral band), not all zero");
        }
        RasterGrid grid;
        using (var ds = RasterDataset.Open(pan[0].Path))
        {
            grid = ds.Grid;
        }
        RasterGrid msGrid;
        var infos = ms.Select(b =>
        {
            using var ds = RasterDataset.Open(b.Path);
            return ds.Band(b.Band);
        }).ToList();
        using (var ds = RasterDataset.Open(ms[0].Path))
        {
            msGrid = ds.Grid;
        }
        var sources = new List<AlignedSource> { GridAligner.Align(pan[0], grid, Resampling.Nearest) };
        // Same CRS: read at their own resolution and interpolated block by block in memory (nearest, bilinear) or
        // resampled by GDAL's reads (cubic, average); another CRS: warped.
        sources.AddRange(ms.Select(b => GridAligner.Align(b, grid, request.Resampling, AlignmentMethod.Interpolate)));
        if (request.Method == PansharpenMethod.Hpf)
        {
            // The pan's low frequencies: averaged onto the multispectral grid (GDAL's resampled reads in the same CRS),
            // then interpolated back onto its own.
            var averaged = GridAligner.Align(pan[0], msGrid, Resampling.Average, AlignmentMethod.Resample);
            sources.Add(GridAligner.Align(new BandSource("pan (low-passed)", averaged.OpenPath, averaged.Band, NoData: averaged.NoData, Scale: 1, Offset: 0),
                grid, Resampling.Bilinear, AlignmentMethod.Interpolate));
        }
        var type = request.OutputType ?? BandStacker.CommonType(infos.Select(i => i.DataType));
        var noData = infos.Select(i => i.NoData).Distinct().ToList() is [{ } only] ? only : type.DefaultNoData();
        var descriptions = ms.Select(BandStacker.NameOf).ToList();
        using var output = RasterOutput.Begin(request.OutputPath, request.Output ?? new OutputOptions(), grid, type, descriptions, noData);
        var gramSchmidt = request.Method == PansharpenMethod.GramSchmidt
            ? FitGramSchmidt(pan[0], grid, ms, msGrid, weights, cancellationToken)
            : null;
        var job = new BlockJob(grid, sources, ms.Count, () => new PansharpenKernel(request.Method, weights, gramSchmidt), noData, Threads: request.Threads);
        BlockEngine.Run(job, output, progress, cancellationToken);
        output.Commit(progress, cancellationToken);
    }

    /// <summary>
    /// Gram-Schmidt's statistics: band and intensity moments on the multispectral grid (where the intensity is
    /// simulated), the pan's mean and spread on its own grid.
    /// </summary>
    private static GramSchmidtFit FitGramSchmidt(BandSource pan, RasterGrid panGrid, IReadOnlyList<BandSource> ms, RasterGrid msGrid,
        IReadOnlyList<double> weights, CancellationToken cancellationToken)
    {
        var w = weights.Select(x => (float)(x / weights.Sum())).ToArray();
        // Per window partial sums on all cores, added up in window order (the same result whatever the threads).
        var partials = WindowScan.Map(msGrid, ms.Select(b => GridAligner.Align(b, msGrid, Resampling.Nearest)).ToList(), (window, values) =>
        {
            var moments = w.Select(_ => new PairedMoments()).ToArray();
            for (var p = 0; p < window.PixelCount; p++)
            {
                var intensity = 0f;
                for (var k = 0; k < w.Length; k++)
                {
                    intensity += w[k] * values[k][p];
                }
                for (var k = 0; k < w.Length; k++)
                {
                    moments[k].Add(intensity, values[k][p]);
                }
            }
            return moments;
        }, cancellationToken);
        var bands = Enumerable.Range(0, w.Length).Select(k => PairedMoments.Sum(partials.Select(m => m[k]))).ToArray();
        var panMoments = PairedMoments.Sum(WindowScan.Map(panGrid, [GridAligner.Align(pan, panGrid, Resampling.Nearest)], (window, values) =>
        {
            var moments = new PairedMoments();
            var p = values[0];
            for (var i = 0; i < window.PixelCount; i++)
            {
                moments.Add(p[i], p[i]);
            }
            return moments;
        }, cancellationToken));
        var i0 = bands[0];
        if (i0.Count < 2 || i0.VarianceX <= 0 || panMoments.Count < 2 || panMoments.VarianceX <= 0)
        {
            throw new RasterArgumentException("gram-schmidt needs pan and multispectral bands that vary over the image");
        }
        var panGain = Math.Sqrt(i0.VarianceX / panMoments.VarianceX);
        return new GramSchmidtFit(bands.Select(b => b.Covariance / b.VarianceX).ToList(), panGain, i0.MeanX - panGain * panMoments.MeanX);
    }
}
