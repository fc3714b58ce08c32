using System.CommandLine;
using Tessera.Processing.Calculation;
using Tessera.Processing.Indices;
using Tessera.Processing.Inputs;
using Tessera.Raster;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera index NAME --ROLE FILE ... -o OUT</c>: a spectral index from its role bands. Options follow the
/// indices' definitions: one per role (<c>--swir</c> is <c>--swir1</c>), one per coefficient (<c>--L</c> for SAVI).</summary>
internal static class IndexCommand
{
    private static readonly string[] AllRoles = SpectralIndices.All.SelectMany(i => i.Roles).Select(SpectralIndices.Canonical).Distinct().ToArray();

    private static readonly IndexConstant[] AllConstants = SpectralIndices.All.SelectMany(i => i.Constants ?? []).DistinctBy(c => c.Name).ToArray();

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("index")
        {
            Description = "The index: " + string.Join(", ", SpectralIndices.All.Select(i => i.Name.ToLowerInvariant())),
        };
        var roles = AllRoles.ToDictionary(r => r, r =>
        {
            var option = new Option<string?>($"--{r}")
            {
                Description = $"{char.ToUpperInvariant(SpectralIndices.RoleDescription(r)[0])}{SpectralIndices.RoleDescription(r)[1..]}: FILE, FILE@N (band N) or FILE@DESCRIPTION",
            };
            foreach (var alias in SpectralIndices.All.SelectMany(i => i.Roles).Where(x => x != r && SpectralIndices.Canonical(x) == r).Distinct())
            {
                option.Aliases.Add($"--{alias}");
            }
            return option;
        });
        var constants = AllConstants.ToDictionary(c => c.Name, c => new Option<double?>($"--{c.Name}")
        {
            Description = $"{c.Description} ({c.Minimum.ToString(System.Globalization.CultureInfo.InvariantCulture)} to " +
                $"{c.Maximum.ToString(System.Globalization.CultureInfo.InvariantCulture)}; default {c.Default.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
        });
        var output = new OutputArguments();
        var scaling = new ScaleArguments();
        var command = new Command("index", $"Compute a spectral index ({string.Join(", ", SpectralIndices.All.Select(i => i.Name))}) on reflectance");
        command.Arguments.Add(name);
        foreach (var option in roles.Values.Concat<Option>(constants.Values))
        {
            command.Options.Add(option);
        }
        scaling.AddTo(command);
        output.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            var requested = parse.GetValue(name)!;
            var index = SpectralIndices.Find(requested) ?? throw new UsageException(
                $"unknown index '{requested}'; known: {string.Join(", ", SpectralIndices.All.Select(i => i.Name.ToLowerInvariant()))}");
            string? Band(string role) => parse.GetValue(roles[SpectralIndices.Canonical(role)]);
            var used = index.Roles.Select(SpectralIndices.Canonical).ToHashSet();
            foreach (var role in AllRoles.Where(r => !used.Contains(r) && parse.GetValue(roles[r]) is not null))
            {
                throw new UsageException($"{index.Name} does not use --{role}; it needs {string.Join(", ", index.Roles.Select(x => "--" + x))}");
            }
            var missing = index.Roles.Where(r => string.IsNullOrEmpty(Band(r))).ToList();
            if (missing.Count > 0)
            {
                throw new UsageException($"{index.Name} needs {string.Join(" and ", missing.Select(r => "--" + r))} " +
                    $"({index.Formula})");
            }
            var values = new Dictionary<string, double>();
            foreach (var constant in AllConstants.Where(c => parse.GetValue(constants[c.Name]) is not null))
            {
                var value = parse.GetValue(constants[constant.Name])!.Value;
                if (!(index.Constants ?? []).Any(c => c.Name == constant.Name))
                {
                    throw new UsageException($"{index.Name} has no coefficient {constant.Name} (--{constant.Name})");
                }
                if (!(value >= constant.Minimum && value <= constant.Maximum))
                {
                    throw new UsageException($"--{constant.Name} {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}: " +
                        $"from {constant.Minimum.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {constant.Maximum.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                }
                values[constant.Name] = value;
            }
            foreach (var constant in (index.Constants ?? []).Where(c => !values.ContainsKey(c.Name)))
            {
                values[constant.Name] = constant.Default;
            }
            var scale = scaling.ScaleFor(parse, index.Roles);
            var offset = scaling.OffsetFor(parse, index.Roles);
            var noData = scaling.NoDataFor(parse, index.Roles);
            var inputs = index.Roles.Select(r => new BandInput(r, Band(r)!, scale(r), offset(r), noData(r))).ToList();
            if (index.ScaleSensitive)
            {
                WarnIfUnscaled(context, index, inputs);
            }
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            Calculator.Run(new CalculationRequest(
                inputs, index.Formula, parse.GetValue(output.Output)!, index.Name,
                output.OutputOptions(parse), output.DataType(parse), parse.GetValue(output.OutputNoData),
                output.ResamplingMethod(parse), parse.GetValue(output.Reference), parse.GetValue(output.Threads), Constants: values),
                progress, context.Cancellation);
        }));
        return command;
    }

    /// <summary>EVI and BAI mean something only on reflectance: say so when an input has no way to get there.</summary>
    private static void WarnIfUnscaled(CliContext context, SpectralIndex index, IReadOnlyList<BandInput> inputs)
    {
        foreach (var input in inputs.Where(i => i.Scale is null && i.Offset is null))
        {
            var spec = BandSpec.Parse(input.Band);
            try
            {
                using var ds = RasterDataset.Open(spec.Path);
                var band = ds.Band(spec.ResolveBand(ds));
                if (!band.HasScaleOffset && !band.DataType.IsFloatingPoint())
                {
                    context.Note($"{index.Name} is defined on reflectance, but {input.Name} ({input.Band}) has integer values and no " +
                        "scale/offset; pass --scale (0.0001 for Sentinel-2 L2A; 0.0000275 with --offset -0.2 for Landsat C2 L2)");
                    return;
                }
            }
            catch (RasterException)
            {
                return; // the run itself reports the problem with this input
            }
        }
    }
}
