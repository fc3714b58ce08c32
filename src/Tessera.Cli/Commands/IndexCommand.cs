using System.CommandLine;
using Tessera.Processing.Calculation;
using Tessera.Processing.Indices;
using Tessera.Processing.Inputs;
using Tessera.Raster;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera index NAME --ROLE FILE ... -o OUT</c>: a spectral index from its role bands.</summary>
internal static class IndexCommand
{
    private static readonly string[] AllRoles = SpectralIndices.All.SelectMany(i => i.Roles).Distinct().ToArray();

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("index")
        {
            Description = "The index: " + string.Join(", ", SpectralIndices.All.Select(i => i.Name.ToLowerInvariant())),
        };
        var roles = AllRoles.ToDictionary(r => r, r => new Option<string?>($"--{r}")
        {
            Description = $"The {r} band: FILE, FILE@N (band N) or FILE@DESCRIPTION",
        });
        var output = new OutputArguments();
        var scaling = new ScaleArguments();
        var command = new Command("index", "Compute a spectral index (NDVI, EVI, NDWI, NDBI, BAI) on reflectance");
        command.Arguments.Add(name);
        foreach (var option in roles.Values)
        {
            command.Options.Add(option);
        }
        scaling.AddTo(command);
        output.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var requested = parse.GetValue(name)!;
            var index = SpectralIndices.Find(requested) ?? throw new UsageException(
                $"unknown index '{requested}'; known: {string.Join(", ", SpectralIndices.All.Select(i => i.Name.ToLowerInvariant()))}");
            foreach (var role in AllRoles.Where(r => !index.Roles.Contains(r) && parse.GetValue(roles[r]) is not null))
            {
                throw new UsageException($"{index.Name} does not use --{role}; it needs {string.Join(", ", index.Roles.Select(x => "--" + x))}");
            }
            var missing = index.Roles.Where(r => string.IsNullOrEmpty(parse.GetValue(roles[r]))).ToList();
            if (missing.Count > 0)
            {
                throw new UsageException($"{index.Name} needs {string.Join(" and ", missing.Select(r => "--" + r))} " +
                    $"({index.Formula})");
            }
            var scale = scaling.ScaleFor(parse, index.Roles);
            var offset = scaling.OffsetFor(parse, index.Roles);
            var noData = scaling.NoDataFor(parse, index.Roles);
            var inputs = index.Roles.Select(r => new BandInput(r, parse.GetValue(roles[r])!, scale(r), offset(r), noData(r))).ToList();
            if (index.ScaleSensitive)
            {
                WarnIfUnscaled(context, index, inputs);
            }
            using var progress = context.Progress(parse.GetValue(output.Quiet));
            Calculator.Run(new CalculationRequest(
                inputs, index.Formula, parse.GetValue(output.Output)!, index.Name,
                output.OutputOptions(parse), output.DataType(parse), parse.GetValue(output.OutputNoData),
                output.ResamplingMethod(parse), parse.GetValue(output.Reference), parse.GetValue(output.Threads)),
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
