using Tessera.Raster;
using Tessera.Raster.Info;

namespace Tessera.Catalog.Converters;

/// <summary>How a GeoTIFF's overviews are made: of the nearest values for <paramref name="Categorical"/> data (classes, quality bits), else averaged.</summary>
public sealed record GeoTiffParameters(bool Categorical)
{
    public static GeoTiffParameters Continuous { get; } = new(false);

    public static GeoTiffParameters Classes { get; } = new(true);
}

/// <summary>
/// A GeoTIFF: kept as it is when it already is a cloud-optimized GeoTIFF (<see cref="CogLayout"/>), else rewritten as
/// one under the asset's key, every band, value, nodata, description and the georeference as they are, and the asset's
/// <c>eo:bands</c> carried over.
/// </summary>
public sealed class GeoTiffConverter(GeoTiffParameters parameters) : Converter
{
    public static IReadOnlyList<ParameterSelector<GeoTiffParameters>> ParameterSelectors { get; } =
    [
        new("a GeoTIFF of classes or quality bits (its key or name says QA, SCL, mask, cloud, class)", Matches.All(Matches.Kind(FileKind.Tiff),
            input => Matches.Key(Categorical)(input) || Matches.FileName(Categorical)(input)), GeoTiffParameters.Classes),
        new("a GeoTIFF", Matches.Kind(FileKind.Tiff), GeoTiffParameters.Continuous),
    ];

    /// <summary>Words of keys and names of categorical rasters, as whole parts of the name.</summary>
    private const string Categorical = @"(^|[_\-.])(QA|QA_PIXEL|BQA|SCL|MASK|CLOUD|CLOUDS|CLM|FMASK|CLASS|CLASSES|CLASSIFICATION|LULC)([_\-.]|$)";

    public GeoTiffParameters Parameters { get; } = parameters;

    public override string Name => "GeoTIFF";

    public override IReadOnlyList<string> Drivers { get; } = ["GTiff"];

    public override ConversionResult Run(ConversionInput input, string outputFolder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        using (var dataset = RasterDataset.Open(input.Path))
        {
            if (CogLayout.Problems(dataset).Count == 0)
            {
                return new ConversionResult([], Kept: true);
            }
        }
        progress?.Report(input.Asset.Key);
        var path = WriteCog(input.Path, outputFolder, input.Asset.Key, null, Parameters.Categorical, cancellationToken);
        return new ConversionResult([new ConvertedFile(input.Asset.Key, path, $"{input.Asset.Key} as a cloud-optimized GeoTIFF", input.Asset.Band,
            input.Asset.Extra?["eo:bands"]?.DeepClone() as System.Text.Json.Nodes.JsonArray)]);
    }
}
