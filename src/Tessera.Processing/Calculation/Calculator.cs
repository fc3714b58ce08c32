using Tessera.Processing.BandMath;
using Tessera.Processing.Inputs;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Calculation;

/// <summary>
/// Runs a <see cref="CalculationRequest"/>: checks the expression, resolves the bands, aligns the inputs on
/// the reference grid, streams the blocks through the compiled expression and publishes the output.
/// </summary>
public static class Calculator
{
    public static void Run(CalculationRequest request, IProgress<RasterProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var program = BandMathProgram.Compile(request.Expression, request.Inputs.Select(i => i.Name).ToList(), request.Constants);
        _ = BlockEngine.PrepareInBackground(() => new BandMathKernel([program]), request.Inputs.Count, 1);
        var sources = request.Inputs.Select(ToSource).ToList();
        var reference = GridAligner.ChooseReference(sources, request.Reference);
        var aligned = sources.Select(s => GridAligner.Align(s, reference, request.Resampling)).ToList();
        var noData = request.OutputNoData ?? request.OutputType.DefaultNoData();
        using var output = RasterOutput.Begin(request.OutputPath, request.Output ?? new OutputOptions(), reference,
            request.OutputType, [request.Description], noData);
        var job = new BlockJob(reference, aligned, 1, () => new BandMathKernel([program]), noData,
            request.BlockSize, request.Threads);
        BlockEngine.Run(job, output, progress, cancellationToken);
        output.Commit(progress, cancellationToken);
    }

    /// <summary>The grid the result of <paramref name="request"/> is computed on (from the inputs' headers).</summary>
    public static RasterGrid GridOf(CalculationRequest request) =>
        GridAligner.ChooseReference(request.Inputs.Select(ToSource).ToList(), request.Reference);

    private static BandSource ToSource(BandInput input)
    {
        var spec = BandSpec.Parse(input.Band);
        var path = RasterPaths.Normalize(spec.Path);
        int band;
        try
        {
            using var ds = RasterDataset.Open(path);
            band = new BandSpec(path, spec.Selector).ResolveBand(ds);
        }
        catch (RasterException e)
        {
            throw new RasterArgumentException($"{input.Name}: {e.Message.Replace(path, spec.Path)}");
        }
        return new BandSource(input.Name, path, band, input.NoData, input.Scale, input.Offset);
    }
}
