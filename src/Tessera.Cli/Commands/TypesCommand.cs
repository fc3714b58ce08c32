using System.CommandLine;
using System.Globalization;
using System.Text;
using Tessera.Processing.Operations;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera types [--markdown]</c>: the task types, read from their definitions (the Markdown form is
/// docs/types.md, checked against the definitions by a test).</summary>
internal static class TypesCommand
{
    public static Command Create(CliContext context)
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the reference page (docs/types.md) instead of the short list" };
        var command = new Command("types", "List the task types: number, name, inputs and parameters");
        command.Options.Add(markdown);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            if (parse.GetValue(markdown))
            {
                context.Out.Write(Markdown());
                return;
            }
            foreach (var o in OperationCatalog.All)
            {
                context.Out.WriteLine($"{o.Number,3}  {o.Name,-13} {o.Title}");
                context.Out.WriteLine($"     inputs: {Inputs(o)}");
                if (o.Parameters.Count > 0)
                {
                    context.Out.WriteLine($"     params: {string.Join(", ", o.Parameters.Select(p => p.Name))}");
                }
            }
        }));
        return command;
    }

    private static string Inputs(Operation o) => o.Inputs.FreeRoles
        ? $"{o.Inputs.Description} (at least {o.Inputs.MinInputs})"
        : string.Join(", ", o.Inputs.Roles.Select(r => r.OneBand ? r.Name : r.Name + " (all bands)"));

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Allowed(Parameter p) => p.Type switch
    {
        ParameterType.Choice => string.Join(", ", p.Choices!),
        ParameterType.Number or ParameterType.Integer when p.Minimum is not null || p.Maximum is not null => p.Expected,
        _ => p.Expected,
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The reference page of the task types.</summary>
    public static string Markdown()
    {
        var s = new StringBuilder();
        s.Append("# Task types\n\n");
        s.Append("Generated from the types' definitions by `tessera types --markdown`; a test fails when this page and the definitions differ.\n");
        s.Append("Numbers 1 to 11 are the seed's `TaskType` values; types beyond the seed are numbered from 12. `GET /processtask/types`\n");
        s.Append("gives the same in JSON.\n\n");
        s.Append("| number | name | what it does | inputs | result |\n| ---: | --- | --- | --- | --- |\n");
        foreach (var o in OperationCatalog.All.OrderBy(o => o.Number))
        {
            s.Append(CultureInfo.InvariantCulture, $"| {o.Number} | [{o.Name}](#{o.Name.ToLowerInvariant()}) | {Cell(o.Title)} | {Cell(Inputs(o))} | {(o.Output == OutputKind.Table ? "table" : "raster")} |\n");
        }
        foreach (var o in OperationCatalog.All.OrderBy(o => o.Number))
        {
            s.Append(CultureInfo.InvariantCulture, $"\n## {o.Name}\n\n{o.Number}: {o.Description}\n\n");
            if (o.Inputs.FreeRoles)
            {
                s.Append(CultureInfo.InvariantCulture, $"Inputs: {o.Inputs.Description}; at least {o.Inputs.MinInputs}.\n");
            }
            else
            {
                s.Append("Inputs:\n\n");
                foreach (var r in o.Inputs.Roles)
                {
                    s.Append(CultureInfo.InvariantCulture, $"- `{r.Name}`: {r.Description}{(r.OneBand ? " (one band)" : "")}\n");
                }
            }
            if (o.Rendering is { } rendering)
            {
                s.Append(CultureInfo.InvariantCulture, $"\nShown as {rendering.Colormap} from {Number(rendering.Minimum)} to {Number(rendering.Maximum)}.\n");
            }
            if (o.Parameters.Count == 0)
            {
                continue;
            }
            s.Append("\n| parameter | type | default | allowed | unit | what it does |\n| --- | --- | --- | --- | --- | --- |\n");
            foreach (var p in o.Parameters)
            {
                var fallback = p.Required ? "required" : p.Default switch
                {
                    null => "",
                    double d => Number(d),
                    int i => i.ToString(CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    var other => other.ToString()!,
                };
                s.Append(CultureInfo.InvariantCulture,
                    $"| `{p.Name}` | {p.Type.ToString().ToLowerInvariant()} | {Cell(fallback)} | {Cell(Allowed(p))} | {p.Unit ?? ""} | {Cell(p.Description)} |\n");
            }
        }
        return s.ToString();
    }
}
