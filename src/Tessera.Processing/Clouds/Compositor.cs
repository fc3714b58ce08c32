using Tessera.Processing.Stacking;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Clouds;

/// <summary>
/// A multi-temporal composite: N images of one area (same bands; each a file or FILE@N) with a mask each →
/// per pixel the median (or the clearest) of the clear observations, on the first image's grid.
/// </summary>
public static class Compositor
{
    public static void Run(IReadOnlyList<string> images, IReadOnlyList<string> masks, CloudMask mask, CompositeMethod method, string outputPath,
        OutputOptions? options = null, IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default, int threads = 0)
    {
        if (images.Count == 0 || images.Count != masks.Count)
        {
            throw new RasterArgumentException($"give one mask per image: {images.Count} image(s), {masks.Count} mask(s)");
        }
        var bands = images.Select(i => BandStacker.Expand([i]).Select(b => b with { Scale = 1, Offset = 0 }).ToList()).ToList();
        var count = bands[0].Count;
        foreach (var (image, i) in images.Select((image, i) => (image, i)).Where(x => bands[x.i].Count != count))
        {
            throw new RasterArgumentException($"{image}: has {bands[i].Count} band(s), {images[0]} has {count}: composite images need the same bands");
        }
        var maskBands = masks.Select(m =>
        {
            var expanded = BandStacker.Expand([m]);
            return expanded.Count == 1 ? expanded[0] with { Scale = 1, Offset = 0 } : throw new RasterArgumentException($"{m}: a mask is one band (FILE@N); it has {expanded.Count}");
        }).ToList();
        RasterGrid grid;
        RasterBandInfo first;
        using (var ds = RasterDataset.Open(bands[0][0].Path))
        {
            grid = ds.Grid;
            first = ds.Band(bands[0][0].Band);
        }
        var sources = bands.SelectMany(b => b).Select(s => GridAligner.Align(s, grid, Resampling.Nearest))
            .Concat(maskBands.Select(m => GridAligner.Align(m, grid, Resampling.Nearest))).ToList();
        var type = first.DataType;
        var noData = first.NoData ?? type.DefaultNoData();
        var descriptions = Enumerable.Range(1, count).Select(b => $"{method.ToString().ToLowerInvariant()} of {images.Count} (band {b})").ToList();
        using var output = RasterOutput.Begin(outputPath, options ?? new OutputOptions(), grid, type, descriptions, noData);
        var job = new BlockJob(grid, sources, count, () => new CompositeKernel(method, mask, images.Count, count), noData, Threads: threads);
        BlockEngine.Run(job, output, progress, cancellationToken);
        output.Commit(progress, cancellationToken);
    }
}
