using Tessera.Raster;
using Tessera.Raster.Output;

namespace Tessera.Catalog.Converters;

/// <summary>
/// geospaas_processing's <c>Converter</c>: turns one input (a product's archive, a NetCDF file, a GeoTIFF) into
/// cloud-optimized GeoTIFFs in a folder, GDAL reading the formats. Each converter lists its
/// <see cref="ParameterSelector{TParameters}"/>s and is made with the parameters of the first that matches
/// (<see cref="ConversionManager"/>); the manager lets it read inside its input with its <see cref="Drivers"/> only.
/// </summary>
public abstract class Converter
{
    /// <summary>What it converts, in a few words ("Sentinel-2 SAFE zip").</summary>
    public abstract string Name { get; }

    /// <summary>The GDAL drivers it reads its input and what lies inside it with.</summary>
    public abstract IReadOnlyList<string> Drivers { get; }

    /// <summary>Writes the COGs of <paramref name="input"/> into <paramref name="outputFolder"/>, one per name;
    /// <see cref="ConversionException"/> when the input is not what it should be.</summary>
    public abstract ConversionResult Run(ConversionInput input, string outputFolder, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>A member of an archive as GDAL names it inside the archive (without a leading <c>./</c> or <c>/</c>).</summary>
    protected static string MemberName(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal) || name.StartsWith('/'))
        {
            name = name.StartsWith('/') ? name[1..] : name[2..];
        }
        return name;
    }

    /// <summary>
    /// The raster GDAL opens at <paramref name="source"/> as a COG named <paramref name="name"/> in the folder, values
    /// as they are; <paramref name="settings"/> set on every band where the source says nothing. Overviews are made anew
    /// from the full resolution (a JP2's wavelet levels are no overviews of classes): averages, or for categorical data
    /// (classes, quality bits) the nearest values.
    /// </summary>
    protected static string WriteCog(string source, string outputFolder, string name, CogCopy.BandSettings? settings, bool categorical,
        CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(outputFolder, OutputNames.FileName(name));
        using var dataset = RasterDataset.Open(source);
        CogCopy.Write(dataset, path, ["OVERVIEWS=IGNORE_EXISTING", .. categorical ? (string[])["OVERVIEW_RESAMPLING=NEAREST"] : []],
            settings is null ? null : Enumerable.Repeat<CogCopy.BandSettings?>(settings, dataset.BandCount).ToList(), null, cancellationToken);
        return path;
    }
}
