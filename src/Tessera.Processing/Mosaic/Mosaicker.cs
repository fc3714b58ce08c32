using Tessera.Processing.Statistics;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Analysis;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Mosaic;

/// <summary>
/// Runs a <see cref="MosaicRequest"/>: plans the grid (refusing oversized mosaics with the estimate), puts
/// every band of every input on it (read as is when on the grid's lattice, else warped by GDAL), harmonises
/// their radiometry when asked, combines them block by block with the chosen method, and writes the result.
/// Memory is bounded by the block size and the number of inputs, whatever the mosaic's size.
/// </summary>
public static class Mosaicker
{
    public static MosaicResult Run(MosaicRequest request, IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = MosaicPlan.Make(request);
        var sources = new List<AlignedSource>();
        foreach (var input in request.Inputs)
        {
            for (var b = 1; b <= plan.Bands; b++)
            {
                // Raw values: a mosaic keeps the data as stored.
                sources.Add(GridAligner.Align(new BandSource(input, input, b, Scale: 1, Offset: 0), plan.Grid, request.Resampling));
            }
        }
        IReadOnlyList<IReadOnlyList<BandFit>>? fits = null;
        if (request.Harmonize)
        {
            fits = MosaicHarmonizer.Fit(plan.Grid, sources, request.Inputs.Count, plan.Bands, cancellationToken);
            // Applied as each source's scale and offset (they were 1 and 0: raw values).
            for (var i = 0; i < sources.Count; i++)
            {
                var fit = fits[i / plan.Bands][i % plan.Bands];
                sources[i] = sources[i] with { Scale = fit.Gain, Offset = fit.Offset };
            }
        }
        var edges = new List<EdgeDistance>();
        try
        {
            if (request.Method == MosaicMethod.Feather)
            {
                // One weight per input: its distance to its own edges, on the mosaic's grid (after the values).
                foreach (var input in request.Inputs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var edge = EdgeDistance.Compute(input, request.FeatherWidth);
                    edges.Add(edge);
                    sources.Add(GridAligner.Align(new BandSource($"{input} (edge distance)", edge.Path, 1, NoData: -1, Scale: 1, Offset: 0),
                        plan.Grid, Resampling.Bilinear, AlignmentMethod.Resample));
                }
            }
            var descriptions = Descriptions(request.Inputs[0], plan.Bands);
            using var output = RasterOutput.Begin(request.OutputPath, request.Output ?? new OutputOptions(), plan.Grid, plan.Type, descriptions, plan.NoData);
            var job = new BlockJob(plan.Grid, sources, plan.Bands, () => new MosaicKernel(request.Method, request.Inputs.Count, plan.Bands),
                plan.NoData, Threads: request.Threads);
            BlockEngine.Run(job, output, progress, cancellationToken);
            output.Commit(progress, cancellationToken);
            return new MosaicResult(plan, fits);
        }
        finally
        {
            foreach (var edge in edges)
            {
                edge.Dispose();
            }
        }
    }

    private static List<string> Descriptions(string first, int bands)
    {
        using var ds = RasterDataset.Open(first);
        return Enumerable.Range(1, bands).Select(b => ds.Band(b).Description is { Length: > 0 } d ? d : $"band {b}").ToList();
    }
}
