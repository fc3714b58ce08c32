using System.Text.RegularExpressions;
using Tessera.Raster;
using Tessera.Raster.Info;
using Tessera.Raster.Output;

namespace Tessera.Catalog.Converters;

/// <summary>Which variables of a NetCDF file become COGs: those of two dimensions whose name matches <paramref name="Variables"/> (null: every one).</summary>
public sealed record NetCdfParameters(Regex? Variables = null)
{
    public static NetCdfParameters Every { get; } = new();
}

/// <summary>
/// A NetCDF file (classic, or NetCDF-4 over HDF5): each variable of two dimensions GDAL reads as a raster (a subdataset
/// <c>NETCDF:"FILE":VAR</c>, or the file itself when it holds just one) becomes a COG named after the variable, with
/// the CRS and geotransform GDAL gives it (its grid mapping and coordinate variables); variables of more or fewer
/// dimensions are left out. A variable whose attributes declare flags (CF's <c>flag_values</c>, <c>flag_masks</c>) gets
/// overviews of its nearest values.
/// </summary>
public sealed class NetCdfConverter(NetCdfParameters parameters) : Converter
{
    private const string Name2D = "variables of two dimensions";

    public static IReadOnlyList<ParameterSelector<NetCdfParameters>> ParameterSelectors { get; } =
    [
        new("a NetCDF file", Matches.Kind(FileKind.NetCdf), NetCdfParameters.Every),
        new("an HDF5 file named or typed as NetCDF-4", Matches.All(Matches.Kind(FileKind.Hdf5),
            input => Matches.FileName(@"\.(nc|nc4|netcdf)$")(input) || Matches.MediaType("application/netcdf", "application/x-netcdf")(input)), NetCdfParameters.Every),
    ];

    public NetCdfParameters Parameters { get; } = parameters;

    public override string Name => "NetCDF";

    public override IReadOnlyList<string> Drivers { get; } = ["netCDF"];

    public override ConversionResult Run(ConversionInput input, string outputFolder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var file = $"NETCDF:\"{Path.GetFullPath(input.Path)}\"";
        IReadOnlyList<Subdataset> subdatasets;
        try
        {
            subdatasets = Subdataset.Of(file);
        }
        catch (RasterOpenException)
        {
            // GDAL says the same of a file of no raster variable and of a damaged one.
            throw new ConversionException($"the NetCDF file has no {Name2D} GDAL can read (or it is damaged)");
        }
        var variables = subdatasets.Count == 0 ? Whole(file) : subdatasets
            .Where(s => s.Dimensions.Count == 2)
            .Select(s => (Name: s.Name[(s.Name.LastIndexOf(':') + 1)..], Open: s.Name)).ToList();
        variables = variables.Where(v => Parameters.Variables?.IsMatch(v.Name) != false).ToList();
        if (variables.Count == 0)
        {
            var others = subdatasets.Select(s => $"{s.Name[(s.Name.LastIndexOf(':') + 1)..]} ({s.Dimensions.Count} dimensions)");
            throw new ConversionException($"the NetCDF file has no {Name2D}" + (subdatasets.Count > 0 ? $" to convert (it has {string.Join(", ", others)})" : ""));
        }
        var files = new List<ConvertedFile>();
        foreach (var (name, open) in variables)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(name);
            var key = name.TrimStart('/').Replace('/', '_');
            var path = WriteCog(open, outputFolder, key, new CogCopy.BandSettings(Description: key), categorical: Flags(open), cancellationToken);
            files.Add(new ConvertedFile(key, path, $"{name} of {input.FileName}"));
        }
        return new ConversionResult(files);
    }

    /// <summary>The file's one variable, when GDAL reads the file as one raster of two dimensions.</summary>
    private static List<(string Name, string Open)> Whole(string file)
    {
        using var dataset = RasterDataset.Open(file);
        if (dataset.GetMetadataItem("NETCDF_DIM_EXTRA") is { Length: > 0 })
        {
            return [];
        }
        return [(dataset.GetBandMetadataItem(1, "NETCDF_VARNAME") is { Length: > 0 } name ? name : "data", file)];
    }

    private static bool Flags(string variable)
    {
        using var dataset = RasterDataset.Open(variable);
        return dataset.GetBandMetadataItem(1, "flag_values") is not null || dataset.GetBandMetadataItem(1, "flag_masks") is not null;
    }
}
