using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Raster;
using Tessera.Raster.Features;

namespace Tessera.Server.Api;

/// <summary>
/// A STAC API item search: <c>bbox</c> (west, south, east, north in WGS 84), <c>intersects</c> (a GeoJSON geometry),
/// <c>datetime</c> (an instant, or an interval "start/end" with ".." for an open end), <c>collections</c>, <c>ids</c>,
/// <c>query</c> (the query extension: <c>{"eo:cloud_cover": {"lt": 30}}</c>), <c>sortby</c> (the sort extension:
/// "-eo:cloud_cover,+datetime" in a query, <c>[{"field", "direction"}]</c> in a body), <c>limit</c> (1..1000, default
/// 10) and <c>page</c> (1-based). Parsed from query text or a JSON body; a bad value, or a parameter the API does not
/// know, names itself.
/// </summary>
public sealed record StacSearch(double[]? Bbox, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string>? Collections,
    IReadOnlyList<string>? Ids, int Limit, int Page, string? Datetime, JsonObject? Intersects = null, JsonObject? Query = null,
    IReadOnlyList<SortField>? SortBy = null)
{
    /// <summary>What a search accepts (the paging of a next link included).</summary>
    public static readonly string[] SearchParameters = ["bbox", "intersects", "datetime", "collections", "ids", "query", "sortby", "limit", "page"];

    /// <summary>What the items of one collection accept.</summary>
    public static readonly string[] ItemsParameters = ["bbox", "datetime", "query", "sortby", "limit", "page"];

    private static readonly Dictionary<string, QueryOperator> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = QueryOperator.Eq,
        ["neq"] = QueryOperator.Neq,
        ["lt"] = QueryOperator.Lt,
        ["lte"] = QueryOperator.Lte,
        ["gt"] = QueryOperator.Gt,
        ["gte"] = QueryOperator.Gte,
        ["startsWith"] = QueryOperator.StartsWith,
        ["endsWith"] = QueryOperator.EndsWith,
        ["contains"] = QueryOperator.Contains,
        ["in"] = QueryOperator.In,
    };

    /// <summary>A search from query text; <paramref name="allowed"/> is what this endpoint accepts.</summary>
    public static StacSearch FromQuery(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> query, string[] allowed,
        string? collection = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in query)
        {
            if (!allowed.Contains(key))
            {
                throw Unknown(key, allowed);
            }
            values[key] = value.ToString();
        }
        string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;
        return Make(Get("bbox")?.Split(',').Select(v => Number(v, "bbox")).ToArray(), Get("datetime"),
            collection is not null ? [collection] : List(Get("collections")), List(Get("ids")),
            Get("limit") is { } limit ? (int)Number(limit, "limit") : null, Get("page") is { } page ? (int)Number(page, "page") : null,
            Get("intersects") is { } intersects ? ParseObject(intersects, "intersects") : null,
            Get("query") is { } q ? ParseObject(q, "query") : null,
            Get("sortby") is { } sortby ? SortText(sortby) : null);
    }

    public static StacSearch FromBody(JsonObject? body)
    {
        body ??= [];
        foreach (var (key, _) in body)
        {
            if (!SearchParameters.Contains(key))
            {
                throw Unknown(key, SearchParameters);
            }
        }
        double[]? bbox = body["bbox"] is JsonArray box ? box.Select(v => Value<double>(v, "bbox")).ToArray()
            : body["bbox"] is null ? null : throw new ApiErrors.BadRequestException("bbox: give [west, south, east, north]");
        string[]? Strings(string name) => body[name] is JsonArray array ? array.Select(v => Value<string>(v, name)).ToArray()
            : body[name] is null ? null : throw new ApiErrors.BadRequestException($"{name}: give an array of strings");
        JsonObject? Object(string name) => body[name] is null ? null
            : body[name] as JsonObject ?? throw new ApiErrors.BadRequestException($"{name}: give a JSON object");
        return Make(bbox, body["datetime"] is { } d ? Value<string>(d, "datetime") : null, Strings("collections"), Strings("ids"),
            body["limit"] is { } l ? Value<int>(l, "limit") : null, body["page"] is { } p ? Value<int>(p, "page") : null,
            Object("intersects"), Object("query"), body["sortby"] is { } s ? SortBody(s) : null);
    }

    /// <summary>
    /// The catalog search of this page, for items <paramref name="visibility"/> may see. The intersects geometry is
    /// read by GDAL: dispose the result's <see cref="ItemSearch.Intersects"/> after the search.
    /// </summary>
    public ItemSearch ToItemSearch(string? visibility)
    {
        GeoJsonGeometry? geometry = null;
        if (Intersects is not null)
        {
            try
            {
                geometry = GeoJsonGeometry.Parse(Intersects.ToJsonString());
            }
            catch (RasterArgumentException e)
            {
                throw new ApiErrors.BadRequestException($"intersects: {e.Message}");
            }
        }
        var filters = new List<PropertyFilter>();
        foreach (var (property, comparisons) in Query ?? [])
        {
            if (comparisons is not JsonObject operators || operators.Count == 0)
            {
                throw new ApiErrors.BadRequestException($"query: {property}: give an object of comparisons such as {{\"lt\": 30}}");
            }
            foreach (var (name, value) in operators)
            {
                if (!Operators.TryGetValue(name, out var op))
                {
                    throw new ApiErrors.BadRequestException($"query: {property}: unknown operator '{name}' (known: {string.Join(", ", Operators.Keys)})");
                }
                var kind = value?.GetValueKind();
                var fits = op == QueryOperator.In
                    ? value is JsonArray { Count: > 0 } list && list.All(v => v?.GetValueKind() is JsonValueKind.Number or JsonValueKind.String)
                    : kind is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False;
                if (!fits)
                {
                    throw new ApiErrors.BadRequestException($"query: {property}.{name}: give {(op == QueryOperator.In ? "a non-empty array of numbers or strings" : "a number, a string or a boolean")}");
                }
                if (property == "datetime" && (kind != JsonValueKind.String || !DateTimeOffset.TryParse(value!.GetValue<string>(),
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)))
                {
                    throw new ApiErrors.BadRequestException($"query: datetime.{name}: give an RFC 3339 time");
                }
                filters.Add(new PropertyFilter(property, op, value!.DeepClone()));
            }
        }
        return new ItemSearch(Collections, Ids, Bbox is { } b ? new Bounds(b[0], b[1], b[2], b[3]) : null, geometry, From, To, filters, SortBy,
            Limit, (Page - 1) * Limit, visibility);
    }

    /// <summary>This search as a JSON body, on another page (for a POST "next" link).</summary>
    public JsonObject ToBody(int page)
    {
        var body = new JsonObject { ["limit"] = Limit, ["page"] = page };
        if (Bbox is not null)
        {
            body["bbox"] = new JsonArray(Bbox.Select(v => (JsonNode)v).ToArray());
        }
        if (Intersects is not null)
        {
            body["intersects"] = Intersects.DeepClone();
        }
        if (Datetime is not null)
        {
            body["datetime"] = Datetime;
        }
        if (Collections is not null)
        {
            body["collections"] = new JsonArray(Collections.Select(c => (JsonNode)c).ToArray());
        }
        if (Ids is not null)
        {
            body["ids"] = new JsonArray(Ids.Select(c => (JsonNode)c).ToArray());
        }
        if (Query is not null)
        {
            body["query"] = Query.DeepClone();
        }
        if (SortBy is not null)
        {
            body["sortby"] = new JsonArray(SortBy.Select(s => (JsonNode)new JsonObject { ["field"] = s.Field, ["direction"] = s.Descending ? "desc" : "asc" }).ToArray());
        }
        return body;
    }

    /// <summary>This search as query text, on another page (for a GET "next" link); <paramref name="withCollections"/> false on a collection's items.</summary>
    public string ToQuery(int page, bool withCollections = true)
    {
        var parts = new List<string> { $"limit={Limit}", $"page={page}" };
        if (Bbox is not null)
        {
            parts.Add("bbox=" + string.Join(',', Bbox.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        if (Intersects is not null)
        {
            parts.Add("intersects=" + Uri.EscapeDataString(Intersects.ToJsonString()));
        }
        if (Datetime is not null)
        {
            parts.Add("datetime=" + Uri.EscapeDataString(Datetime));
        }
        if (withCollections && Collections is not null)
        {
            parts.Add("collections=" + Uri.EscapeDataString(string.Join(',', Collections)));
        }
        if (Ids is not null)
        {
            parts.Add("ids=" + Uri.EscapeDataString(string.Join(',', Ids)));
        }
        if (Query is not null)
        {
            parts.Add("query=" + Uri.EscapeDataString(Query.ToJsonString()));
        }
        if (SortBy is not null)
        {
            parts.Add("sortby=" + Uri.EscapeDataString(string.Join(',', SortBy.Select(s => (s.Descending ? "-" : "+") + s.Field))));
        }
        return string.Join('&', parts);
    }

    private static StacSearch Make(double[]? bbox, string? datetime, IReadOnlyList<string>? collections, IReadOnlyList<string>? ids,
        int? limit, int? page, JsonObject? intersects, JsonObject? query, IReadOnlyList<SortField>? sortby)
    {
        if (bbox is not null && (bbox.Length != 4 || bbox[0] > bbox[2] || bbox[1] > bbox[3] || bbox.Any(v => !double.IsFinite(v))))
        {
            throw new ApiErrors.BadRequestException("bbox: give west,south,east,north in degrees, west <= east and south <= north");
        }
        if (bbox is not null && intersects is not null)
        {
            throw new ApiErrors.BadRequestException("bbox and intersects: give one of them, not both");
        }
        if (limit is < 1 or > 1000)
        {
            throw new ApiErrors.BadRequestException("limit: between 1 and 1000");
        }
        if (page is < 1)
        {
            throw new ApiErrors.BadRequestException("page: 1 or more");
        }
        DateTimeOffset? from = null, to = null;
        if (!string.IsNullOrWhiteSpace(datetime))
        {
            var parts = datetime.Split('/');
            if (parts.Length > 2)
            {
                throw new ApiErrors.BadRequestException($"datetime: '{datetime}' is not an RFC 3339 time or an interval start/end");
            }
            from = Instant(parts[0], datetime);
            to = parts.Length == 2 ? Instant(parts[1], datetime) : from;
            if (from is not null && to is not null && from > to)
            {
                throw new ApiErrors.BadRequestException($"datetime: '{datetime}' ends before it starts");
            }
        }
        return new StacSearch(bbox, from, to, collections, ids, limit ?? 10, page ?? 1, string.IsNullOrWhiteSpace(datetime) ? null : datetime,
            intersects, query, sortby);
    }

    private static ApiErrors.BadRequestException Unknown(string name, string[] allowed) =>
        new($"{name}: not a parameter of this search (known: {string.Join(", ", allowed)})");

    private static IReadOnlyList<SortField> SortText(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part => part[0] switch
        {
            '-' => Sort(part[1..], true),
            '+' or ' ' => Sort(part[1..].Trim(), false),
            _ => Sort(part, false),
        }).ToList();

    private static IReadOnlyList<SortField> SortBody(JsonNode node)
    {
        if (node is not JsonArray array)
        {
            throw new ApiErrors.BadRequestException("sortby: give an array of {\"field\": ..., \"direction\": \"asc\" or \"desc\"}");
        }
        return array.Select(entry =>
        {
            if (entry is not JsonObject o || o["field"]?.GetValueKind() != JsonValueKind.String
                || o.Any(p => p.Key is not ("field" or "direction")))
            {
                throw new ApiErrors.BadRequestException("sortby: give an array of {\"field\": ..., \"direction\": \"asc\" or \"desc\"}");
            }
            var direction = o["direction"] is null ? "asc" : Value<string>(o["direction"], "sortby.direction");
            return direction is "asc" or "desc"
                ? Sort(o["field"]!.GetValue<string>(), direction == "desc")
                : throw new ApiErrors.BadRequestException($"sortby: direction '{direction}' is not asc or desc");
        }).ToList();
    }

    private static SortField Sort(string field, bool descending) =>
        string.IsNullOrWhiteSpace(field) ? throw new ApiErrors.BadRequestException("sortby: a field name is missing") : new SortField(field, descending);

    private static JsonObject ParseObject(string text, string name)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new ApiErrors.BadRequestException($"{name}: give a JSON object");
        }
        catch (JsonException e)
        {
            throw new ApiErrors.BadRequestException($"{name}: not JSON: {e.Message}");
        }
    }

    private static DateTimeOffset? Instant(string text, string whole)
    {
        if (text is ".." or "")
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new ApiErrors.BadRequestException($"datetime: '{whole}' is not an RFC 3339 time or an interval start/end");
    }

    private static IReadOnlyList<string>? List(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static double Number(string text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ApiErrors.BadRequestException($"{name}: '{text}' is not a number");

    private static T Value<T>(JsonNode? node, string name)
    {
        try
        {
            return node is null ? throw new InvalidOperationException() : node.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ApiErrors.BadRequestException($"{name}: '{node?.ToJsonString()}' is not {(typeof(T) == typeof(string) ? "a string" : "a number")}");
        }
    }
}
