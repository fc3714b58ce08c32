using Tessera.Processing.BandMath;
using Tessera.Processing.Operations;
using Tessera.Raster;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Calculation;

/// <summary>BAND_MATH (15): a formula over named input bands, in the language of <c>tessera calc</c>.</summary>
public sealed class BandMathOperation() : Operation(15, "BAND_MATH",
    "Band math: a formula over named bands (the language of tessera calc)",
    "One Float32 band: the formula evaluated pixel by pixel over the inputs, named by their roles (+ - * / ^, comparisons, where, abs sqrt exp log min max clamp).",
    OperationInputs.Any(1, "one band each, named as the formula calls it (letters, digits and _)", oneBandEach: true),
    [
        new("formula", ParameterType.Formula, "the formula over the inputs' names, e.g. (a - b) / (a + b)") { Required = true },
        CommonParameters.Scale with { Description = "multiplies every input's digital numbers (default: each file's own scale)" },
        CommonParameters.Offset with { Description = "added to every input after scaling (default: each file's own offset)" },
        CommonParameters.NoData,
        CommonParameters.Resampling("nearest"),
        new("description", ParameterType.Text, "the output band's name (default: the formula)"),
        CommonParameters.Part,
    ])
{
    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        try
        {
            BandMathProgram.Compile(parameters.Text("formula")!, inputs.Select(i => i.Role).ToList());
        }
        catch (BandMathException e)
        {
            throw new OperationRequestException($"params.formula: {e.Message}");
        }
    }

    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        Estimates.OnFinestGrid(inputs, 1, RasterDataType.Float32);

    public override RasterGrid? OutputGrid(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        Calculator.GridOf(Request(inputs, parameters, "output.tif"));

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken) =>
        Calculator.Run(Request(run.Inputs, run.Parameters, run.Output), progress, cancellationToken);

    private static CalculationRequest Request(IReadOnlyList<OperationInput> inputs, ParameterValues p, string output)
    {
        var formula = p.Text("formula")!;
        var bands = inputs.Select(i => new BandInput(i.Role, (i with { Band = i.Band ?? 1 }).Spec, p.Number("scale"), p.Number("offset"), p.Number("nodata"))).ToList();
        return new CalculationRequest(bands, formula, output, p.Text("description") ?? formula, Resampling: CommonParameters.ResamplingOf(p));
    }
}
