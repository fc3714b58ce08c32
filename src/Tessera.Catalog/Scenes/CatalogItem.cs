using System.Text.Json.Nodes;
using Tessera.Raster;

namespace Tessera.Catalog.Scenes;

/// <summary>
/// A file of an item: a band, a metadata file, a preview. <paramref name="Href"/> is where it is published (an
/// absolute URL of a remote catalog, or a path of this server starting with <c>/</c>); <paramref name="LocalPath"/> where
/// it lies on this machine once downloaded (relative to the data folder).
/// </summary>
/// <param name="Band">The band it holds (a common name such as "nir", or the collection's band name), when it holds one.</param>
/// <param name="Checksum">As STAC's <c>file:checksum</c> (a multihash in hex), when known.</param>
/// <param name="Extra">Other fields of the STAC asset kept as they were (<c>raster:bands</c>, <c>eo:bands</c>, ...).</param>
public sealed record CatalogAsset(string Key, string Href, string? MediaType = null, string? Title = null, IReadOnlyList<string>? Roles = null,
    string? Band = null, string? Checksum = null, long? Size = null, string? LocalPath = null, JsonObject? Extra = null);

/// <summary>
/// A scene of a collection at a time. <paramref name="Properties"/> holds every STAC property; the fields the catalog
/// searches by (time, cloud cover, platform, grid code) are also columns of their own, kept equal to the properties.
/// </summary>
/// <param name="DateTime">The scene's time, or null when it has only a range (<paramref name="Start"/> .. <paramref name="End"/>).</param>
/// <param name="Geometry">The footprint as a GeoJSON geometry in longitude/latitude, or null (then <paramref name="Bbox"/> is null too).</param>
/// <param name="GridCode">STAC's <c>grid:code</c>: an MGRS tile ("MGRS-29RKH") or a WRS-2 path/row ("WRS2-204036").</param>
/// <param name="Owner">Who may see it (a task's owner), or null: everyone with read access.</param>
/// <param name="TaskId">The task whose result it is, for the results collections.</param>
/// <param name="Links">Links of the STAC item kept as they were (other than self, parent, collection and root, which the catalog makes).</param>
/// <param name="Extensions">STAC extensions the item declared (those of the fields the catalog knows are added when served).</param>
/// <param name="FileId">The stored file it describes, for the results collections (the item goes with the file).</param>
public sealed record CatalogItem(string Collection, string Id, DateTimeOffset? DateTime, DateTimeOffset Start, DateTimeOffset End,
    JsonObject? Geometry, Bounds? Bbox, double? CloudCover, string? Platform, string? GridCode, JsonObject Properties,
    IReadOnlyList<CatalogAsset> Assets, JsonArray? Links = null, string? Owner = null, long? TaskId = null, long? FileId = null,
    IReadOnlyList<string>? Extensions = null);

/// <summary>One page of a search, with how many items match in all (null when counting them was not asked for).</summary>
public sealed record ItemPage(IReadOnlyList<CatalogItem> Items, long? Matched);
