using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Catalog.Stac;
using Tessera.Raster.Rendering;
using Tessera.Server.Access;
using Tessera.Server.Api;
using Tessera.Tasks.Jobs;

namespace Tessera.Server.OpenEo;

/// <summary>
/// openEO secondary web services: a user's process graph published as map tiles (<c>XYZ</c>, or <c>WMTS</c> with its
/// KVP GetCapabilities and GetTile in the GoogleMapsCompatible tile matrix set), and as a WCS 2.0 coverage of its raw
/// values, whatever its type. Nothing is computed when a service is created: its graph is checked (the user-defined
/// processes it calls kept as they are then, as a job keeps them), then evaluated when
/// a map first asks (the catalog search, kept a while: <see cref="CoverageCache"/>), and each request computes only the
/// pixels it covers (<see cref="OgcMaps"/>). Listed, described, changed (PATCH: all but the type) and deleted by their
/// owner; their logs say what the evaluations found. A service's addresses carry a key of their own, so that map
/// clients read them without an Authorization header; a disabled service answers none of them.
/// </summary>
public static class OpenEoServices
{
    private static readonly string[] CreateFields = ["process", "type", "title", "description", "enabled", "configuration", "plan", "budget", "log_level"];

    private static readonly string[] UpdateFields = ["process", "title", "description", "enabled", "configuration", "plan", "budget", "log_level"];

    public static void MapOpenEoServices(this RouteGroupBuilder api)
    {
        api.MapGet("/service_types", ServiceTypes).AllowAnyone();
        api.MapPost("/services", CreateAsync).WithBodyLimit(Api.BodyLimits.Task);
        api.MapGet("/services", ListAsync);
        api.MapGet("/services/{service_id}", DescribeAsync);
        api.MapMethods("/services/{service_id}", ["PATCH"], UpdateAsync).WithBodyLimit(Api.BodyLimits.Task);
        api.MapDelete("/services/{service_id}", DeleteAsync);
        api.MapGet("/services/{service_id}/logs", LogsAsync);
    }

