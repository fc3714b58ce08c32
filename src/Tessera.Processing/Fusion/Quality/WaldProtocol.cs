using Tessera.Processing.Stacking;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Fusion.Quality;

/// <summary>The degraded inputs of Wald's protocol, in a work folder.</summary>
/// <param name="Pan">The pan averaged onto the multispectral grid (Float32, NaN = no data).</param>
/// <param name="Multispectral">The multispectral bands averaged onto a grid <see cref="Ratio"/> times coarser, one file.</param>
/// <param name="ReferenceGrid">The multispectral grid: where a fusion of the degraded inputs lands and is compared.</param>
public sealed record DegradedInputs(string Pan, string Multispectral, RasterGrid ReferenceGrid, double Ratio);

/// <summary>
/// Wald's protocol (Wald et al. 1997): a fusion method is judged by fusing inputs degraded by the resolution
/// ratio and comparing the result with the original multispectral bands, which are what a perfect fusion of the
/// degraded inputs would give. Degradation here is GDAL's area-weighted average; the pan lands on the
/// multispectral grid, the multispectral bands on a grid with pixels <see cref="DegradedInputs.Ratio"/> times larger.
/// </summary>
public static class WaldProtocol
{
    /// <summary>Degrades, fuses with the request's method and compares; the request's output is not written.
    /// Also gives the resolution ratio used.</summary>
    public static (FusionComparison Result, double Ratio) Assess(PansharpenRequest request, string workFolder, CancellationToken cancellationToken = default)
    {
        var degraded = Degrade(request.Pan, request.Multispectral, workFolder, cancellationToken);
        var fused = Path.Combine(workFolder, "fused.tif");
        Pansharpener.Run(request with
        {
            Pan = degraded.Pan,
            Multispectral = [degraded.Multispectral],
            OutputPath = fused,
            Output = new OutputOptions(OutputFormats.GTiff),
            OutputType = RasterDataType.Float32,
        }, cancellationToken: cancellationToken);
        return (Compare(fused, request.Multispectral, degraded, cancellationToken), degraded.Ratio);
    }

    /// <summary>Writes the degraded pan and multispectral bands into <paramref name="workFolder"/>.</summary>
    public static DegradedInputs Degrade(string pan, IReadOnlyList<string> multispectral, string workFolder, CancellationToken cancellationToken = default)
    {
        var panBand = Raw(BandStacker.Expand([pan])).Single();
        var ms = Raw(BandStacker.Expand(multispectral));
        RasterGrid panGrid, msGrid;
        using (var ds = RasterDataset.Open(panBand.Path))
        {
            panGrid = ds.Grid;
        }
        using (var ds = RasterDataset.Open(ms[0].Path))
        {
            msGrid = ds.Grid;
        }
        var ratio = Math.Abs(msGrid.Transform.PixelWidth / panGrid.Transform.PixelWidth);
        if (!msGrid.Transform.IsNorthUp || !(ratio >= 1.5))
        {
            throw new RasterArgumentException(
                $"Wald's protocol needs north-up multispectral pixels at least 1.5 times the pan's; they are {ratio:0.##} times");
        }
        var t = msGrid.Transform;
        var coarse = msGrid with
        {
            Width = (int)Math.Floor(msGrid.Width / ratio),
            Height = (int)Math.Floor(msGrid.Height / ratio),
            Transform = t with { PixelWidth = t.PixelWidth * ratio, PixelHeight = t.PixelHeight * ratio },
        };
        if (coarse.Width < 8 || coarse.Height < 8)
        {
            throw new RasterArgumentException("the multispectral image is too small for Wald's protocol (under 8 x 8 pixels once degraded)");
        }
        Directory.CreateDirectory(workFolder);
        var degradedPan = Path.Combine(workFolder, "pan.tif");
        var degradedMs = Path.Combine(workFolder, "ms.tif");
        Write(degradedPan, msGrid, [GridAligner.Align(panBand, msGrid, Resampling.Average)], ["pan"], cancellationToken);
        Write(degradedMs, coarse, ms.Select(b => GridAligner.Align(b, coarse, Resampling.Average)).ToList(),
            ms.Select(BandStacker.NameOf).ToList(), cancellationToken);
        return new DegradedInputs(degradedPan, degradedMs, msGrid, ratio);
    }

    /// <summary>Compares a fusion of the degraded inputs (any tool's, on the multispectral grid) with the original bands.</summary>
    public static FusionComparison Compare(string fused, IReadOnlyList<string> multispectral, DegradedInputs degraded,
        CancellationToken cancellationToken = default)
    {
        var ms = Raw(BandStacker.Expand(multispectral));
        var result = Raw(BandStacker.Expand([fused]));
        if (result.Count != ms.Count)
        {
            throw new RasterArgumentException($"{fused}: {result.Count} bands, the multispectral image has {ms.Count}");
        }
        var grid = degraded.ReferenceGrid;
        return FusionMetrics.Compare(grid,
            result.Select(b => GridAligner.Align(b, grid, Resampling.Nearest)).ToList(),
            ms.Select(b => GridAligner.Align(b, grid, Resampling.Nearest)).ToList(),
            ms.Select(BandStacker.NameOf).ToList(), 1 / degraded.Ratio, cancellationToken);
    }

    private static void Write(string path, RasterGrid grid, IReadOnlyList<AlignedSource> bands, IReadOnlyList<string> names,
        CancellationToken cancellationToken)
    {
        using var output = RasterOutput.Begin(path, new OutputOptions(OutputFormats.GTiff), grid, RasterDataType.Float32, names, double.NaN);
        BlockEngine.Run(new BlockJob(grid, bands, bands.Count, () => new CopyKernel(false)), output, cancellationToken: cancellationToken);
        output.Commit(cancellationToken: cancellationToken);
    }

    private static List<BandSource> Raw(IEnumerable<BandSource> bands) => bands.Select(b => b with { Scale = 1, Offset = 0 }).ToList();
}
