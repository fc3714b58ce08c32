using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Catalog;
using Tessera.Catalog.Harvest;
using Tessera.Catalog.Scenes;
using Tessera.Host.Catalog;
using Tessera.Host.Radcor;
using Tessera.Tasks;
using Tessera.Raster;
using Tessera.Server.Access;

namespace Tessera.Server.Api;

/// <summary>
/// The collection builder's <c>POST /api/radcor</c>: a search of a catalog (<c>catalog</c>: a provider of the harvest
/// configuration, or the address of a STAC API or static catalog; <c>dataset</c>: its collection) by a box (<c>w s e
/// n</c>), scene ids (<c>scenes</c>) or grid tiles (<c>tiles</c>), times (<c>start</c>, <c>end</c>, both included) and
/// <c>cloud</c> (at most, 100 by default). <c>action: preview</c> answers the scenes found in the collection builder's
/// shape (by scene id: <c>pathrow</c>, <c>sceneid</c>, <c>type</c>, <c>date</c>, <c>cloud</c>, <c>footprint</c> WKT,
/// <c>tileid</c>, <c>size</c>, <c>link</c>, <c>icon</c>; and <c>Results</c>). <c>action: start</c> (writers) also
/// dispatches the <c>tasks</c> chains on every scene found (<see cref="RadcorDispatch"/>), each scene answered with its
/// <c>activities</c>. <c>GET /api/radcor/restart?ids=1,2</c> or <c>?status=DOWNLOAD_FAILED</c> (or <c>FAILED</c>: any
/// failure) restarts those of the caller's failed activities; <c>GET /api/radcor/activities</c> lists them with their
/// statuses (<c>sceneid</c>, <c>type</c>, <c>collection</c>, <c>status</c> filter them).
/// </summary>
public static class RadcorApi
{
    private static readonly string[] Fields = ["w", "s", "e", "n", "scenes", "tiles", "catalog", "catalog_args", "dataset", "start", "end", "cloud", "action", "force", "tasks"];

    public static void MapRadcorApi(this WebApplication app)
    {
        app.MapPost("/api/radcor", RadcorAsync).RequireRole(Role.Read);
        app.MapGet("/api/radcor/restart", RestartAsync).RequireRole(Role.Write);
        app.MapGet("/api/radcor/activities", ActivitiesAsync).RequireRole(Role.Read);
    }

