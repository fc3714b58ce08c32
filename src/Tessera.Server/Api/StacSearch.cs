using System.Globalization;
using System.Text.Json.Nodes;

namespace Tessera.Server.Api;

/// <summary>
/// A STAC API item search: <c>bbox</c> (west, south, east, north in WGS 84), <c>datetime</c> (an instant, or
/// an interval "start/end" with ".." for an open end), <c>collections</c>, <c>ids</c>, <c>limit</c> (1..1000,
/// default 10) and <c>page</c> (1-based). Parsed from query text or a JSON body; a bad value names itself.
/// </summary>
public sealed record StacSearch(double[]? Bbox, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string>? Collections,
    IReadOnlyList<string>? Ids, int Limit, int Page, string? Datetime)
{
    public static StacSearch FromQuery(string? bbox, string? datetime, string? collections, string? ids, string? limit, string? page) =>
        Make(bbox?.Split(',').Select(v => Number(v, "bbox")).ToArray(), datetime, List(collections), List(ids),
            limit is null ? null : (int)Number(limit, "limit"), page is null ? null : (int)Number(page, "page"));

    public static StacSearch FromBody(JsonObject? body)
    {
        body ??= [];
        double[]? bbox = body["bbox"] is JsonArray box ? box.Select(v => Value<double>(v, "bbox")).ToArray() : null;
        string[]? Strings(string name) => body[name] is JsonArray array ? array.Select(v => Value<string>(v, name)).ToArray() : null;
        return Make(bbox, body["datetime"] is { } d ? Value<string>(d, "datetime") : null, Strings("collections"), Strings("ids"),
            body["limit"] is { } l ? Value<int>(l, "limit") : null, body["page"] is { } p ? Value<int>(p, "page") : null);
    }

    /// <summary>Whether an item matches the filters (collections are chosen before).</summary>
    public bool Matches(JsonObject item)
    {
        if (Ids is not null && !Ids.Contains(item["id"]!.GetValue<string>()))
        {
            return false;
        }
        if (Bbox is { } b)
        {
            var box = item["bbox"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            if (box[0] > b[2] || box[2] < b[0] || box[1] > b[3] || box[3] < b[1])
            {
                return false;
            }
        }
        var time = DateTimeOffset.Parse(item["properties"]!["datetime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        return (From is null || time >= From) && (To is null || time <= To);
    }

    /// <summary>This search as a JSON body, on another page (for a POST "next" link).</summary>
    public JsonObject ToBody(int page)
    {
        var body = new JsonObject { ["limit"] = Limit, ["page"] = page };
        if (Bbox is not null)
        {
            body["bbox"] = new JsonArray(Bbox.Select(v => (JsonNode)v).ToArray());
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
        return body;
    }

    /// <summary>This search as query text, on another page (for a GET "next" link).</summary>
    public string ToQuery(int page)
    {
        var parts = new List<string> { $"limit={Limit}", $"page={page}" };
        if (Bbox is not null)
        {
            parts.Add("bbox=" + string.Join(',', Bbox.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        if (Datetime is not null)
        {
            parts.Add("datetime=" + Uri.EscapeDataString(Datetime));
        }
        if (Collections is not null)
        {
            parts.Add("collections=" + Uri.EscapeDataString(string.Join(',', Collections)));
        }
        if (Ids is not null)
        {
            parts.Add("ids=" + Uri.EscapeDataString(string.Join(',', Ids)));
        }
        return string.Join('&', parts);
    }

    private static StacSearch Make(double[]? bbox, string? datetime, IReadOnlyList<string>? collections, IReadOnlyList<string>? ids,
        int? limit, int? page)
    {
        if (bbox is not null && (bbox.Length != 4 || bbox[0] > bbox[2] || bbox[1] > bbox[3] || bbox.Any(v => !double.IsFinite(v))))
        {
            throw new ApiErrors.BadRequestException("bbox: give west,south,east,north in degrees, west <= east and south <= north");
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
        return new StacSearch(bbox, from, to, collections, ids, limit ?? 10, page ?? 1, string.IsNullOrWhiteSpace(datetime) ? null : datetime);
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
