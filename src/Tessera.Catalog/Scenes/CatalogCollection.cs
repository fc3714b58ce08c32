using System.Text.Json.Nodes;
using Tessera.Raster;

namespace Tessera.Catalog.Scenes;

/// <summary>A spectral band of a collection, as STAC's <c>eo:bands</c> describes it (wavelengths in micrometres).</summary>
public sealed record CatalogBand(string Name, string? CommonName = null, double? CenterWavelength = null, double? FullWidthHalfMax = null,
    string? Description = null);

/// <summary>Where a collection's items come from.</summary>
public enum CollectionKind
{
    /// <summary>Results of the service's own tasks, one collection per task type.</summary>
    Results,

    /// <summary>Copied from a remote STAC catalog or API (assets stay remote until downloaded).</summary>
    Harvested,

    /// <summary>Products found in a folder of this machine.</summary>
    Local,
}

/// <summary>
/// A collection of the catalog: scenes (items) of one kind through time. The extent it declares is kept as given
/// (a harvested collection's covers the remote catalog); what the catalog serves is the extent of the items it holds
/// (<see cref="CollectionExtent"/>), falling back to the declared one while it holds none.
/// </summary>
/// <param name="Summaries">STAC summaries as given (platforms, instruments, CRSs, resolutions, ...).</param>
/// <param name="Extra">Other fields of the STAC document kept as they were (keywords, providers, ...).</param>
/// <param name="Source">The document it was harvested from, or the folder it was scanned from.</param>
/// <param name="Rank">Order in listings (the results collections in the order of their operations, then the others by id).</param>
public sealed record CatalogCollection(string Id, string? Title, string Description, string License, CollectionKind Kind,
    IReadOnlyList<CatalogBand> Bands, JsonObject Summaries, Bounds? DeclaredBbox = null, DateTimeOffset? DeclaredStart = null,
    DateTimeOffset? DeclaredEnd = null, JsonObject? Extra = null, string? Source = null, int Rank = CatalogCollection.DefaultRank)
{
    public const int DefaultRank = 1000;
}

/// <summary>What the items of a collection a caller may see cover, computed by the database.</summary>
public sealed record CollectionExtent(long Items, Bounds? Bbox, DateTimeOffset? Start, DateTimeOffset? End, double? MinCloudCover,
    double? MaxCloudCover, IReadOnlyList<string> Platforms);
