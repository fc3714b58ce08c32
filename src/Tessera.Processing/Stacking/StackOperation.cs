using System.Globalization;
using Tessera.Processing.Operations;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Stacking;

/// <summary>
/// What band merge and crop share: the bands of the inputs (a chosen band, or all of a file's) stacked onto one
/// grid, cut to a box (any CRS) or to polygons. Output bands are named after the roles; a crop keeps the bands' own names.
/// </summary>
public abstract class StackOperation(int number, string name, string title, string description, OperationInputs inputs,
    IReadOnlyList<Parameter> parameters) : Operation(number, name, title, description, inputs, parameters)
{
    /// <summary>Whether output bands keep their own descriptions (crop) instead of the roles' names (merge).</summary>
    protected abstract bool KeepsBandNames { get; }

    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        Estimates.OnFinestGrid(inputs, inputs.Sum(Estimates.BandsOf), inputs.Select(Estimates.TypeOf).MaxBy(t => t.SizeInBytes()));

    /// <summary>A box, when given, must overlap the inputs.</summary>
    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        if (parameters.Box("bbox", parameters.Text("bboxCrs")) is { } box)
        {
            var sources = inputs.Select(i => new BandSource(i.Role, i.Path, i.Band ?? 1)).ToList();
            try
            {
                box.ApplyTo(GridAligner.ChooseReference(sources, parameters.Text("reference")), "the inputs");
            }
            catch (RasterArgumentException e)
            {
                throw new OperationRequestException($"params.bbox: {e.Message}");
            }
        }
    }

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var p = run.Parameters;
        var bands = new List<BandSource>();
        var descriptions = new List<string>();
        foreach (var input in run.Inputs)
        {
            using var ds = RasterDataset.Open(input.Path);
            var chosen = input.Band is { } b ? [b] : Enumerable.Range(1, ds.BandCount).ToArray();
            foreach (var band in chosen)
            {
                bands.Add(new BandSource(input.Role, input.Path, band));
                var own = ds.Band(band).Description;
                descriptions.Add(KeepsBandNames && own.Length > 0 ? own
                    : chosen.Length == 1 ? input.Role : $"{input.Role} {band.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        string? cutline = null;
        if (p.Text("cutline") is { } geojson)
        {
            cutline = Path.Combine(run.WorkFolder, "cutline.geojson");
            File.WriteAllText(cutline, geojson);
        }
        var request = new StackRequest(bands, run.Output, Reference: p.Text("reference"), Resampling: CommonParameters.ResamplingOf(p),
            Box: p.Box("bbox", p.Text("bboxCrs")), Cutline: cutline, Descriptions: descriptions);
        BandStacker.Run(request, progress, cancellationToken);
    }
}
