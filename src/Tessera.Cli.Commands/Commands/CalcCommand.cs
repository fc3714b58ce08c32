using System.CommandLine;
using Tessera.Processing.Calculation;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera calc "EXPR" -b a=FILE ... -o OUT</c>: band math over named bands.</summary>
internal static class CalcCommand
{
    public static Command Create(CliContext context)
    {
        var expression = new Argument<string>("expression")
        {
            Description = "Expression over the named bands: + - * / ^, comparisons, where(c, a, b), abs sqrt exp log min max clamp",
        };
        var bands = new Option<string[]>("--band", "-b")
        {
            Description = "NAME=FILE, NAME=FILE@N or NAME=FILE@DESCRIPTION (repeatable)",
            Required = true,
        };
        var description = new Option<string?>("--description") { Description = "Output band description (default: the expression)" };
        var output = new OutputArguments();
        var scaling = new ScaleArguments();
        var command = new Command("calc", "Evaluate a band-math expression pixel by pixel");
        command.Arguments.Add(expression);
        command.Options.Add(bands);
        command.Options.Add(description);
        scaling.AddTo(command);
        output.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            var named = new List<(string Name, string Band)>();
            foreach (var item in parse.GetValue(bands) ?? [])
            {
                var eq = item.IndexOf('=');
                if (eq <= 0 || eq == item.Length - 1)
                {
                    throw new UsageException($"-b {item}: expected NAME=FILE");
                }
                var name = item[..eq];
                if (named.Any(n => n.Name == name))
                {
                    throw new UsageException($"-b {item}: band '{name}' is given twice");
                }
                named.Add((name, item[(eq + 1)..]));
            }
            var names = named.Select(n => n.Name).ToList();
            var scale = scaling.ScaleFor(parse, names);
            var offset = scaling.OffsetFor(parse, names);
            var noData = scaling.NoDataFor(parse, names);
            var text = parse.GetValue(expression)!;
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            Calculator.Run(new CalculationRequest(
                named.Select(n => new BandInput(n.Name, n.Band, scale(n.Name), offset(n.Name), noData(n.Name))).ToList(),
                text, parse.GetValue(output.Output)!, parse.GetValue(description) ?? text,
                output.OutputOptions(parse), output.DataType(parse), parse.GetValue(output.OutputNoData),
                output.ResamplingMethod(parse), parse.GetValue(output.Reference), parse.GetValue(output.Threads)),
                progress, context.Cancellation);
        }));
        return command;
    }
}
