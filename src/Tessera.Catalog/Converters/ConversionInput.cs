using Tessera.Catalog.Scenes;

namespace Tessera.Catalog.Converters;

/// <summary>What a converter is asked to convert: an asset of an item, and the file where it lies on this machine.</summary>
public sealed record ConversionInput(CatalogItem Item, CatalogAsset Asset, string Path)
{
    private FileKind? _kind;

    /// <summary>
    /// The asset's own file name: the last part of its href when that is another server's address (downloads lie
    /// under hashed names), else the name of the file where it lies.
    /// </summary>
    public string FileName { get; } = Uri.TryCreate(Asset.Href, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
        && Uri.UnescapeDataString(url.AbsolutePath.TrimEnd('/').Split('/')[^1]) is { Length: > 0 } name
            ? name
            : System.IO.Path.GetFileName(Path);

    /// <summary>What the file is by its first bytes (read once).</summary>
    public FileKind Kind => _kind ??= FileKinds.Of(Path);
}
