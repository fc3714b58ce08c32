using Tessera.Processing.Stacking;
using Tessera.Raster;
using Tessera.Raster.Alignment;

namespace Tessera.Processing.Fusion.Quality;

/// <summary>The quality report of a pan-sharpening whose product <see cref="PansharpenRequest.OutputPath"/> exists.</summary>
public static class FusionQuality
{
    /// <param name="workFolder">Where the degraded inputs and their fusion are written meanwhile (default: the temporary folder).</param>
    public static FusionQualityReport Report(PansharpenRequest request, CancellationToken cancellationToken = default, string? workFolder = null)
    {
        var work = Path.Combine(workFolder ?? Path.GetTempPath(), "tessera-quality-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (reduced, ratio) = WaldProtocol.Assess(request, work, cancellationToken);
            var pan = BandStacker.Expand([request.Pan]).Single() with { Scale = 1, Offset = 0 };
            RasterGrid grid;
            using (var ds = RasterDataset.Open(request.OutputPath))
            {
                grid = ds.Grid;
            }
            var product = BandStacker.Expand([request.OutputPath]).Select(b => b with { Scale = 1, Offset = 0 })
                .Select(b => GridAligner.Align(b, grid, Resampling.Nearest)).ToList();
            var spatial = SpatialCorrelation.Measure(grid, GridAligner.Align(pan, grid, Resampling.Nearest), product, cancellationToken);
            return new FusionQualityReport(request.Method.Name(), ratio, reduced, spatial);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}
