using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Catalog.Stac;
using Tessera.Server.Access;
using Tessera.Server.Publishing;

namespace Tessera.Server.Api;

/// <summary>
/// The STAC API (1.0.0: core, collections, features, item search) over published results, at <c>/stac</c>:
/// landing page, conformance, collections, items, and search by bbox, datetime, collections and ids with
/// paging links. Callers see the items of their own tasks (administrators: everyone's).
/// </summary>
public static class StacApi
{
    private static readonly string[] Conformance =
    [
        "https://api.stacspec.org/v1.0.0/core",
        "https://api.stacspec.org/v1.0.0/collections",
        "https://api.stacspec.org/v1.0.0/ogcapi-features",
        "https://api.stacspec.org/v1.0.0/item-search",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    ];

    public static void MapStacApi(this WebApplication app)
    {
        app.MapGet("/stac", Landing);
        app.MapGet("/stac/conformance", () => Json(new JsonObject { ["conformsTo"] = Strings(Conformance) }));
        app.MapGet("/stac/collections", Collections);
        app.MapGet("/stac/collections/{id}", Collection);
        app.MapGet("/stac/collections/{id}/items", Items);
        app.MapGet("/stac/collections/{id}/items/{itemId}", Item);
        app.MapGet("/stac/search", (HttpContext c, StacCatalog s, string? bbox, string? datetime, string? collections, string? ids, string? limit,
            string? page, CancellationToken t) => SearchAsync(c, s, StacSearch.FromQuery(bbox, datetime, collections, ids, limit, page), post: false, t));
        app.MapPost("/stac/search", async (HttpContext c, StacCatalog s, CancellationToken t) =>
        {
            JsonObject? body;
            try
            {
                body = c.Request.ContentLength is 0 ? null : await JsonNode.ParseAsync(c.Request.Body, cancellationToken: t) as JsonObject;
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ApiErrors.BadRequestException($"the search body is not JSON: {e.Message}");
            }
            return await SearchAsync(c, s, StacSearch.FromBody(body), post: true, t);
        }).RequireRole(Role.Read);
    }

    private static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    private static IResult Json(JsonObject document, string type = "application/json") => Results.Text(document.ToJsonString(), type);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static IResult Landing(HttpContext context)
    {
        var b = Base(context);
        var links = new JsonArray(
            StacItems.Link("self", $"{b}/stac", "application/json"),
            StacItems.Link("root", $"{b}/stac", "application/json"),
            StacItems.Link("conformance", $"{b}/stac/conformance", "application/json"),
            StacItems.Link("data", $"{b}/stac/collections", "application/json"),
            StacItems.Link("search", $"{b}/stac/search", StacItems.GeoJsonMediaType),
            StacItems.Link("service-desc", $"{b}/openapi.json", "application/vnd.oai.openapi+json;version=3.0"));
        var post = StacItems.Link("search", $"{b}/stac/search", StacItems.GeoJsonMediaType);
        post["method"] = "POST";
        links.Add(post);
        foreach (var (id, _, title) in StacCatalog.Collections)
        {
            links.Add(StacItems.Link("child", $"{b}/stac/collections/{id}", "application/json", title));
        }
        return Json(new JsonObject
        {
            ["type"] = "Catalog",
            ["stac_version"] = StacItems.Version,
            ["id"] = "tessera",
            ["title"] = "Tessera",
            ["description"] = "Results published by this Tessera server: one collection per processing type.",
            ["conformsTo"] = Strings(Conformance),
            ["links"] = links,
        });
    }

    private static async Task<List<JsonObject>> ItemsOf(HttpContext context, StacCatalog catalog, IReadOnlyCollection<string>? collections, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        await foreach (var item in catalog.ItemsAsync(Caller.Of(context).Visibility, collections, Base(context), cancellationToken))
        {
            items.Add(item);
        }
        return items;
    }

