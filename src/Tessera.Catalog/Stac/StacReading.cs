using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Raster;

namespace Tessera.Catalog.Stac;

/// <summary>
/// STAC 1.0 Items read into the catalog's records (what a harvest keeps of another catalog's scenes): the searched
/// fields from their properties (a grid code also from Sentinel-2's MGRS tile or Landsat's WRS-2 path and row), every
/// property and asset field kept, relative hrefs made absolute against the document's own address. A document that is
/// not a usable Item is refused naming the field at fault.
/// </summary>
public static class StacReading
{
    /// <param name="source">Where the document was read from: relative hrefs are resolved against it.</param>
    /// <param name="collection">The collection it goes into (its own <c>collection</c> field otherwise).</param>
    public static CatalogItem Item(JsonObject document, Uri? source = null, string? collection = null)
    {
        var id = Text(document, "id") ?? throw Bad("?", "id: missing");
        if (document["type"]?.GetValueKind() != JsonValueKind.String || document["type"]!.GetValue<string>() != "Feature")
        {
            throw Bad(id, "type: not \"Feature\"");
        }
        var into = collection ?? Text(document, "collection") ?? throw Bad(id, "collection: missing (and none was given)");
        var properties = document["properties"] as JsonObject ?? throw Bad(id, "properties: missing");
        var dateTime = Time(properties, "datetime", id);
        var start = Time(properties, "start_datetime", id) ?? dateTime;
        var end = Time(properties, "end_datetime", id) ?? dateTime;
        if (start is null || end is null)
        {
            throw Bad(id, "properties.datetime: null without start_datetime and end_datetime");
        }
        var geometry = document["geometry"] switch
        {
            null => null,
            JsonObject g => (JsonObject)g.DeepClone(),
            _ => throw Bad(id, "geometry: not a GeoJSON geometry"),
        };
        Bounds? bbox = null;
        if (geometry is not null)
        {
            var box = (document["bbox"] as JsonArray)?.Select(v => JsonNumbers.IsNumber(v) ? JsonNumbers.ToDouble(v!) : double.NaN).ToArray();
            bbox = box switch
            {
                { Length: 4 } b when b.All(double.IsFinite) => new Bounds(b[0], b[1], b[2], b[3]),
                { Length: 6 } b when b.All(double.IsFinite) => new Bounds(b[0], b[1], b[3], b[4]),
                _ => throw Bad(id, "bbox: give 4 (or 6) numbers with the geometry"),
            };
        }
        var assets = new List<CatalogAsset>();
        foreach (var (key, node) in document["assets"] as JsonObject ?? [])
        {
            if (node is not JsonObject asset || Text(asset, "href") is not { } href)
            {
                throw Bad(id, $"assets.{key}.href: missing");
            }
            var extra = (JsonObject)asset.DeepClone();
            foreach (var known in new[] { "href", "type", "title", "roles", "file:checksum", "file:size" })
            {
                extra.Remove(known);
            }
            assets.Add(new CatalogAsset(key, Absolute(href, source), Text(asset, "type"), Text(asset, "title"),
                (asset["roles"] as JsonArray)?.Select(r => r?.ToString() ?? "").ToList(), Band(asset), Text(asset, "file:checksum"),
                JsonNumbers.IsNumber(asset["file:size"]) ? (long)JsonNumbers.ToDouble(asset["file:size"]!) : null, null, extra));
        }
        var links = new JsonArray((document["links"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(l => l["rel"]?.ToString() is not ("self" or "parent" or "collection" or "root"))
            .Select(l =>
            {
                var link = (JsonObject)l.DeepClone();
                if (Text(link, "href") is { } href)
                {
                    link["href"] = Absolute(href, source);
                }
                return (JsonNode?)link;
            }).ToArray());
        if (source is not null)
        {
            links.Add(StacItems.Link("via", source.ToString(), StacItems.GeoJsonMediaType, "The item this one was read from"));
        }
        var extensions = (document["stac_extensions"] as JsonArray)?.Select(e => e?.ToString() ?? "").Where(e => e.Length > 0).ToList();
        return new CatalogItem(into, id, dateTime, start.Value, end.Value, geometry, bbox,
            JsonNumbers.IsNumber(properties["eo:cloud_cover"]) ? JsonNumbers.ToDouble(properties["eo:cloud_cover"]!) : null,
            Text(properties, "platform"), GridCode(properties), (JsonObject)properties.DeepClone(), assets, links.Count > 0 ? links : null,
            Extensions: extensions);
    }

    /// <summary>
    /// A STAC Collection read into a catalog collection of <paramref name="kind"/>: its bands from <c>summaries.eo:bands</c>
    /// (or the <c>eo:bands</c> of its <c>item_assets</c>), its declared extent, other fields kept as they are.
    /// </summary>
    public static CatalogCollection Collection(JsonObject document, Uri? source, CollectionKind kind = CollectionKind.Harvested)
    {
        var id = Text(document, "id") ?? throw new CatalogException("STAC collection: id: missing");
        if (Text(document, "type") is not ("Collection" or null))
        {
            throw new CatalogException($"STAC collection '{id}': type: not \"Collection\"");
        }
        var summaries = document["summaries"] as JsonObject ?? [];
        var bands = new List<CatalogBand>();
        var declared = summaries["eo:bands"] as JsonArray
            ?? new JsonArray((document["item_assets"] as JsonObject ?? []).Select(a => a.Value?["eo:bands"] is JsonArray { Count: 1 } b ? b[0]?.DeepClone() : null)
                .Where(b => b is not null).ToArray());
        foreach (var band in declared.OfType<JsonObject>())
        {
            if (Text(band, "name") is { } name && bands.All(b => b.Name != name))
            {
                bands.Add(new CatalogBand(name, Text(band, "common_name"), Number(band, "center_wavelength"), Number(band, "full_width_half_max"),
                    Text(band, "description")));
            }
        }
        Bounds? bbox = null;
        if (document["extent"]?["spatial"]?["bbox"] is JsonArray { Count: > 0 } boxes && boxes[0] is JsonArray { Count: 4 or 6 } box
            && box.All(v => v?.GetValueKind() == JsonValueKind.Number))
        {
            var v = box.Select(n => JsonNumbers.ToDouble(n!)).ToArray();
            bbox = v.Length == 4 ? new Bounds(v[0], v[1], v[2], v[3]) : new Bounds(v[0], v[1], v[3], v[4]);
        }
        DateTimeOffset? start = null, end = null;
        if (document["extent"]?["temporal"]?["interval"] is JsonArray { Count: > 0 } intervals && intervals[0] is JsonArray { Count: 2 } interval)
        {
            start = interval[0]?.GetValueKind() == JsonValueKind.String ? ParseTime(interval[0]!.GetValue<string>()) : null;
            end = interval[1]?.GetValueKind() == JsonValueKind.String ? ParseTime(interval[1]!.GetValue<string>()) : null;
        }
        var extra = (JsonObject)document.DeepClone();
        foreach (var known in new[] { "type", "stac_version", "id", "title", "description", "license", "extent", "summaries", "links" })
        {
            extra.Remove(known);
        }
        var kept = (JsonObject)summaries.DeepClone();
        kept.Remove("eo:bands");
        return new CatalogCollection(id, Text(document, "title"), Text(document, "description") ?? id, Text(document, "license") ?? "other", kind,
            bands, kept, bbox, start, end, extra, source?.ToString());
    }

    private static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static double? Number(JsonObject document, string name) =>
        JsonNumbers.IsNumber(document[name]) ? JsonNumbers.ToDouble(document[name]!) : null;

    /// <summary>STAC's <c>grid:code</c>, or one made from Sentinel-2's MGRS tile or Landsat's WRS-2 path and row.</summary>
    private static string? GridCode(JsonObject properties)
    {
        if (Text(properties, "grid:code") is { } code)
        {
            return code;
        }
        if (Text(properties, "s2:mgrs_tile") is { } tile)
        {
            return "MGRS-" + tile;
        }
        var path = properties["landsat:wrs_path"]?.ToString();
        var row = properties["landsat:wrs_row"]?.ToString();
        return path is { Length: > 0 } && row is { Length: > 0 } ? $"WRS2-{path.PadLeft(3, '0')}{row.PadLeft(3, '0')}" : null;
    }

    /// <summary>The band an asset holds when it holds one: its common name, or its band name.</summary>
    private static string? Band(JsonObject asset) =>
        asset["eo:bands"] is JsonArray { Count: 1 } bands && bands[0] is JsonObject band ? Text(band, "common_name") ?? Text(band, "name") : null;

    /// <summary>An href against the document's address ("/x" is the path of that host; on this system "/x" would also parse as a file URI).</summary>
    private static string Absolute(string href, Uri? source) =>
        source is not null && (href.StartsWith('/') || !Uri.TryCreate(href, UriKind.Absolute, out _)) ? new Uri(source, href).ToString() : href;

    private static DateTimeOffset? Time(JsonObject properties, string name, string id)
    {
        var node = properties[name];
        if (node is null)
        {
            return null;
        }
        return node.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Bad(id, $"properties.{name}: '{node.ToJsonString()}' is not an RFC 3339 time");
    }

    private static string? Text(JsonObject document, string name) =>
        document[name] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static CatalogException Bad(string id, string problem) => new($"STAC item '{id}': {problem}");
}
