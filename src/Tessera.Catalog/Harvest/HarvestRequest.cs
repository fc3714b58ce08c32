using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Stac;
using Tessera.Raster;

namespace Tessera.Catalog.Harvest;

/// <summary>
/// What to copy from another catalog: <c>source</c> (a STAC API's root, or a static catalog, collection or item
/// document), and optionally <c>collections</c>, <c>bbox</c> (west, south, east, north), <c>datetime</c> (an instant
/// or "start/end", ".." open), <c>cloud</c> (largest <c>eo:cloud_cover</c>, 0-100) and <c>maxItems</c>. The same
/// fields in the API's body, the task's parameters and the command's options; an unknown field is refused.
/// </summary>
public sealed record HarvestRequest(Uri Source, IReadOnlyList<string>? Collections = null, Bounds? Bbox = null, DateTimeOffset? From = null,
    DateTimeOffset? To = null, double? Cloud = null, int? MaxItems = null, string? Datetime = null)
{
    private static readonly string[] Fields = ["source", "collections", "bbox", "datetime", "cloud", "maxItems"];

    public static HarvestRequest FromJson(JsonObject body)
    {
        foreach (var (key, _) in body)
        {
            if (!Fields.Contains(key))
            {
                throw new CatalogException($"{key}: not a field of a harvest (known: {string.Join(", ", Fields)})");
            }
        }
        var sourceText = String(body, "source") ?? throw new CatalogException("source: required (a STAC API root, or a STAC catalog, collection or item URL)");
        if (!Uri.TryCreate(sourceText, UriKind.Absolute, out var source) || source.Scheme is not ("http" or "https"))
        {
            throw new CatalogException($"source: '{sourceText}' is not an http or https URL");
        }
        IReadOnlyList<string>? collections = body["collections"] switch
        {
            null => null,
            JsonArray a when a.All(v => v?.GetValueKind() == JsonValueKind.String) && a.Count > 0 => a.Select(v => v!.GetValue<string>()).ToList(),
            _ => throw new CatalogException("collections: give a non-empty array of collection ids"),
        };
        Bounds? bbox = null;
        if (body["bbox"] is not null)
        {
            var b = body["bbox"] is JsonArray { Count: 4 } box && box.All(v => v?.GetValueKind() == JsonValueKind.Number)
                ? box.Select(v => JsonNumbers.ToDouble(v!)).ToArray()
                : throw new CatalogException("bbox: give [west, south, east, north] in degrees");
            if (b[0] > b[2] || b[1] > b[3] || b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90)
            {
                throw new CatalogException("bbox: give [west, south, east, north] in degrees, west <= east and south <= north");
            }
            bbox = new Bounds(b[0], b[1], b[2], b[3]);
        }
        var datetime = String(body, "datetime");
        DateTimeOffset? from = null, to = null;
        if (datetime is not null)
        {
            var parts = datetime.Split('/');
            if (parts.Length > 2)
            {
                throw new CatalogException($"datetime: '{datetime}' is not an RFC 3339 time or an interval start/end");
            }
            from = Instant(parts[0], datetime);
            to = parts.Length == 2 ? Instant(parts[1], datetime) : from;
            if (from > to)
            {
                throw new CatalogException($"datetime: '{datetime}' ends before it starts");
            }
        }
        double? cloud = body["cloud"] switch
        {
            null => null,
            JsonValue v when JsonNumbers.IsNumber(v) && JsonNumbers.ToDouble(v) is >= 0 and <= 100 => JsonNumbers.ToDouble(v),
            _ => throw new CatalogException("cloud: give the largest cloud cover kept, from 0 to 100 (%)"),
        };
        int? maxItems = body["maxItems"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<int>(out var n) && n > 0 => n,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && d == Math.Floor(d) && d is > 0 and <= int.MaxValue => (int)d,
            _ => throw new CatalogException("maxItems: give a whole number of 1 or more"),
        };
        return new HarvestRequest(source, collections, bbox, from, to, cloud, maxItems, datetime);
    }

    public JsonObject ToJson()
    {
        var body = new JsonObject { ["source"] = Source.ToString() };
        if (Collections is not null)
        {
            body["collections"] = new JsonArray(Collections.Select(c => (JsonNode?)c).ToArray());
        }
        if (Bbox is { } b)
        {
            body["bbox"] = new JsonArray(b.MinX, b.MinY, b.MaxX, b.MaxY);
        }
        if (Datetime is not null)
        {
            body["datetime"] = Datetime;
        }
        if (Cloud is { } cloud)
        {
            body["cloud"] = cloud;
        }
        if (MaxItems is { } max)
        {
            body["maxItems"] = max;
        }
        return body;
    }

    /// <summary>Whether an item read from the source passes the filters (the server of a STAC API applies them too).</summary>
    public bool Keeps(Scenes.CatalogItem item) =>
        (Collections is null || Collections.Contains(item.Collection))
        && (Bbox is not { } b || item.Bbox is { } i && i.MaxX >= b.MinX && i.MinX <= b.MaxX && i.MaxY >= b.MinY && i.MinY <= b.MaxY)
        && (From is not { } from || item.End >= from)
        && (To is not { } to || item.Start <= to)
        && (Cloud is not { } cloud || item.CloudCover is { } c && c <= cloud);

    private static string? String(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new CatalogException($"{name}: give a string"),
    };

    private static DateTimeOffset? Instant(string text, string whole) =>
        text is ".." or "" ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new CatalogException($"datetime: '{whole}' is not an RFC 3339 time or an interval start/end");
}
