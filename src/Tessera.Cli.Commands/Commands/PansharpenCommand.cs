using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tessera.Processing.Fusion;
using Tessera.Processing.Fusion.Quality;
using Tessera.Processing.Operations;
using Tessera.Raster;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera pansharpen --pan PAN --ms MS... -o OUT [--method] [--weights w...] [--quality REPORT.json]</c>.</summary>
internal static class PansharpenCommand
{
    public static Command Create(CliContext context)
    {
        var pan = new Option<string>("--pan") { Description = "The panchromatic band (FILE or FILE@N)", Required = true };
        var ms = new Option<string[]>("--ms") { Description = "Multispectral files or bands (FILE@N), in output order", Required = true, AllowMultipleArgumentsPerToken = true };
        var method = new Option<string>("--method") { Description = "brovey (default), weighted-brovey, ihs, gram-schmidt, hpf", DefaultValueFactory = _ => "brovey" };
        var weights = new Option<double[]>("--weights") { Description = "One weight per multispectral band: its share of the intensity the pan stands for (weighted Brovey, IHS, Gram-Schmidt; default equal)", AllowMultipleArgumentsPerToken = true };
        var quality = new Option<string?>("--quality")
        {
            Description = "Also write a quality report (JSON) here: ERGAS, SAM and Q by Wald's protocol (inputs degraded by the resolution ratio, fused, compared with the originals) and the spatial correlation with the pan",
        };
        var output = new OutputArguments(typeOfInputs: true);
        var command = new Command("pansharpen", "Fuse a panchromatic band with multispectral bands: multispectral at the pan's resolution");
        foreach (var option in new Option[] { pan, ms, method, weights, quality })
        {
            command.Options.Add(option);
        }
        output.AddTo(command);
        command.Options.Single(o => o.Name == "--resampling").Description = "How the multispectral bands are resampled onto the pan grid (default bilinear)";
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            PansharpenMethod chosen;
            try
            {
                chosen = PansharpenMethods.Parse(parse.GetValue(method)!);
            }
            catch (RasterArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            var given = parse.GetValue(weights);
            var resampling = parse.GetResult(output.Resampling) is { Implicit: false } ? output.ResamplingMethod(parse) : Tessera.Raster.Alignment.Resampling.Bilinear;
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            var request = new PansharpenRequest(parse.GetValue(pan)!, parse.GetValue(ms)!, parse.GetValue(output.Output)!, chosen,
                given is { Length: > 0 } ? given : null, resampling, output.OutputOptions(parse), output.DataTypeIfGiven(parse),
                parse.GetValue(output.Threads));
            Pansharpener.Run(request, progress, context.Cancellation);
            if (parse.GetValue(quality) is { } reportPath)
            {
                var report = FusionQuality.Report(request, context.Cancellation);
                File.WriteAllText(reportPath, JsonSerializer.Serialize(report, ReportJson.Default.FusionQualityReport));
                var reduced = report.ReducedScale;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{report.Method}: ERGAS {reduced.Ergas:F3}, SAM {reduced.Sam:F3}°, Q {reduced.Q:F4} (Wald's protocol, ratio {report.Ratio:0.##}); spatial correlation {string.Join(", ", report.SpatialCorrelation.Select(c => c.ToString("F3", CultureInfo.InvariantCulture)))}"));
            }
        }));
        return command;
    }
}
