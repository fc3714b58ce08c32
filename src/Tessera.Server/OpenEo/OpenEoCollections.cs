using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;

namespace Tessera.Server.OpenEo;

/// <summary>
/// The catalog's scene collections (harvested and local: those a process graph loads) as openEO describes collections:
/// STAC collections with the datacube extension's <c>cube:dimensions</c> (x and y in longitude/latitude over the
/// items' extent, t over their times, bands named as the collection's bands) and <c>summaries</c>.
/// </summary>
public static class OpenEoCollections
{
    public const string DatacubeExtension = "https://stac-extensions.github.io/datacube/v2.2.0/schema.json";

    /// <summary>Whether a collection is one a process graph may load (results collections are not data cubes of scenes).</summary>
    public static bool IsLoadable(CatalogCollection collection) => collection.Kind != CollectionKind.Results;

    public static JsonObject Describe(CatalogCollection collection, CollectionExtent? extent, string baseUrl)
    {
        var document = StacDocuments.Collection(collection, extent, baseUrl);
        var bbox = document["extent"]!["spatial"]!["bbox"]![0]!.AsArray();
        var interval = document["extent"]!["temporal"]!["interval"]![0]!.AsArray();
        var dimensions = new JsonObject
        {
            ["x"] = new JsonObject
            {
                ["type"] = "spatial", ["axis"] = "x", ["extent"] = new JsonArray(bbox[0]!.DeepClone(), bbox[2]!.DeepClone()), ["reference_system"] = 4326,
            },
            ["y"] = new JsonObject
            {
                ["type"] = "spatial", ["axis"] = "y", ["extent"] = new JsonArray(bbox[1]!.DeepClone(), bbox[3]!.DeepClone()), ["reference_system"] = 4326,
            },
            ["t"] = new JsonObject { ["type"] = "temporal", ["extent"] = new JsonArray(interval[0]?.DeepClone(), interval[1]?.DeepClone()) },
        };
        if (collection.Bands.Count > 0)
        {
            dimensions["bands"] = new JsonObject
            {
                ["type"] = "bands", ["values"] = new JsonArray(collection.Bands.Select(b => (JsonNode?)b.Name).ToArray()),
            };
        }
        document["cube:dimensions"] = dimensions;
        var summaries = document["summaries"] as JsonObject ?? [];
        // The API's schema takes a summary as a set, a range or a JSON Schema, exactly one of them; a numeric range
        // ({"minimum": 0, "maximum": 80}) is both of the last two, so it is left to the STAC API's document.
        foreach (var key in summaries.Where(s => s.Value is JsonObject { Count: 2 } range && range["minimum"] is JsonValue low
            && range["maximum"] is JsonValue high && low.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && high.GetValueKind() == System.Text.Json.JsonValueKind.Number).Select(s => s.Key).ToList())
        {
            summaries.Remove(key);
        }
        document["summaries"] = summaries;
        var extensions = document["stac_extensions"] as JsonArray ?? [];
        if (!extensions.Any(e => e?.GetValue<string>() == DatacubeExtension))
        {
            extensions.Add(DatacubeExtension);
        }
        document["stac_extensions"] = extensions;
        var url = $"{baseUrl}{OpenEoApi.Root}/collections/{Uri.EscapeDataString(collection.Id)}";
        var links = new JsonArray(
            StacItems.Link("self", url, "application/json"),
            StacItems.Link("root", $"{baseUrl}{OpenEoApi.Root}/collections", "application/json"),
            StacItems.Link("parent", $"{baseUrl}{OpenEoApi.Root}/collections", "application/json"),
            StacItems.Link("items", $"{baseUrl}/stac/collections/{Uri.EscapeDataString(collection.Id)}/items", StacItems.GeoJsonMediaType),
            StacItems.Link("alternate", $"{baseUrl}/stac/collections/{Uri.EscapeDataString(collection.Id)}", "application/json", "The collection in the STAC API"));
        foreach (var link in (document["links"] as JsonArray ?? []).Where(l => l?["rel"]?.ToString() is not ("self" or "root" or "parent" or "items")))
        {
            links.Add(link!.DeepClone());
        }
        document["links"] = links;
        return document;
    }
}
