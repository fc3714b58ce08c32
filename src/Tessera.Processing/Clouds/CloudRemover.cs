using Tessera.Processing.Stacking;
using Tessera.Processing.Statistics;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Analysis;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Clouds;

/// <summary>
/// Runs a <see cref="CloudRemovalRequest"/> on the cloudy image's grid: decodes the mask (aligned with nearest
/// neighbour), measures every pixel's distance to it (streamed, bounded memory), fits each band of the clear
/// image to the cloudy one over pixels clear in both and away from the mask, then writes the cloudy image with
/// cloud pixels replaced by the fitted clear values and a feathered transition around them.
/// </summary>
public static class CloudRemover
{
    public static CloudRemovalReport Run(CloudRemovalRequest request, IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (request.Dilate < 0 || request.Feather < 0)
        {
            throw new RasterArgumentException("dilation and feather widths cannot be negative");
        }
        var cloudy = Raw(BandStacker.Expand([request.Cloudy]));
        var clear = Raw(BandStacker.Expand([request.Clear]));
        if (cloudy.Count != clear.Count)
        {
            throw new RasterArgumentException($"the cloudy image has {cloudy.Count} band(s) and the clear one {clear.Count}: they must match");
        }
        var mask = Raw(BandStacker.Expand([request.Mask]));
        if (mask.Count != 1)
        {
            throw new RasterArgumentException($"{request.Mask}: the mask is one band (FILE@N); it has {mask.Count}");
        }
        RasterGrid grid;
        using (var ds = RasterDataset.Open(cloudy[0].Path))
        {
            grid = ds.Grid;
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(request.OutputPath))!;
        if (!Directory.Exists(folder))
        {
            throw new RasterIOException(request.OutputPath, $"{request.OutputPath}: cannot write: folder {folder} does not exist");
        }
        var stem = Path.Combine(folder, $".{Path.GetFileName(request.OutputPath)}.{Guid.NewGuid():N}");
        var maskPath = stem + ".mask.tif";
        var distancePath = stem + ".distance.tif";
        try
        {
            // 1. The mask on the cloudy grid: 1 = cloud.
            using (var maskOut = RasterDataset.Create(maskPath, "GTiff", grid, 1, RasterDataType.Byte, ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512"]))
            {
                var job = new BlockJob(grid, [GridAligner.Align(mask[0], grid, Resampling.Nearest)], 1, () => new CloudMaskKernel(request.MaskKind),
                    0, Threads: request.Threads);
                BlockEngine.Run(job, maskOut, null, cancellationToken);
                maskOut.Close();
            }
            // 2. Distance to it.
            MaskDistance.Compute(maskPath, distancePath, request.Dilate + request.Feather + 1, cancellationToken);
            var distance = new BandSource("distance", distancePath, 1, NoData: -1, Scale: 1, Offset: 0);
            var sources = cloudy.Concat(clear).Select(s => GridAligner.Align(s, grid, Resampling.Nearest))
                .Append(GridAligner.Align(distance, grid, Resampling.Nearest)).ToList();
            // 3. The fit of each clear band to the cloudy one, away from the mask.
            var fits = Fit(sources, grid, cloudy.Count, request.Dilate + request.Feather, cancellationToken);
            // 4. The filled image.
            var infos = cloudy.Select(b =>
            {
                using var ds = RasterDataset.Open(b.Path);
                return ds.Band(b.Band);
            }).ToList();
            var type = BandStacker.CommonType(infos.Select(i => i.DataType));
            var noData = infos.Select(i => i.NoData).Distinct().ToList() is [{ } only] ? only : type.DefaultNoData();
            var counts = new CloudFillCounts();
            using var output = RasterOutput.Begin(request.OutputPath, request.Output ?? new OutputOptions(), grid, type,
                infos.Select((i, n) => i.Description is { Length: > 0 } d ? d : $"band {n + 1}").ToList(), noData);
            var fill = new BlockJob(grid, sources, cloudy.Count, () => new CloudFillKernel(cloudy.Count, request.Dilate, request.Feather, fits, counts),
                noData, Threads: request.Threads);
            BlockEngine.Run(fill, output, progress, cancellationToken);
            output.Commit(progress, cancellationToken);
            var (pixels, cloud, replaced, left) = counts.Totals;
            return new CloudRemovalReport(pixels, cloud, replaced, left, fits);
        }
        finally
        {
            foreach (var path in new[] { maskPath, distancePath })
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
        }
    }

    /// <summary>Least squares cloudy = gain × clear + offset per band, over pixels valid in both and farther than
    /// <paramref name="away"/> from the mask; gain 1, offset 0 when there are fewer than 2 such pixels or no spread.</summary>
    private static IReadOnlyList<BandFit> Fit(IReadOnlyList<AlignedSource> sources, RasterGrid grid, int bands, int away, CancellationToken cancellationToken)
    {
        var partials = WindowScan.Map(grid, sources, (window, values) =>
        {
            var moments = Enumerable.Range(0, bands).Select(_ => new PairedMoments()).ToArray();
            var count = (int)window.PixelCount;
            var distance = values[2 * bands];
            for (var b = 0; b < bands; b++)
            {
                var (y, x) = (values[b], values[bands + b]);
                for (var p = 0; p < count; p++)
                {
                    if (distance[p] > away)
                    {
                        moments[b].Add(x[p], y[p]);
                    }
                }
            }
            return moments;
        }, cancellationToken);
        return Enumerable.Range(0, bands).Select(b => BandFit.Of(PairedMoments.Sum(partials.Select(m => m[b])))).ToList();
    }

    private static List<BandSource> Raw(IReadOnlyList<BandSource> bands) => bands.Select(b => b with { Scale = 1, Offset = 0 }).ToList();
}
