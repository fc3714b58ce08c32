using Tessera.Processing.Operations;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Clouds;

/// <summary>COMPOSITE (14): per pixel, the median (or the clearest) of the clear observations of several dated images.</summary>
public sealed class CompositeOperation() : Operation(14, "COMPOSITE",
    "Composite: per pixel, the median (or the clearest) of the clear observations of several dated images",
    "Inputs in pairs, in order: an image (a file, or one band of it), then its cloud mask. The result is on the first image's grid.",
    OperationInputs.Any(4, "pairs, in order: an image (all its bands, or one), then its cloud mask (one band)", pairs: true),
    [
        new("method", ParameterType.Choice, "median (default) of the clear observations, or the clearest one")
        {
            Choices = ["median", "clearest"], Default = "median",
        },
        CommonParameters.MaskKind,
        CommonParameters.SclClasses,
    ])
{
    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        if (inputs.Count % 2 != 0)
        {
            throw new OperationRequestException($"inputs: COMPOSITE takes pairs, in order: an image, then its cloud mask ({inputs.Count} inputs given)");
        }
        var first = Estimates.BandsOf(inputs[0]);
        for (var i = 0; i < inputs.Count; i++)
        {
            var bands = Estimates.BandsOf(inputs[i]);
            if (i % 2 == 1 && bands != 1)
            {
                throw new OperationRequestException($"inputs.{inputs[i].Role}: a mask is one band; choose one of its {bands}");
            }
            if (i % 2 == 0 && bands != first)
            {
                throw new OperationRequestException($"inputs.{inputs[i].Role}: has {bands} band(s), {inputs[0].Role} has {first}: composite images need the same bands");
            }
        }
    }

    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        Estimates.OnFinestGrid([inputs[0]], Estimates.BandsOf(inputs[0]), Estimates.TypeOf(inputs[0]));

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var specs = run.Inputs.Select(i => i.Spec).ToList();
        var method = CompositeMethods.Parse(run.Parameters.Text("method")!);
        Compositor.Run(specs.Where((_, i) => i % 2 == 0).ToList(), specs.Where((_, i) => i % 2 == 1).ToList(),
            CommonParameters.CloudMaskOf(run.Parameters), method, run.Output, progress: progress, cancellationToken: cancellationToken);
    }
}
