using System.CommandLine;
using Tessera.Processing.Clouds;
using Tessera.Raster;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera composite IN... --masks M... [--method median|clearest] -o OUT</c>.</summary>
internal static class CompositeCommand
{
    public static Command Create(CliContext context)
    {
        var images = new Argument<string[]>("inputs") { Description = "Images of one area (same bands; FILE or FILE@N)", Arity = ArgumentArity.OneOrMore };
        var masks = new Option<string[]>("--masks") { Description = "One mask per image, in the same order (FILE or FILE@N)", Required = true, AllowMultipleArgumentsPerToken = true };
        var method = new Option<string>("--method") { Description = "median (default) of the clear observations, or the clearest one", DefaultValueFactory = _ => "median" };
        var kind = new Option<string>("--mask-kind")
        {
            Description = "How the masks say cloud: raster (non-zero; default), scl, qa-pixel or bqa",
            DefaultValueFactory = _ => "raster",
        };
        var output = new OutputArguments(typeOfInputs: true);
        var command = new Command("composite", "Per-pixel median (or clearest) of the clear observations of several images");
        command.Arguments.Add(images);
        command.Options.Add(masks);
        command.Options.Add(method);
        command.Options.Add(kind);
        output.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            CompositeMethod chosen;
            try
            {
                chosen = CompositeMethods.Parse(parse.GetValue(method)!);
            }
            catch (RasterArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            var maskKind = parse.GetValue(kind) switch
            {
                "raster" => CloudMaskKind.Raster,
                "scl" => CloudMaskKind.Scl,
                "qa-pixel" => CloudMaskKind.QaPixel,
                "bqa" => CloudMaskKind.Bqa,
                var other => throw new UsageException($"--mask-kind: '{other}' is not raster, scl, qa-pixel or bqa"),
            };
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            Compositor.Run(parse.GetValue(images)!, parse.GetValue(masks) ?? [], new CloudMask(maskKind), chosen, parse.GetValue(output.Output)!,
                output.OutputOptions(parse), progress, context.Cancellation, parse.GetValue(output.Threads));
        }));
        return command;
    }
}
