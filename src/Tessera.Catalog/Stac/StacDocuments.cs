using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;

namespace Tessera.Catalog.Stac;

/// <summary>
/// STAC 1.0.0 Items and Collections of the catalog's records, as the STAC API serves them. Hrefs of this server (paths
/// starting with <c>/</c>) are made absolute from the base the caller reached the server at; the links the catalog
/// makes (self, parent, collection, root, items) are written over any kept from a harvested document; the extensions
/// of the fields it knows are declared.
/// </summary>
public static class StacDocuments
{
    /// <summary>Extensions by the prefix of the fields that use them.</summary>
    private static readonly (string Prefix, string Name, string Schema)[] KnownExtensions =
    [
        ("proj:", "projection", StacItems.ProjectionExtension),
        ("raster:", "raster", StacItems.RasterExtension),
        ("eo:", "eo", EoExtension),
        ("grid:", "grid", GridExtension),
        ("file:", "file", FileExtension),
        ("alternate", "alternate-assets", AlternateAssetsExtension),
    ];

    public const string EoExtension = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";
    public const string GridExtension = "https://stac-extensions.github.io/grid/v1.1.0/schema.json";
    public const string FileExtension = "https://stac-extensions.github.io/file/v2.1.0/schema.json";
    public const string AlternateAssetsExtension = "https://stac-extensions.github.io/alternate-assets/v1.2.0/schema.json";

