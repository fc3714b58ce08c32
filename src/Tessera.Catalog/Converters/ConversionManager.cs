using Tessera.Raster;

namespace Tessera.Catalog.Converters;

/// <summary>
/// geospaas_processing's <c>ConversionManager</c>: converters registered in order, each with its selectors in order;
/// an input goes to the first converter whose selector matches, made with that selector's parameters (so a more
/// specific converter, or selector, is registered before a general one). The conversion runs with the file policy
/// in force widened to the input alone (<see cref="RasterFilePolicy.Inside"/>, with the converter's drivers), and its
/// errors name the asset, never a path of the server.
/// </summary>
public sealed class ConversionManager
{
    private readonly List<(string Says, Func<ConversionInput, bool> Matches, Func<Converter> Make)> _choices = [];

    /// <summary>The service's converters: Sentinel-2 SAFE zips, Landsat Collection 2 tars, NetCDF files, GeoTIFFs.</summary>
    public static ConversionManager Default { get; } = new ConversionManager()
        .Register(Sentinel2SafeConverter.ParameterSelectors, p => new Sentinel2SafeConverter(p))
        .Register(LandsatTarConverter.ParameterSelectors, p => new LandsatTarConverter(p))
        .Register(NetCdfConverter.ParameterSelectors, p => new NetCdfConverter(p))
        .Register(GeoTiffConverter.ParameterSelectors, p => new GeoTiffConverter(p));

    /// <summary>Adds a converter after those registered before: its selectors, and how it is made with a selector's parameters.</summary>
    public ConversionManager Register<TParameters>(IEnumerable<ParameterSelector<TParameters>> selectors, Func<TParameters, Converter> make)
    {
        foreach (var selector in selectors)
        {
            _choices.Add((selector.Says, selector.Matches, () => make(selector.Parameters)));
        }
        return this;
    }

    /// <summary>The converter of the first selector that matches <paramref name="input"/>, with what that selector says; null when none does.</summary>
    public (Converter Converter, string Selector)? Choose(ConversionInput input)
    {
        foreach (var (says, matches, make) in _choices)
        {
            if (matches(input))
            {
                return (make(), says);
            }
        }
        return null;
    }

    /// <summary>
    /// Converts <paramref name="input"/> with <paramref name="converter"/> into <paramref name="outputFolder"/>;
    /// <see cref="ConversionException"/> naming the asset when the input cannot be converted.
    /// </summary>
    public static ConversionResult Run(Converter converter, ConversionInput input, string outputFolder, IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var previous = RasterFilePolicy.Current;
        try
        {
            if (previous is not null)
            {
                RasterFilePolicy.Apply(previous.Inside(input.Path, converter.Drivers));
            }
            return converter.Run(input, outputFolder, progress, cancellationToken);
        }
        catch (ConversionException e)
        {
            throw new ConversionException($"asset '{input.Asset.Key}' ({converter.Name}): {Scrub(e.Message, input, outputFolder)}");
        }
        catch (RasterException e)
        {
            throw new ConversionException($"asset '{input.Asset.Key}' ({converter.Name}): {Scrub(e.Message, input, outputFolder)}");
        }
        finally
        {
            RasterFilePolicy.Apply(previous);
        }
    }

    /// <summary>A message with the input's and the output folder's paths taken out: what lies inside the input is named by its path there.</summary>
    private static string Scrub(string message, ConversionInput input, string outputFolder)
    {
        var file = Path.GetFullPath(input.Path);
        foreach (var prefix in (string[])[$"/vsizip/{{{file}}}/", $"/vsitar/{{/vsigzip/{file}}}/", $"/vsitar/{{{file}}}/", $"NETCDF:\"{file}\":"])
        {
            message = message.Replace(prefix, "", StringComparison.Ordinal);
        }
        var folder = Path.GetFullPath(outputFolder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return message.Replace($"NETCDF:\"{file}\"", input.FileName, StringComparison.Ordinal)
            .Replace(file, input.FileName, StringComparison.Ordinal)
            .Replace(folder, "", StringComparison.Ordinal);
    }
}