    private static async Task<IResult> RadcorAsync(HttpContext context, Tessera.Host.ServiceParts parts, HarvestConfiguration harvests,
        Tessera.Tasks.Workers.TaskSignal signal, CancellationToken cancellationToken)
    {
        var body = await JsonBodies.ObjectAsync(context, cancellationToken);
        foreach (var (key, _) in body)
        {
            if (!Fields.Contains(key))
            {
                throw new ApiErrors.BadRequestException($"'{key}' is not a field of a radcor request (known: {string.Join(", ", Fields)})");
            }
        }
        var action = Text(body, "action") ?? throw new ApiErrors.BadRequestException("action: give preview or start");
        if (action is not ("preview" or "start"))
        {
            throw new ApiErrors.BadRequestException($"action: '{action}' is not preview or start");
        }
        var caller = Caller.Of(context);
        IReadOnlyList<RadcorStep>? steps = null;
        if (action == "start")
        {
            if (caller.Role < Role.Write)
            {
                return ApiErrors.Problem(StatusCodes.Status403Forbidden, "action start: dispatching tasks needs the write role");
            }
            try
            {
                steps = RadcorStep.Parse(body["tasks"]);
            }
            catch (RadcorException e)
            {
                throw new ApiErrors.BadRequestException(e.Message);
            }
        }
        else if (body["tasks"] is not null)
        {
            // Checked all the same: a preview of a request that could not start says so.
            try
            {
                _ = RadcorStep.Parse(body["tasks"]);
            }
            catch (RadcorException e)
            {
                throw new ApiErrors.BadRequestException(e.Message);
            }
        }
        var force = body["force"] switch
        {
            null => false,
            JsonValue f when f.TryGetValue<bool>(out var b) => b,
            _ => throw new ApiErrors.BadRequestException("force: true or false"),
        };

        var catalog = Text(body, "catalog") ?? throw new ApiErrors.BadRequestException("catalog: give a provider of the harvest configuration or a STAC address");
        var root = harvests.Providers.TryGetValue(catalog, out var provider) ? provider
            : Uri.TryCreate(catalog, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url
            : throw new ApiErrors.BadRequestException(
                $"catalog: '{catalog}' is neither a provider of the harvest configuration (known: {string.Join(", ", harvests.Providers.Keys)}) nor a STAC address");
        var box = Box(body);
        var scenes = Strings(body, "scenes");
        var tiles = Strings(body, "tiles");
        if (box is null && scenes is null && tiles is null)
        {
            throw new ApiErrors.BadRequestException("give w, s, e and n, or scenes, or tiles");
        }
        var start = Time(body, "start");
        var end = Time(body, "end");
        var cloud = body["cloud"] is null ? 100 : body["cloud"] is JsonValue c && c.TryGetValue<double>(out var cc) && cc is >= 0 and <= 100 ? cc
            : throw new ApiErrors.BadRequestException("cloud: a number from 0 to 100");
        // The catalog's credentials, when the request gives them: for its search and the downloads it dispatches.
        var credentials = CatalogArgs(body, root);
        using var withCredentials = credentials is null ? null : parts.Assets.WithCredentials([credentials]);
        var assets = withCredentials ?? parts.Assets;
        List<CatalogItem> items;
        try
        {
            var address = await CollectionAsync(assets, root, Text(body, "dataset"), cancellationToken);
            items = await new StacItemLister(assets).ListAsync(new StacListing(address, box, start, end?.AddMilliseconds(1),
                item => (scenes is null || scenes.Contains(item.Id)) && (tiles is null || (Tile(item) is { } t && tiles.Contains(t)))
                    && (item.CloudCover is not { } cover || cover <= cloud)), cancellationToken);
        }
        catch (CatalogException e)
        {
            throw new ApiErrors.BadRequestException(e.Message);
        }
        IReadOnlyDictionary<string, IReadOnlyList<RadcorActivity>>? started = null;
        if (steps is not null)
        {
            try
            {
                // The request as kept with the dispatch, without the secrets.
                var kept = (JsonObject)body.DeepClone();
                kept.Remove("catalog_args");
                started = await new RadcorDispatch(parts.Catalog, parts.Tasks, parts.Ingestions).StartAsync(items, steps, force, caller.User,
                    $"radcor {Text(body, "dataset") ?? catalog}", kept.ToJsonString(), $"Scenes of {Text(body, "dataset") ?? "a catalog"} from {catalog}",
                    credentials is null ? null : parts.Assets.KeepCredentials(credentials), cancellationToken);
            }
            catch (RadcorException e)
            {
                throw new ApiErrors.BadRequestException(e.Message);
            }
            signal.Notify();
        }
        var answer = new JsonObject();
        foreach (var item in items)
        {
            var scene = Scene(item);
            if (started is not null)
            {
                scene["activities"] = new JsonArray(started[item.Id].Select(a => (JsonNode)new JsonObject
                {
                    ["id"] = a.Id, ["activity_type"] = a.Type, ["collection_id"] = a.Collection,
                }).ToArray());
            }
            answer[item.Id] = scene;
        }
        answer["Results"] = items.Count;
        return Results.Text(answer.ToJsonString(), "application/json", Encoding.UTF8);
    }

    /// <summary>Restarts failed activities of the caller's, named by id or all of one failed status (or FAILED: any).</summary>
    private static async Task<IResult> RestartAsync(HttpContext context, string? ids, string? status, Tessera.Host.ServiceParts parts,
        Tessera.Tasks.Workers.TaskSignal signal, CancellationToken cancellationToken)
    {
        if ((ids is null) == (status is null))
        {
            throw new ApiErrors.BadRequestException("give ids (activity ids, comma-separated) or status (DOWNLOAD_FAILED, PROCESSING_FAILED, PUBLISH_FAILED or FAILED)");
        }
        var caller = Caller.Of(context);
        var activities = await parts.Ingestions.TasksOfKindAsync(Tessera.Tasks.Ingest.DbIngestionStore.Radcor, caller.Visibility, cancellationToken);
        var mine = activities.Select(a => a.TaskId).ToHashSet();
        IEnumerable<long> wanted;
        if (ids is not null)
        {
            var asked = ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(i => long.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                    : throw new ApiErrors.BadRequestException($"ids: '{i}' is not an activity id")).ToList();
            foreach (var id in asked.Where(i => !mine.Contains(i)))
            {
                throw new ApiErrors.NotFoundException($"activity {id} does not exist");
            }
            wanted = asked;
        }
        else
        {
            wanted = mine;
        }
        var failed = status switch
        {
            null or "FAILED" => Tessera.Tasks.TaskStatuses.Failed,
            _ => Tessera.Tasks.TaskStatuses.Failed.FirstOrDefault(s => s.SeedName() == status) is var named && named.SeedName() == status
                ? new HashSet<Tessera.Tasks.TaskStatus> { named }
                : throw new ApiErrors.BadRequestException($"status: '{status}' is not DOWNLOAD_FAILED, PROCESSING_FAILED, PUBLISH_FAILED or FAILED"),
        };
        var restarted = new List<long>();
        var skipped = new JsonObject();
        foreach (var id in wanted.Distinct())
        {
            var task = await parts.Tasks.GetAsync(id, cancellationToken);
            if (task is not null && failed.Contains(task.Status))
            {
                await parts.Tasks.RetryAsync(id, caller.User, cancellationToken);
                restarted.Add(id);
            }
            else if (ids is not null)
            {
                skipped[id.ToString(CultureInfo.InvariantCulture)] = task is null ? "deleted" : $"{task.Status.SeedName()}: only a failed activity is restarted";
            }
        }
        signal.Notify();
        return Results.Text(new JsonObject { ["restarted"] = new JsonArray(restarted.Select(r => (JsonNode)r).ToArray()), ["skipped"] = skipped }.ToJsonString(),
            "application/json", Encoding.UTF8);
    }

    /// <summary>The caller's activities (every task a start made) with their statuses, filtered as asked.</summary>
    private static async Task<IResult> ActivitiesAsync(HttpContext context, string? sceneid, string? type, string? collection, string? status,
        Tessera.Host.ServiceParts parts, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(context);
        var list = new JsonArray();
        foreach (var a in await parts.Ingestions.TasksOfKindAsync(Tessera.Tasks.Ingest.DbIngestionStore.Radcor, caller.Visibility, cancellationToken))
        {
            if ((sceneid is not null && a.Scene != sceneid) || (type is not null && a.Step != type) || (collection is not null && a.Collection != collection))
            {
                continue;
            }
            var task = await parts.Tasks.GetAsync(a.TaskId, cancellationToken);
            var statusName = task?.Status.SeedName() ?? "DELETED";
            if (status is not null && statusName != status)
            {
                continue;
            }
            list.Add(new JsonObject
            {
                ["id"] = a.TaskId, ["activity_type"] = a.Step, ["collection_id"] = a.Collection, ["sceneid"] = a.Scene, ["date"] = a.Date,
                ["tileid"] = a.Tile.Length > 0 ? a.Tile : null, ["status"] = statusName, ["error"] = task?.ErrorMessage,
                ["updated"] = task?.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
            });
        }
        return Results.Text(new JsonObject { ["activities"] = list, ["Results"] = list.Count }.ToJsonString(), "application/json", Encoding.UTF8);
    }

    /// <summary>The collection <paramref name="dataset"/> of a catalog: the root itself when it is that collection, the API's
    /// <c>collections/{dataset}</c>, or the static catalog's child of that id.</summary>
    private static async Task<Uri> CollectionAsync(CatalogAssets assets, Uri root, string? dataset, CancellationToken cancellationToken)
    {
        if (dataset is null)
        {
            return root;
        }
        var (document, address) = await assets.ReadJsonAsync(root, cancellationToken);
        if (document["id"]?.ToString() == dataset && document["type"]?.ToString() == "Collection")
        {
            return address;
        }
        var links = (document["links"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (document["conformsTo"] is not null || links.Any(l => l["rel"]?.ToString() is "data" or "search"))
        {
            return new Uri(address.ToString().TrimEnd('/') + "/collections/" + Uri.EscapeDataString(dataset));
        }
        foreach (var child in links.Where(l => l["rel"]?.ToString() == "child" && l["href"] is not null))
        {
            var childAddress = new Uri(address, child["href"]!.ToString());
            var (childDocument, _) = await assets.ReadJsonAsync(childAddress, cancellationToken);
            if (childDocument["id"]?.ToString() == dataset)
            {
                return childAddress;
            }
        }
        throw new CatalogException($"the catalog has no collection '{dataset}'");
    }

    /// <summary>A scene as the collection builder shows it.</summary>
    private static JsonObject Scene(CatalogItem item)
    {
        var parts = item.Id.Split('_');
        var size = item.Assets.Where(a => a.Size is not null).Sum(a => a.Size!.Value);
        var link = item.Assets.FirstOrDefault(a => a.Key == "product")
            ?? item.Assets.FirstOrDefault(a => a.Roles?.Contains("data") ?? false) ?? item.Assets.FirstOrDefault();
        var icon = item.Assets.FirstOrDefault(a => (a.Roles?.Contains("thumbnail") ?? false) || a.Key is "thumbnail" or "quicklook");
        return new JsonObject
        {
            ["pathrow"] = Tile(item),
            ["sceneid"] = item.Id,
            ["type"] = parts.Length > 1 ? parts[1] : item.Properties["product_type"]?.ToString(),
            ["date"] = RadcorDispatch.Day(item),
            ["cloud"] = item.CloudCover,
            ["footprint"] = item.Geometry is { } g ? Wkt(g) : null,
            ["tileid"] = Tile(item),
            ["size"] = size > 0 ? string.Create(CultureInfo.InvariantCulture, $"{size / 1048576.0:0.00} MB") : null,
            ["link"] = link?.Href,
            ["icon"] = icon?.Href,
        };
    }

    private static string? Tile(CatalogItem item) => RadcorDispatch.Tile(item);

    /// <summary>A GeoJSON Polygon or MultiPolygon as a WKT MULTIPOLYGON (the collection builder's footprints); other geometries as their own WKT type.</summary>
    private static string Wkt(JsonObject geometry)
    {
        static string Ring(JsonArray ring) => "(" + string.Join(", ", ring.OfType<JsonArray>().Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p[0]!.GetValue<double>()} {p[1]!.GetValue<double>()}"))) + ")";
        static string Polygon(JsonArray rings) => "(" + string.Join(", ", rings.OfType<JsonArray>().Select(Ring)) + ")";
        var coordinates = geometry["coordinates"] as JsonArray ?? [];
        return geometry["type"]?.ToString() switch
        {
            "Polygon" => $"MULTIPOLYGON ({Polygon(coordinates)})",
            "MultiPolygon" => $"MULTIPOLYGON ({string.Join(", ", coordinates.OfType<JsonArray>().Select(Polygon))})",
            var other => $"{other?.ToUpperInvariant()} EMPTY",
        };
    }

    private static readonly string[] CatalogArgFields = ["username", "password"];

    /// <summary>
    /// <c>catalog_args</c>: a <c>username</c> and <c>password</c> the catalog's server takes (HTTP basic), for every address on
    /// the catalog's own scheme, host and port; null when none are given.
    /// </summary>
    private static Tessera.Catalog.Providers.ProviderSettings? CatalogArgs(JsonObject body, Uri root)
    {
        if (body["catalog_args"] is null)
        {
            return null;
        }
        var args = body["catalog_args"] as JsonObject ?? throw new ApiErrors.BadRequestException("catalog_args: give an object");
        foreach (var (key, _) in args)
        {
            if (!CatalogArgFields.Contains(key))
            {
                throw new ApiErrors.BadRequestException($"catalog_args.{key}: not taken (the service takes {string.Join(" and ", CatalogArgFields)}; " +
                    "downloads report their progress in any case)");
            }
        }
        if (args.Count == 0)
        {
            return null;
        }
        string Given(string key) => args[key] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0 ? text
            : throw new ApiErrors.BadRequestException($"catalog_args.{key}: give it with the {CatalogArgFields.Single(f => f != key)}");
        return new Tessera.Catalog.Providers.ProviderSettings(root.GetLeftPart(UriPartial.Authority) + "/", Given("username"), Given("password"));
    }

    private static Bounds? Box(JsonObject body)
    {
        var given = new[] { "w", "s", "e", "n" }.Where(k => body[k] is not null).ToList();
        if (given.Count == 0)
        {
            return null;
        }
        if (given.Count < 4)
        {
            throw new ApiErrors.BadRequestException($"give all of w, s, e and n (missing: {string.Join(", ", new[] { "w", "s", "e", "n" }.Except(given))})");
        }
        double Edge(string k) => body[k] is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw new ApiErrors.BadRequestException($"{k}: give a number");
        var (w, s, e, n) = (Edge("w"), Edge("s"), Edge("e"), Edge("n"));
        return w > e || s > n ? throw new ApiErrors.BadRequestException("w must not be east of e, nor s north of n") : new Bounds(w, s, e, n);
    }

    private static string? Text(JsonObject body, string key) => body[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new ApiErrors.BadRequestException($"{key}: give a string"),
    };

    private static HashSet<string>? Strings(JsonObject body, string key) => body[key] switch
    {
        null => null,
        JsonArray a when a.All(i => i is JsonValue v && v.TryGetValue<string>(out _)) => a.Select(i => i!.GetValue<string>()).ToHashSet(),
        _ => throw new ApiErrors.BadRequestException($"{key}: give a list of strings"),
    };

    private static DateTimeOffset? Time(JsonObject body, string key) => Text(body, key) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t
        : throw new ApiErrors.BadRequestException($"{key}: '{text}' is not a date or time");
}
