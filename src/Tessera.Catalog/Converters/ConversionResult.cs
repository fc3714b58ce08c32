using System.Text.Json.Nodes;

namespace Tessera.Catalog.Converters;

/// <summary>
/// A cloud-optimized GeoTIFF a converter wrote: its name (the band's, the variable's: the asset key it asks for), where
/// it lies, a title, and what its asset says of the band it holds (the band as <see cref="Scenes.CatalogAsset.Band"/>
/// names it, STAC's <c>eo:bands</c>, and the scale and offset that give physical values, from the product's metadata).
/// </summary>
public sealed record ConvertedFile(string Name, string Path, string Title, string? Band = null, JsonArray? EoBands = null,
    double? Scale = null, double? Offset = null);

/// <summary>What a converter made of one input: the files it wrote, or none when the input was kept as it is (already a COG).</summary>
public sealed record ConversionResult(IReadOnlyList<ConvertedFile> Files, bool Kept = false);
