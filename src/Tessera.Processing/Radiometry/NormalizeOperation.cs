using Tessera.Processing.Mosaic;
using Tessera.Processing.Operations;
using Tessera.Processing.Stacking;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Radiometry;

/// <summary>
/// NORMALIZE (34): relative radiometric normalisation of an image to a reference image of the same place (another
/// date): per band, the gain and offset that give the image, over the pixels both have, the reference's mean and standard
/// deviation (the reduced major axis, as a mosaic harmonises its inputs: <see cref="MosaicHarmonizer"/>), applied to
/// every pixel of the image, on its own grid. Float32, the image's bands.
/// </summary>
public sealed class NormalizeOperation() : Operation(34, "NORMALIZE",
    "Radiometric normalisation: an image matched to a reference date over their common pixels",
    "Each band of the image mapped by the gain and offset that give it the reference's mean and standard deviation where both have data (reduced major axis); the image's grid, Float32.",
    OperationInputs.Fixed(new InputRole("image", "the image to normalise (all its bands)", OneBand: false),
        new InputRole("reference", "the reference image (the same bands; any grid, resampled onto the image's)", OneBand: false)),
    [CommonParameters.Resampling("bilinear"), CommonParameters.NoData])
{
    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        var (image, reference) = (Estimates.BandsOf(inputs.First(i => i.Role == "image")), Estimates.BandsOf(inputs.First(i => i.Role == "reference")));
        if (image != reference)
        {
            throw new OperationRequestException($"inputs: the image has {image} band{(image == 1 ? "" : "s")} and the reference {reference}: give images of the same bands");
        }
    }

    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        var image = inputs.First(i => i.Role == "image");
        using var ds = RasterDataset.Open(image.Path);
        return (long)ds.Width * ds.Height * ds.BandCount * 4;
    }

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var (image, reference) = (run.Input("image"), run.Input("reference"));
        var noData = run.Parameters.Number("nodata");
        RasterGrid grid;
        List<string> descriptions;
        using (var ds = RasterDataset.Open(image.Path))
        {
            grid = ds.Grid;
            descriptions = ds.Bands.Select(b => b.Description.Length > 0 ? b.Description : $"band {b.Index}").ToList();
        }
        var bands = descriptions.Count;
        var resampling = CommonParameters.ResamplingOf(run.Parameters);
        var imageBands = Enumerable.Range(1, bands).Select(b => GridAligner.Align(new BandSource("image", image.Path, b, noData), grid, Resampling.Nearest)).ToList();
        var referenceBands = Enumerable.Range(1, bands).Select(b => GridAligner.Align(new BandSource("reference", reference.Path, b, noData), grid, resampling)).ToList();
        // Input 0 is the reference, input 1 the image: the fit maps the image onto the reference.
        var fits = MosaicHarmonizer.Fit(grid, [.. referenceBands, .. imageBands], 2, bands, cancellationToken)[1];
        if (fits.Any(f => f.Samples < MosaicHarmonizer.MinimumOverlap))
        {
            throw new OperationRequestException($"inputs: the image and the reference have fewer than {MosaicHarmonizer.MinimumOverlap} pixels with data in common: nothing to fit");
        }
        var scaled = imageBands.Select((s, b) => s with { Scale = s.Scale * fits[b].Gain, Offset = s.Offset * fits[b].Gain + fits[b].Offset }).ToList();
        using var output = RasterOutput.Begin(run.Output, new OutputOptions(), grid, RasterDataType.Float32, descriptions, double.NaN);
        BlockEngine.Run(new BlockJob(grid, scaled, bands, () => new CopyKernel(false)), output, progress, cancellationToken);
        output.Commit(progress, cancellationToken);
    }
}
