using Tessera.Processing.Operations;

namespace Tessera.Processing.Stacking;

/// <summary>BAND_MERGED (6): bands of several rasters as one multi-band raster, named after their roles.</summary>
public sealed class BandMergeOperation() : StackOperation(6, "BAND_MERGED",
    "Band merge: bands of several rasters as one multi-band raster",
    "The inputs' bands, in the order given, on the finest input's grid (or the reference input's), optionally cut to a box.",
    OperationInputs.Any(1, "any names, in output order: a band, or all bands of a file; the output bands are named after them"),
    [
        CommonParameters.Resampling("nearest"),
        new("reference", ParameterType.Text, "the input (role) whose grid the output uses; default: the finest"),
        CommonParameters.Bbox,
        CommonParameters.BboxCrs,
    ])
{
    protected override bool KeepsBandNames => false;

    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        if (parameters.Text("reference") is { } reference && inputs.All(i => i.Role != reference))
        {
            throw new OperationRequestException($"params.reference: '{reference}' is not one of the inputs ({string.Join(", ", inputs.Select(i => i.Role))})");
        }
        base.Check(inputs, parameters);
    }
}
