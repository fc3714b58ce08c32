using Tessera.Processing.Operations;
using Tessera.Raster;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Fusion;

/// <summary>FUSION (1): a multispectral image at the resolution of a panchromatic band (pan-sharpening).</summary>
public sealed class FusionOperation() : Operation(1, "FUSION",
    "Fusion (pan-sharpening): a multispectral image at the resolution of a panchromatic band",
    "The multispectral bands on the pan's grid, sharpened by one of five methods (Brovey, weighted Brovey, IHS, Gram-Schmidt, high-pass filter).",
    OperationInputs.Fixed(
        new InputRole("pan", "the panchromatic band"),
        new InputRole("ms", "the multispectral image (all its bands, or one)", OneBand: false)),
    [
        new("method", ParameterType.Choice, "brovey (default), weighted-brovey, ihs, gram-schmidt, hpf")
        {
            Choices = ["brovey", "weighted-brovey", "ihs", "gram-schmidt", "hpf"], Default = "brovey",
        },
        new("weights", ParameterType.NumberList, "one weight per multispectral band (weighted Brovey, IHS, Gram-Schmidt), e.g. 0.2,0.3,0.5")
        {
            Minimum = 0,
        },
        CommonParameters.Resampling("bilinear"),
    ])
{
    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        var bands = Estimates.BandsOf(inputs.Single(i => i.Role == "ms"));
        if (parameters.Numbers("weights") is { } weights && (weights.Count != bands || weights.Sum() <= 0))
        {
            throw new OperationRequestException($"params.weights: give {bands} non-negative weights (one per multispectral band), not all zero; {weights.Count} given");
        }
    }

    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        var ms = inputs.Single(i => i.Role == "ms");
        return Estimates.OnFinestGrid(inputs.Where(i => i.Role == "pan"), Estimates.BandsOf(ms), Estimates.TypeOf(ms));
    }

    public override bool Reports => true;

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var p = run.Parameters;
        var request = new PansharpenRequest(run.Input("pan").Spec, [run.Input("ms").Spec], run.Output,
            PansharpenMethods.Parse(p.Text("method")!), p.Numbers("weights"), CommonParameters.ResamplingOf(p));
        Pansharpener.Run(request, progress, cancellationToken);
        // Its quality, as the command line's --quality measures it: Wald's protocol and the spatial correlation with the pan.
        // Best effort: a product too small (or on a grid too coarse) to be degraded by the ratio is still a product.
        try
        {
            run.WriteReport(Quality.FusionQuality.Report(request, cancellationToken, run.WorkFolder), ReportJson.Default.FusionQualityReport);
        }
        catch (Tessera.Raster.RasterException e)
        {
            run.WriteReport(new FusionNotMeasured(request.Method.Name(), null, $"not measured: {e.Message}"), ReportJson.Default.FusionNotMeasured);
        }
    }
}
