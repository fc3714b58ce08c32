using Tessera.Raster.Blocks;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>The progress of one step of a longer write, its stage named ("time 2 of 5: compute").</summary>
internal sealed class StageProgress(IProgress<RasterProgress> progress, string name) : IProgress<RasterProgress>
{
    public void Report(RasterProgress value) => progress.Report(value with { Stage = $"{name}: {value.Stage}" });
}
