using System.CommandLine;
using Tessera.Processing.Stacking;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera crop IN -o OUT (--bbox w,s,e,n | --cutline ZONES.geojson)</c>.</summary>
internal static class CropCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input") { Description = "The raster to crop (all its bands)" };
        var cutline = new Option<string?>("--cutline") { Description = "Polygons (GeoJSON or any GDAL vector file, any CRS): crop to them, no data outside" };
        var output = new OutputArguments(typeOfInputs: true);
        var box = new BoxArguments();
        var command = new Command("crop", "Cut a raster to a box (in any CRS) or to polygons");
        command.Arguments.Add(input);
        box.AddTo(command);
        command.Options.Add(cutline);
        output.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            var region = box.Read(parse);
            var polygons = parse.GetValue(cutline);
            if ((region is null) == (polygons is null))
            {
                throw new UsageException("give --bbox or --cutline (one of them)");
            }
            var request = new StackRequest(BandStacker.Expand([parse.GetValue(input)!]), parse.GetValue(output.Output)!, output.OutputOptions(parse),
                Resampling: output.ResamplingMethod(parse), Box: region, Cutline: polygons, OutputType: output.DataTypeIfGiven(parse),
                Threads: parse.GetValue(output.Threads));
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            BandStacker.Run(request, progress, context.Cancellation);
        }));
        return command;
    }
}
