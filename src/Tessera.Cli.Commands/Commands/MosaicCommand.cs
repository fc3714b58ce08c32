using System.CommandLine;
using System.Globalization;
using Tessera.Processing.Mosaic;
using Tessera.Raster;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera mosaic -o OUT IN... [--method] [--crs] [--resolution] [--harmonize] [--estimate]</c>.</summary>
internal static class MosaicCommand
{
    public static Command Create(CliContext context)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Rasters to mosaic, in order (same bands; any CRS)", Arity = ArgumentArity.OneOrMore };
        var method = new Option<string>("--method")
        {
            Description = "Where inputs overlap: feather (default: blended by distance to each input's edge), first, last, min, max, mean (no data never counts)",
            DefaultValueFactory = _ => "feather",
        };
        var crs = new Option<string?>("--crs") { Description = "Target CRS, e.g. EPSG:32618 (default: the first input's)" };
        var resolution = new Option<double?>("--resolution") { Description = "Target pixel size in the target CRS's units, square (default: the inputs' finest x and y pixel sizes when all are in the target CRS, else the first input's)" };
        var featherWidth = new Option<int>("--feather-width")
        {
            Description = "Feather: the distance in input pixels over which an input fades in from its edge",
            DefaultValueFactory = _ => 128,
        };
        var harmonize = new Option<bool>("--harmonize")
        {
            Description = "Match each input's radiometry to the inputs before it: per-band gain and offset fitted (least squares) on the overlap",
        };
        var estimate = new Option<bool>("--estimate") { Description = "Print the output's size in pixels and bytes, and stop" };
        var maxPixels = new Option<long>("--max-pixels")
        {
            Description = "Refuse mosaics of more values (pixels x bands) than this",
            DefaultValueFactory = _ => 20_000_000_000,
        };
        var output = new OutputArguments(typeOfInputs: true);
        var command = new Command("mosaic", "Stitch rasters into one over the union of their footprints");
        command.Arguments.Add(inputs);
        foreach (var option in new Option[] { method, featherWidth, crs, resolution, harmonize, estimate, maxPixels })
        {
            command.Options.Add(option);
        }
        output.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            MosaicMethod chosen;
            try
            {
                chosen = MosaicMethods.Parse(parse.GetValue(method)!);
                if (parse.GetValue(crs) is { } c)
                {
                    using (SpatialReference.FromUserInput(c))
                    {
                    }
                }
            }
            catch (RasterException e)
            {
                throw new UsageException(e.Message);
            }
            var request = new MosaicRequest(parse.GetValue(inputs)!, parse.GetValue(output.Output)!, chosen, output.OutputOptions(parse),
                parse.GetValue(crs), parse.GetValue(resolution), output.ResamplingMethod(parse), parse.GetValue(maxPixels),
                output.DataTypeIfGiven(parse), parse.GetValue(output.Threads), parse.GetValue(featherWidth), parse.GetValue(harmonize));
            if (parse.GetValue(estimate))
            {
                context.Out.WriteLine(MosaicPlan.Make(request).Describe());
                return;
            }
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            var result = Mosaicker.Run(request, progress, context.Cancellation);
            if (result.Harmonization is { } fits)
            {
                for (var i = 1; i < fits.Count; i++)
                {
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{request.Inputs[i]}: {string.Join("; ", fits[i].Select((f, b) => $"band {b + 1} × {f.Gain:0.####} {(f.Offset < 0 ? "-" : "+")} {Math.Abs(f.Offset):0.##} ({f.Samples:N0} px)"))}"));
                }
            }
        }));
        return command;
    }
}
