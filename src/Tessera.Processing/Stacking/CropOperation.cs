using Tessera.Processing.Operations;

namespace Tessera.Processing.Stacking;

/// <summary>CROP (12): one image cut to a box (any CRS) or to polygons.</summary>
public sealed class CropOperation() : StackOperation(12, "CROP",
    "Crop: an image cut to a box (any CRS) or to polygons",
    "The image's bands, with their own names, cut to a box snapped outwards to whole pixels, or to polygons (outside them: no data).",
    OperationInputs.Fixed(new InputRole("image", "the image (all its bands, or one)", OneBand: false)),
    [
        CommonParameters.Bbox,
        CommonParameters.BboxCrs,
        new("cutline", ParameterType.GeoJson, "polygons (GeoJSON, any CRS) to cut to, instead of a box"),
    ])
{
    protected override bool KeepsBandNames => true;

    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        if (parameters.Given("bbox") == parameters.Given("cutline"))
        {
            throw new OperationRequestException("params.bbox: give bbox or cutline (one of them)");
        }
        base.Check(inputs, parameters);
    }
}
