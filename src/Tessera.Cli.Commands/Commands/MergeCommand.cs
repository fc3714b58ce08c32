using System.CommandLine;
using Tessera.Processing.Stacking;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera merge -o OUT IN...</c>: bands of several rasters as one multi-band raster.</summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "Rasters (all their bands) or bands (FILE@N, FILE@DESCRIPTION), in output order",
            Arity = ArgumentArity.OneOrMore,
        };
        var descriptions = new Option<string[]>("--description", "--descriptions")
        {
            Description = "Band descriptions of the output, one per band in order (default: the inputs')",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new OutputArguments(typeOfInputs: true);
        var box = new BoxArguments();
        var command = new Command("merge", "Stack bands of several rasters into one (resampled onto the finest or the named input's grid)");
        command.Arguments.Add(inputs);
        command.Options.Add(descriptions);
        box.AddTo(command);
        output.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            var names = parse.GetValue(descriptions);
            var request = new StackRequest(BandStacker.Expand(parse.GetValue(inputs)!), parse.GetValue(output.Output)!, output.OutputOptions(parse),
                parse.GetValue(output.Reference), output.ResamplingMethod(parse), box.Read(parse), null, output.DataTypeIfGiven(parse),
                names is { Length: > 0 } ? names : null, parse.GetValue(output.Threads));
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            BandStacker.Run(request, progress, context.Cancellation);
        }));
        return command;
    }
}