    /// <summary>The STAC Item of a catalog item.</summary>
    public static JsonObject Item(CatalogItem item, string baseUrl)
    {
        var assets = new JsonObject();
        foreach (var asset in item.Assets)
        {
            var document = asset.Extra is null ? new JsonObject() : (JsonObject)asset.Extra.DeepClone();
            document["href"] = Absolute(asset.Href, baseUrl);
            Put(document, "type", asset.MediaType);
            Put(document, "title", asset.Title);
            if (asset.Roles is { Count: > 0 } roles)
            {
                document["roles"] = new JsonArray(roles.Select(r => (JsonNode?)r).ToArray());
            }
            Put(document, "file:checksum", asset.Checksum);
            if (asset.Size is { } size)
            {
                document["file:size"] = size;
            }
            assets[asset.Key] = document;
        }
        var url = $"{baseUrl}/stac/collections/{Uri.EscapeDataString(item.Collection)}";
        var links = Kept(item.Links);
        links.Insert(0, StacItems.Link("self", $"{url}/items/{Uri.EscapeDataString(item.Id)}", StacItems.GeoJsonMediaType));
        links.Insert(1, StacItems.Link("parent", url, "application/json"));
        links.Insert(2, StacItems.Link("collection", url, "application/json"));
        links.Insert(3, StacItems.Link("root", $"{baseUrl}/stac", "application/json"));
        var properties = (JsonObject)item.Properties.DeepClone();
        return new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = StacItems.Version,
            ["stac_extensions"] = Extensions(item.Extensions, properties, assets),
            ["id"] = item.Id,
            ["collection"] = item.Collection,
            ["geometry"] = item.Geometry?.DeepClone(),
            ["bbox"] = item.Bbox is { } b ? new JsonArray(b.MinX, b.MinY, b.MaxX, b.MaxY) : null,
            ["properties"] = properties,
            ["assets"] = assets,
            ["links"] = links,
        };
    }

    /// <summary>
    /// The STAC Collection of a catalog collection: its extent is that of the items the caller may see
    /// (<paramref name="extent"/>), else the one it declares, else the whole world and open time.
    /// </summary>
    public static JsonObject Collection(CatalogCollection collection, CollectionExtent? extent, string baseUrl)
    {
        var bbox = extent?.Bbox ?? collection.DeclaredBbox;
        var start = extent?.Start ?? collection.DeclaredStart;
        var end = extent?.End ?? collection.DeclaredEnd;
        var document = collection.Extra is null ? new JsonObject() : (JsonObject)collection.Extra.DeepClone();
        var summaries = (JsonObject)collection.Summaries.DeepClone();
        if (extent is { Platforms.Count: > 0 } && summaries["platform"] is null)
        {
            summaries["platform"] = new JsonArray(extent.Platforms.Select(p => (JsonNode?)p).ToArray());
        }
        if (extent is { MinCloudCover: { } low, MaxCloudCover: { } high } && summaries["eo:cloud_cover"] is null)
        {
            summaries["eo:cloud_cover"] = new JsonObject { ["minimum"] = low, ["maximum"] = high };
        }
        if (collection.Bands.Count > 0)
        {
            summaries["eo:bands"] = Bands(collection.Bands);
        }
        var url = $"{baseUrl}/stac/collections/{Uri.EscapeDataString(collection.Id)}";
        var links = Kept(document["links"] as JsonArray);
        links.Insert(0, StacItems.Link("self", url, "application/json"));
        links.Insert(1, StacItems.Link("root", $"{baseUrl}/stac", "application/json"));
        links.Insert(2, StacItems.Link("parent", $"{baseUrl}/stac", "application/json"));
        links.Insert(3, StacItems.Link("items", $"{url}/items", StacItems.GeoJsonMediaType));
        var declared = document["stac_extensions"] is JsonArray list ? list.Select(e => e!.GetValue<string>()).ToList() : null;
        document["type"] = "Collection";
        document["stac_version"] = StacItems.Version;
        document["stac_extensions"] = Extensions(declared, summaries, new JsonObject());
        document["id"] = collection.Id;
        Put(document, "title", collection.Title);
        document["description"] = collection.Description;
        document["license"] = collection.License;
        document["extent"] = new JsonObject
        {
            ["spatial"] = new JsonObject
            {
                ["bbox"] = new JsonArray(bbox is { } b ? new JsonArray(b.MinX, b.MinY, b.MaxX, b.MaxY) : new JsonArray(-180.0, -90.0, 180.0, 90.0)),
            },
            ["temporal"] = new JsonObject
            {
                ["interval"] = new JsonArray(new JsonArray(
                    start is { } s ? StacItems.Time(s) : null,
                    end is { } e ? StacItems.Time(e) : null)),
            },
        };
        if (summaries.Count > 0)
        {
            document["summaries"] = summaries;
        }
        else
        {
            document.Remove("summaries");
        }
        document["links"] = links;
        return document;
    }

    /// <summary>A collection's bands as STAC's <c>eo:bands</c>.</summary>
    public static JsonArray Bands(IEnumerable<CatalogBand> bands) => new(bands.Select(band =>
    {
        var entry = new JsonObject { ["name"] = band.Name };
        Put(entry, "common_name", band.CommonName);
        if (band.CenterWavelength is { } center)
        {
            entry["center_wavelength"] = center;
        }
        if (band.FullWidthHalfMax is { } width)
        {
            entry["full_width_half_max"] = width;
        }
        Put(entry, "description", band.Description);
        return (JsonNode?)entry;
    }).ToArray());

    private static string Absolute(string href, string baseUrl) => href.StartsWith('/') ? baseUrl + href : href;

    /// <summary>The kept links without those the catalog makes itself.</summary>
    private static JsonArray Kept(JsonArray? links) => new((links ?? []).OfType<JsonObject>()
        .Where(l => l["rel"]?.GetValue<string>() is not ("self" or "parent" or "collection" or "root" or "items"))
        .Select(l => (JsonNode?)l.DeepClone()).ToArray());

    /// <summary>The declared extensions and those of the fields found, each once, declared ones first.</summary>
    private static JsonArray Extensions(IReadOnlyList<string>? declared, JsonObject fields, JsonObject assets)
    {
        var names = new List<string>(declared ?? []);
        var keys = fields.Select(p => p.Key).Concat(assets.SelectMany(a => a.Value is JsonObject o ? o.Select(p => p.Key) : [])).ToList();
        foreach (var (prefix, name, schema) in KnownExtensions)
        {
            // Declared in any version already (a harvested item's own), it is not declared again.
            if (keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)) && !names.Any(n => n.Contains($"/{name}/", StringComparison.Ordinal)))
            {
                names.Add(schema);
            }
        }
        return new JsonArray(names.Distinct().Select(n => (JsonNode?)n).ToArray());
    }

    private static void Put(JsonObject document, string name, string? value)
    {
        if (value is not null)
        {
            document[name] = value;
        }
    }
}