    private static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    private static IResult Json(JsonObject document, int status = 200) => Results.Text(document.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IResult ServiceTypes()
    {
        JsonObject Configuration() => new()
        {
            ["colormap"] = new JsonObject
            {
                ["description"] = "The colormap of a one-band map; by default red-yellow-green for an NDVI (its band named so), else viridis.",
                ["type"] = "string",
                ["enum"] = new JsonArray(Colormap.All.Select(c => (JsonNode?)c.Name).ToArray()),
            },
            ["rescale"] = new JsonObject
            {
                ["description"] = "The values at the low and high end of the colormap (or of each RGB channel); by default the 2-98 % range of an overview of the result (-1 to 1 for an NDVI).",
                ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number" }, ["minItems"] = 2, ["maxItems"] = 2,
            },
            ["bands"] = new JsonObject
            {
                ["description"] = "The bands shown (1-based): one through the colormap, or three as red, green and blue; by default the first (the first three of three or more).",
                ["type"] = "array", ["items"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 }, ["minItems"] = 1, ["maxItems"] = 3,
            },
        };
        const string Lazy = " Tiles are computed when asked for, only their pixels (the graph's catalog search is kept a while); the same values are readable through WCS 2.0 (the service's attributes give its address). Tile URLs carry a key of the service: no Authorization header is needed.";
        return Json(new JsonObject
        {
            ["XYZ"] = new JsonObject
            {
                ["title"] = "XYZ tiles",
                ["description"] = "PNG tiles of the Web Mercator grid (256 x 256, {z}/{x}/{y}), transparent where the result has no data." + Lazy,
                ["configuration"] = Configuration(),
                ["process_parameters"] = new JsonArray(),
                ["links"] = new JsonArray(StacItems.Link("about", "https://wiki.openstreetmap.org/wiki/Slippy_map_tilenames", "text/html", "XYZ tiles")),
            },
            ["WMTS"] = new JsonObject
            {
                ["title"] = "OGC Web Map Tile Service 1.0.0",
                ["description"] = "WMTS in KVP (GetCapabilities, GetTile): one layer, PNG tiles in the GoogleMapsCompatible tile matrix set (EPSG:3857)." + Lazy,
                ["configuration"] = Configuration(),
                ["process_parameters"] = new JsonArray(),
                ["links"] = new JsonArray(StacItems.Link("about", "https://www.ogc.org/standard/wmts/", "text/html", "OGC Web Map Tile Service")),
            },
        });
    }

    /// <summary>The service, when the caller may see it; openEO's ServiceNotFound otherwise.</summary>
    private static async Task<WebService> FindAsync(HttpContext context, DbJobStore store, string id, CancellationToken cancellationToken) =>
        await store.GetServiceAsync(id, Caller.Of(context).Visibility, cancellationToken)
            ?? throw new OpenEoException(StatusCodes.Status404NotFound, "ServiceNotFound", $"service '{id}' does not exist");

    private static async Task<JsonObject> BodyAsync(HttpContext context, string[] fields, CancellationToken cancellationToken)
    {
        var body = await Api.JsonBodies.ObjectAsync(context, cancellationToken);
        foreach (var (key, _) in body)
        {
            if (!fields.Contains(key))
            {
                throw key == "type"
                    ? new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "a service's type cannot change: create a new service")
                    : new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"'{key}' is not a field of a service (known: {string.Join(", ", fields)})");
            }
        }
        return body;
    }

    private static string? Text(JsonObject body, string name) => OpenEoFields.Text(body, name);

    private static double? Budget(JsonObject body) => OpenEoFields.Budget(body);

    private static bool Enabled(JsonObject body, bool current) => body["enabled"] switch
    {
        null when !body.ContainsKey("enabled") => current,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "enabled: give true or false"),
    };

    private static string LogLevel(JsonObject body, string current) => body["log_level"] switch
    {
        null when !body.ContainsKey("log_level") => current,
        JsonValue v when v.TryGetValue<string>(out var s) && WebService.LogLevels.Contains(s) => s,
        _ => throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"log_level: give one of {string.Join(", ", WebService.LogLevels)}"),
    };

    /// <summary>The type named without regard to case, as stored; openEO's ServiceUnsupported for another.</summary>
    private static string Type(JsonObject body) =>
        body["type"] is JsonValue v && v.TryGetValue<string>(out var name) && WebService.Types.FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase)) is { } type
            ? type
            : throw new OpenEoException(StatusCodes.Status400BadRequest, "ServiceUnsupported", $"type: give one of {string.Join(", ", WebService.Types)} (GET /service_types)");

    /// <summary>The configuration checked: only the settings of <c>GET /service_types</c>, each of its type.</summary>
    private static string Configuration(JsonObject body, string current)
    {
        if (!body.ContainsKey("configuration"))
        {
            return current;
        }
        if (body["configuration"] is null)
        {
            return "{}";
        }
        if (body["configuration"] is not JsonObject configuration)
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "configuration: give an object");
        }
        ServiceStyle.Parse(configuration);
        return configuration.ToJsonString();
    }

    /// <summary>The user-defined processes a service keeps (null: its graph calls none), as a job keeps them.</summary>
    private static string? Snapshot(Tessera.Processing.Graphs.UserDefined.UserProcesses user) => user.Count == 0 ? null : user.ToSnapshot();

    private static async Task<IResult> CreateAsync(HttpContext context, DbJobStore store, CancellationToken cancellationToken)
    {
        var body = await BodyAsync(context, CreateFields, cancellationToken);
        var type = Type(body);
        var (_, user) = await OpenEoProcessGraphs.ReadGraphAsync(context, store, body["process"], cancellationToken);
        var service = await store.CreateServiceAsync(Caller.Of(context).User, type, Text(body, "title"), Text(body, "description"), body["process"]!.ToJsonString(),
            Enabled(body, true), Configuration(body, "{}"), Text(body, "plan"), Budget(body), LogLevel(body, "info"), Snapshot(user), cancellationToken);
        context.Response.Headers.Location = $"{Base(context)}{OpenEoApi.Root}/services/{service.Id}";
        context.Response.Headers["OpenEO-Identifier"] = service.Id;
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    /// <summary>What a list shows of a service (no process, configuration or attributes, as the API recommends).</summary>
    private static JsonObject Summary(HttpContext context, WebService service, ResultLinks links)
    {
        var summary = new JsonObject
        {
            ["id"] = service.Id,
            ["title"] = service.Title,
            ["description"] = service.Description,
            ["url"] = OgcMaps.ServiceUrl(Base(context), service, links),
            ["type"] = service.Type,
            ["enabled"] = service.Enabled,
            ["created"] = Time(service.Created),
            ["log_level"] = service.LogLevel,
        };
        if (service.Plan is not null)
        {
            summary["plan"] = service.Plan;
        }
        if (service.Budget is not null)
        {
            summary["budget"] = service.Budget;
        }
        return summary;
    }

    private static async Task<IResult> ListAsync(HttpContext context, DbJobStore store, ResultLinks links, CancellationToken cancellationToken)
    {
        var limit = int.TryParse(context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, 1000) : 1000;
        var list = new JsonArray();
        foreach (var service in await store.ListServicesAsync(Caller.Of(context).Visibility, limit, cancellationToken))
        {
            list.Add(Summary(context, service, links));
        }
        return Json(new JsonObject { ["services"] = list, ["links"] = new JsonArray() });
    }

    private static async Task<IResult> DescribeAsync(HttpContext context, string service_id, DbJobStore store, ResultLinks links, CancellationToken cancellationToken)
    {
        var service = await FindAsync(context, store, service_id, cancellationToken);
        var document = Summary(context, service, links);
        document["process"] = JsonNode.Parse(service.Process);
        document["configuration"] = JsonNode.Parse(service.Configuration);
        document["attributes"] = OgcMaps.ServiceAttributes(Base(context), service, links);
        return Json(document);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string service_id, DbJobStore store, CoverageCache coverages, CancellationToken cancellationToken)
    {
        var service = await FindAsync(context, store, service_id, cancellationToken);
        var body = await BodyAsync(context, UpdateFields, cancellationToken);
        var userProcesses = service.UserProcesses;
        if (body.ContainsKey("process"))
        {
            userProcesses = Snapshot((await OpenEoProcessGraphs.ReadGraphAsync(context, store, body["process"], cancellationToken)).User);
        }
        await store.UpdateServiceAsync(service with
        {
            Title = body.ContainsKey("title") ? Text(body, "title") : service.Title,
            Description = body.ContainsKey("description") ? Text(body, "description") : service.Description,
            Process = body["process"]?.ToJsonString() ?? service.Process,
            Enabled = Enabled(body, service.Enabled),
            Configuration = Configuration(body, service.Configuration),
            Plan = body.ContainsKey("plan") ? Text(body, "plan") : service.Plan,
            Budget = body.ContainsKey("budget") ? Budget(body) : service.Budget,
            LogLevel = LogLevel(body, service.LogLevel),
            UserProcesses = userProcesses,
        }, cancellationToken);
        coverages.Forget(OgcMaps.CacheKeyPrefix(service));
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string service_id, DbJobStore store, CoverageCache coverages, CancellationToken cancellationToken)
    {
        var service = await FindAsync(context, store, service_id, cancellationToken);
        await store.DeleteServiceAsync(service.Id, cancellationToken);
        coverages.Forget(OgcMaps.CacheKeyPrefix(service));
        return Results.NoContent();
    }

    private static async Task<IResult> LogsAsync(HttpContext context, string service_id, DbJobStore store, CancellationToken cancellationToken)
    {
        var service = await FindAsync(context, store, service_id, cancellationToken);
        return await OpenEoLogs.AnswerAsync(context, (after, limit) => store.ServiceLogsAsync(service.Id, after, limit, cancellationToken));
    }
}
