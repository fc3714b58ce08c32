using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tessera.Processing.Clouds;
using Tessera.Processing.Operations;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera cloud-remove --cloudy IMG --clear IMG (--mask M | --scl SCL | --qa-pixel QA | --bqa BQA) -o OUT</c>.</summary>
internal static class CloudRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var cloudy = new Option<string>("--cloudy") { Description = "The cloudy image (all its bands, or FILE@N)", Required = true };
        var clear = new Option<string>("--clear") { Description = "A cloud-free image of the same area, same bands", Required = true };
        var mask = new Option<string?>("--mask") { Description = "Cloud mask raster: non-zero = cloud (FILE or FILE@N)" };
        var scl = new Option<string?>("--scl") { Description = "Sentinel-2 SCL band: classes of --scl-classes are cloud" };
        var sclClasses = new Option<string>("--scl-classes") { Description = "SCL classes that are cloud", DefaultValueFactory = _ => "3,8,9,10" };
        var qaPixel = new Option<string?>("--qa-pixel") { Description = "Landsat Collection 2 QA_PIXEL: dilated cloud, cirrus, cloud, shadow bits" };
        var bqa = new Option<string?>("--bqa") { Description = "Landsat 8 pre-collection BQA: cloud confidence medium/high or cirrus high" };
        var dilate = new Option<int>("--dilate") { Description = "Grow the mask by this many pixels", DefaultValueFactory = _ => 0 };
        var feather = new Option<int>("--feather") { Description = "Blend over this many pixels around the mask", DefaultValueFactory = _ => 3 };
        var report = new Option<string?>("--report") { Description = "Also write the report (shares replaced and left cloudy, fits) as JSON here" };
        var output = new OutputArguments(typeOfInputs: true);
        var command = new Command("cloud-remove", "Replace the clouds of an image from a cloud-free image of the same area");
        foreach (var option in new Option[] { cloudy, clear, mask, scl, sclClasses, qaPixel, bqa, dilate, feather, report })
        {
            command.Options.Add(option);
        }
        output.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            var given = new (string? Path, CloudMaskKind Kind)[]
            {
                (parse.GetValue(mask), CloudMaskKind.Raster), (parse.GetValue(scl), CloudMaskKind.Scl),
                (parse.GetValue(qaPixel), CloudMaskKind.QaPixel), (parse.GetValue(bqa), CloudMaskKind.Bqa),
            }.Where(m => m.Path is not null).ToList();
            if (given.Count != 1)
            {
                throw new UsageException("give one cloud mask: --mask, --scl, --qa-pixel or --bqa");
            }
            var classes = new HashSet<int>();
            foreach (var part in parse.GetValue(sclClasses)!.Split(','))
            {
                classes.Add(int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var c)
                    ? c
                    : throw new UsageException($"--scl-classes: '{part}' is not a class number"));
            }
            if (parse.GetValue(dilate) < 0 || parse.GetValue(feather) < 0)
            {
                throw new UsageException("--dilate and --feather cannot be negative");
            }
            var request = new CloudRemovalRequest(parse.GetValue(cloudy)!, parse.GetValue(clear)!, given[0].Path!,
                new CloudMask(given[0].Kind, classes), parse.GetValue(output.Output)!, parse.GetValue(dilate), parse.GetValue(feather),
                output.OutputOptions(parse), parse.GetValue(output.Threads));
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            var result = CloudRemover.Run(request, progress, context.Cancellation);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cloud {100.0 * result.Cloud / Math.Max(1, result.Pixels):F2} %, replaced {100 * result.ReplacedShare:F2} %, left cloudy {100 * result.LeftCloudyShare:F2} %"));
            if (parse.GetValue(report) is { } path)
            {
                File.WriteAllText(path, JsonSerializer.Serialize(result, ReportJson.Default.CloudRemovalReport));
            }
        }));
        return command;
    }
}
