using System.CommandLine;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Output;

namespace Tessera.Cli.Commands;

/// <summary>The options every raster-writing command shares: -o, --of, --co, --type, --nodata-out, --threads,
/// --resampling, --reference, --quiet. GDAL's own spellings (<c>-of</c>, <c>-co</c>, <c>-ot</c>) work too, as GDAL users
/// type them.</summary>
internal sealed class OutputArguments
{
    public Option<string> Output { get; } = new("--output", "-o") { Description = "Output file", Required = true };

    public Option<string> Format { get; } = new("--of", "-of")
    {
        Description = "Output format: COG (default) or GTiff",
        DefaultValueFactory = _ => OutputFormats.Cog,
    };

    public Option<string[]> CreationOptions { get; } = new("--co", "-co")
    {
        Description = "GDAL creation option NAME=VALUE (repeatable); adds to or overrides the format's defaults",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <param name="typeOfInputs">The output type defaults to the inputs' (band merge, crop) instead of float32.</param>
    public OutputArguments(bool typeOfInputs = false)
    {
        Type = typeOfInputs
            ? new("--type", "--ot", "-ot") { Description = "Output data type: byte, int16, uint16, int32, uint32, float32, float64 (default: the inputs')" }
            : new("--type", "--ot", "-ot")
            {
                Description = "Output data type: float32 (default), float64, int16, uint16, int32, uint32, byte",
                DefaultValueFactory = _ => "float32",
            };
    }

    public Option<string> Type { get; }

    public Option<double?> OutputNoData { get; } = new("--out-nodata")
    {
        Description = "Nodata value of the output (default: NaN for float types, else the type's extreme value)",
    };

    public Option<string> Resampling { get; } = new("--resampling", "-r")
    {
        Description = "How inputs on another grid are resampled: nearest (default), bilinear, cubic, average",
        DefaultValueFactory = _ => "nearest",
    };

    public Option<string?> Reference { get; } = new("--reference")
    {
        Description = "Name of the input whose grid the output uses (default: the finest input)",
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Worker threads (default: one per core)",
        DefaultValueFactory = _ => 0,
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress bar" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Output, Format, CreationOptions, Type, OutputNoData, Resampling, Reference, Threads, Quiet })
        {
            command.Options.Add(option);
        }
    }

    public OutputOptions OutputOptions(ParseResult parse)
    {
        try
        {
            return new OutputOptions(OutputFormats.Normalize(parse.GetValue(Format)!), parse.GetValue(CreationOptions) ?? []);
        }
        catch (RasterArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public RasterDataType DataType(ParseResult parse) => Usage(() => RasterDataTypes.Parse(parse.GetValue(Type)!));

    /// <summary>The type asked for, or null when none was (commands whose type defaults to the inputs').</summary>
    public RasterDataType? DataTypeIfGiven(ParseResult parse) =>
        parse.GetValue(Type) is { } type ? Usage(() => RasterDataTypes.Parse(type)) : null;

    public Resampling ResamplingMethod(ParseResult parse) => Usage(() => ResamplingNames.Parse(parse.GetValue(Resampling)!));

    private static T Usage<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (RasterArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