    private static async Task<IResult> Collections(HttpContext context, StacCatalog catalog, CancellationToken cancellationToken)
    {
        var b = Base(context);
        var all = new JsonArray();
        foreach (var (id, _, title) in StacCatalog.Collections)
        {
            all.Add(StacItems.Collection(id, title, $"Results of {title} tasks.", await ItemsOf(context, catalog, [id], cancellationToken), b));
        }
        return Json(new JsonObject
        {
            ["collections"] = all,
            ["links"] = new JsonArray(StacItems.Link("self", $"{b}/stac/collections", "application/json"), StacItems.Link("root", $"{b}/stac", "application/json")),
        });
    }

    private static (string Id, Tessera.Tasks.TaskType Type, string Title) Known(string id) =>
        StacCatalog.Find(id) ?? throw new StacNotFoundException($"collection '{id}' does not exist");

    private static async Task<IResult> Collection(HttpContext context, string id, StacCatalog catalog, CancellationToken cancellationToken)
    {
        var (cid, _, title) = Known(id);
        return Json(StacItems.Collection(cid, title, $"Results of {title} tasks.", await ItemsOf(context, catalog, [cid], cancellationToken), Base(context)));
    }

    private static async Task<IResult> Items(HttpContext context, string id, StacCatalog catalog, string? bbox, string? datetime, string? limit,
        string? page, CancellationToken cancellationToken)
    {
        var (cid, _, _) = Known(id);
        var search = StacSearch.FromQuery(bbox, datetime, cid, null, limit, page);
        return Page(context, await ItemsOf(context, catalog, [cid], cancellationToken), search, $"{Base(context)}/stac/collections/{cid}/items", post: false);
    }

    private static async Task<IResult> Item(HttpContext context, string id, string itemId, StacCatalog catalog, CancellationToken cancellationToken)
    {
        var (cid, _, _) = Known(id);
        var item = (await ItemsOf(context, catalog, [cid], cancellationToken)).FirstOrDefault(i => i["id"]!.GetValue<string>() == itemId)
            ?? throw new StacNotFoundException($"item '{itemId}' does not exist in collection '{cid}'");
        return Json(item, StacItems.GeoJsonMediaType);
    }

    private static async Task<IResult> SearchAsync(HttpContext context, StacCatalog catalog, StacSearch search, bool post, CancellationToken cancellationToken)
    {
        foreach (var unknown in (search.Collections ?? []).Where(c => StacCatalog.Find(c) is null))
        {
            throw new ApiErrors.BadRequestException($"collections: '{unknown}' does not exist");
        }
        return Page(context, await ItemsOf(context, catalog, search.Collections, cancellationToken), search, $"{Base(context)}/stac/search", post);
    }

    /// <summary>One page of the matching items as a FeatureCollection, with self, root and (when more) next links.</summary>
    private static IResult Page(HttpContext context, List<JsonObject> items, StacSearch search, string url, bool post)
    {
        var matching = items.Where(search.Matches).ToList();
        var page = matching.Skip((search.Page - 1) * search.Limit).Take(search.Limit).ToList();
        var links = new JsonArray(
            StacItems.Link("self", post ? url : $"{url}?{search.ToQuery(search.Page)}", StacItems.GeoJsonMediaType),
            StacItems.Link("root", $"{Base(context)}/stac", "application/json"));
        if (search.Page * search.Limit < matching.Count)
        {
            if (post)
            {
                var next = StacItems.Link("next", url, StacItems.GeoJsonMediaType);
                next["method"] = "POST";
                next["body"] = search.ToBody(search.Page + 1);
                links.Add(next);
            }
            else
            {
                links.Add(StacItems.Link("next", $"{url}?{search.ToQuery(search.Page + 1)}", StacItems.GeoJsonMediaType));
            }
        }
        return Json(new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray(page.Select(i => (JsonNode)i.DeepClone()).ToArray()),
            ["links"] = links,
            ["numberMatched"] = matching.Count,
            ["numberReturned"] = page.Count,
        }, StacItems.GeoJsonMediaType);
    }
}

/// <summary>A STAC collection or item that does not exist (404).</summary>
public sealed class StacNotFoundException(string message) : Exception(message);
