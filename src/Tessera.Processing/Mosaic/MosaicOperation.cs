using Tessera.Processing.Operations;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Mosaic;

/// <summary>MOSAIC (2): whole images stitched over the union of their footprints, in any CRS.</summary>
public sealed class MosaicOperation() : Operation(2, "MOSAIC",
    "Mosaic: images stitched over the union of their footprints (any CRS)",
    "The input images (same bands) on one grid covering them all; where they overlap, blended by distance to each image's edge or picked by a rule.",
    OperationInputs.Any(2, "the images, in order (whole files, the same bands)", wholeFiles: true),
    [
        new("method", ParameterType.Choice, "where images overlap: feather (default: blended by distance to each image's edge), first, last, min, max, mean")
        {
            Choices = ["feather", "first", "last", "min", "max", "mean"], Default = "feather",
        },
        new("crs", ParameterType.Crs, "target CRS, e.g. EPSG:32618 (default: the first image's)"),
        new("resolution", ParameterType.Number, "target pixel size in the target CRS's units (default: the first image's)")
        {
            Minimum = 0, MinimumExcluded = true, Unit = "target CRS units",
        },
        new("harmonize", ParameterType.Boolean, "match each image's radiometry to the images before it (per-band gain and offset fitted on the overlap)")
        {
            Default = false,
        },
        CommonParameters.Resampling("nearest"),
        CommonParameters.Part,
    ])
{
    private static MosaicRequest Request(IReadOnlyList<OperationInput> inputs, ParameterValues p, string output) =>
        new(inputs.Select(i => i.Path).ToList(), output, MosaicMethods.Parse(p.Text("method")!), Crs: p.Text("crs"),
            Resolution: p.Number("resolution"), Resampling: CommonParameters.ResamplingOf(p), Harmonize: p.Flag("harmonize"));

    /// <summary>The output grid from the headers: georeference, same bands, and the size cap.</summary>
    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        MosaicPlan.Make(Request(inputs, parameters, "output.tif"));

    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        MosaicPlan.Make(Request(inputs, parameters, "output.tif")).Bytes;

    public override Raster.RasterGrid? OutputGrid(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        MosaicPlan.Make(Request(inputs, parameters, "output.tif")).Grid;

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken) =>
        Mosaicker.Run(Request(run.Inputs, run.Parameters, run.Output), progress, cancellationToken);
}
