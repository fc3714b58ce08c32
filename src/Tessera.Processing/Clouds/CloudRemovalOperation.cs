using Tessera.Processing.Operations;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Clouds;

/// <summary>Cloud_Remove (4): the clouds of an image replaced from a cloud-free image of the same area.</summary>
public sealed class CloudRemovalOperation() : Operation(4, "Cloud_Remove",
    "Cloud removal: the clouds of an image replaced from a cloud-free image of the same area",
    "Cloud pixels (by the mask) replaced with the clear image's values fitted band by band to the cloudy image, feathered at the edges.",
    OperationInputs.Fixed(
        new InputRole("cloudy", "the cloudy image (all its bands, or one)", OneBand: false),
        new InputRole("mask", "the cloud mask band"),
        new InputRole("clear", "the cloud-free image of the same area (the same bands)", OneBand: false)),
    [
        CommonParameters.MaskKind,
        CommonParameters.SclClasses,
        new("dilate", ParameterType.Integer, "grow the mask by this many pixels (default 0)") { Minimum = 0, Default = 0, Unit = "pixels" },
        new("feather", ParameterType.Integer, "blend over this many pixels around the mask (default 3)") { Minimum = 0, Default = 3, Unit = "pixels" },
    ])
{
    public override void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        var cloudy = Estimates.BandsOf(inputs.Single(i => i.Role == "cloudy"));
        var clear = Estimates.BandsOf(inputs.Single(i => i.Role == "clear"));
        if (cloudy != clear)
        {
            throw new OperationRequestException($"inputs.clear: has {clear} band(s) and the cloudy image {cloudy}: they must match");
        }
    }

    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
        var cloudy = inputs.Single(i => i.Role == "cloudy");
        return Estimates.OnFinestGrid([cloudy], Estimates.BandsOf(cloudy), Estimates.TypeOf(cloudy));
    }

    public override bool Reports => true;

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var p = run.Parameters;
        var report = CloudRemover.Run(new CloudRemovalRequest(run.Input("cloudy").Spec, run.Input("clear").Spec, run.Input("mask").Spec,
            CommonParameters.CloudMaskOf(p), run.Output, p.Integer("dilate")!.Value, p.Integer("feather")!.Value), progress, cancellationToken);
        run.WriteReport(report, ReportJson.Default.CloudRemovalReport);
    }
}
