using System.CommandLine;
using System.Globalization;

namespace Tessera.Cli.Commands;

/// <summary>
/// --scale, --offset and --nodata, each either one number for every input ("--scale 0.0001") or per input
/// ("--scale nir=0.0001"), repeatable. Value = raw * scale + offset; these override the bands' own metadata.
/// </summary>
internal sealed class ScaleArguments
{
    public Option<string[]> Scale { get; } = new("--scale")
    {
        Description = "Scale to reflectance: VALUE for all inputs or NAME=VALUE (e.g. 0.0001 for Sentinel-2 L2A, 0.0000275 for Landsat C2 L2)",
    };

    public Option<string[]> Offset { get; } = new("--offset")
    {
        Description = "Offset added after scaling: VALUE or NAME=VALUE (e.g. -0.2 for Landsat C2 L2, -0.1 for Sentinel-2 L2A baseline 04.00+)",
    };

    public Option<string[]> NoData { get; } = new("--nodata")
    {
        Description = "Input nodata value, for files that do not tag one: VALUE or NAME=VALUE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Scale);
        command.Options.Add(Offset);
        command.Options.Add(NoData);
    }

    public Func<string, double?> ScaleFor(ParseResult parse, IReadOnlyCollection<string> names) => Lookup(parse.GetValue(Scale), "--scale", names);

    public Func<string, double?> OffsetFor(ParseResult parse, IReadOnlyCollection<string> names) => Lookup(parse.GetValue(Offset), "--offset", names);

    public Func<string, double?> NoDataFor(ParseResult parse, IReadOnlyCollection<string> names) => Lookup(parse.GetValue(NoData), "--nodata", names);

    private static Func<string, double?> Lookup(string[]? values, string option, IReadOnlyCollection<string> names)
    {
        double? all = null;
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var eq = value.IndexOf('=');
            if (eq < 0)
            {
                all = ParseNumber(value, option);
                continue;
            }
            var name = value[..eq];
            if (!names.Contains(name))
            {
                throw new UsageException($"{option} {value}: '{name}' is not an input (inputs: {string.Join(", ", names)})");
            }
            byName[name] = ParseNumber(value[(eq + 1)..], option);
        }
        return name => byName.TryGetValue(name, out var v) ? v : all;
    }

    private static double ParseNumber(string text, string option) =>
        text.Equals("nan", StringComparison.OrdinalIgnoreCase) ? double.NaN
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new UsageException($"{option}: '{text}' is not a number");
}
