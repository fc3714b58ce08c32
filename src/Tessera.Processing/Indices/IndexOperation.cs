using Tessera.Processing.BandMath;
using Tessera.Processing.Calculation;
using Tessera.Processing.Operations;
using Tessera.Raster;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Indices;

/// <summary>
/// A spectral index as a processing type: one band per role, the index's formula (or the caller's, over the same
/// roles) on reflectance, one Float32 band named after the index.
/// </summary>
public sealed class IndexOperation(SpectralIndex index) : Operation(index.TaskType, index.Name, index.Title,
    $"{index.Formula} ({index.Reference}), on reflectance",
    OperationInputs.Fixed(index.Roles.Select(r => new InputRole(r, SpectralIndices.RoleDescription(r))).ToArray()),
    ParametersOf(index))
{
    public SpectralIndex Index { get; } = index;

    private static IReadOnlyList<Parameter> ParametersOf(SpectralIndex index) =>
    [
        CommonParameters.Scale,
        CommonParameters.Offset,
        CommonParameters.NoData,
        CommonParameters.Resampling("nearest"),
        .. (index.Constants ?? []).Select(c => new Parameter(c.Name, ParameterType.Number, c.Description)
        {
            Default = c.Default, Minimum = c.Minimum, Maximum = c.Maximum,
        }),
        new("formula", ParameterType.Formula, $"replaces the standard formula, over {Listing.And(index.Roles)}; default {index.Formula}"),
        CommonParameters.Part,
    ];

    /// <summary>The index's coefficients as the task gives them (defaults filled in).</summary>
    private Dictionary<string, double> ConstantsOf(ParameterValues parameters) =>
        (Index.Constants ?? []).ToDictionary(c => c.Name, c => parameters.Number(c.Name) ?? c.Default);

    public override OperationRendering? Rendering =>
        Index.Diverging ? new OperationRendering("rdylgn", -1, 1, Index.Name) : null;

    /// <summary>The formula the task computes: the caller's, or the index's own.</summary>
    public string FormulaOf(ParameterValues parameters) => parameters.Text("formula") ?? Index.Formula;

    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        if (parameters.Text("formula") is { } formula)
        {
            try
            {
                BandMathProgram.Compile(formula, Index.Roles, ConstantsOf(parameters));
            }
            catch (BandMathException e)
            {
                throw new OperationRequestException($"params.formula: {e.Message}");
            }
        }
    }

    public override IEnumerable<string> Warnings(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        if (parameters.Given("scale") || parameters.Given("offset"))
        {
            yield break;
        }
        foreach (var input in inputs)
        {
            using var ds = RasterDataset.Open(input.Path);
            var band = ds.Band(input.Band ?? 1);
            if (!band.HasScaleOffset && !band.DataType.IsFloatingPoint())
            {
                yield return $"{Name} is defined on reflectance, but {input.Shown} has integer values and no scale or offset: " +
                    "they look like unscaled digital numbers; give params.scale and params.offset " +
                    "(0.0001 for Sentinel-2 L2A; 0.0000275 and -0.2 for Landsat Collection 2 Level-2)";
                yield break;
            }
        }
    }

    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        Estimates.OnFinestGrid(inputs, 1, RasterDataType.Float32);

    public override RasterGrid? OutputGrid(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        Calculator.GridOf(Request(inputs, parameters, "output.tif"));

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken) =>
        Calculator.Run(Request(run.Inputs, run.Parameters, run.Output), progress, cancellationToken);

    private CalculationRequest Request(IReadOnlyList<OperationInput> inputs, ParameterValues p, string output)
    {
        var bands = Index.Roles.Select(role =>
        {
            var input = inputs.FirstOrDefault(i => string.Equals(i.Role, role, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"input '{role}' is missing");
            return new BandInput(role, (input with { Band = input.Band ?? 1 }).Spec, p.Number("scale"), p.Number("offset"), p.Number("nodata"));
        }).ToList();
        return new CalculationRequest(bands, FormulaOf(p), output, Index.Name, Resampling: CommonParameters.ResamplingOf(p),
            Constants: ConstantsOf(p));
    }
}
