using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;
using Tessera.Server.Access;

namespace Tessera.Server.Api;

/// <summary>
/// The STAC API (1.0.0: core, collections, features, item search with the query and sort extensions) over the catalog,
/// at <c>/stac</c>: landing page, conformance, collections (harvested, local and the results of tasks), their items,
/// and search, every filter, order, count and page answered by the database. Callers see everyone's items and those of
/// their own tasks (administrators: everyone's).
/// </summary>
public static class StacApi
{
    private static readonly string[] Conformance =
    [
        "https://api.stacspec.org/v1.0.0/core",
        "https://api.stacspec.org/v1.0.0/collections",
        "https://api.stacspec.org/v1.0.0/ogcapi-features",
        "https://api.stacspec.org/v1.0.0/item-search",
        "https://api.stacspec.org/v1.0.0/item-search#query",
        "https://api.stacspec.org/v1.0.0/item-search#sort",
        "https://api.stacspec.org/v1.0.0/ogcapi-features#query",
        "https://api.stacspec.org/v1.0.0/ogcapi-features#sort",
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
        app.MapGet("/stac/collections/{id}/items/{itemId}/assets/{key}", Asset);
        app.MapGet("/stac/search", (HttpContext c, ISceneCatalog s, CancellationToken t) =>
            SearchAsync(c, s, StacSearch.FromQuery(c.Request.Query, StacSearch.SearchParameters), post: false, t));
        app.MapPost("/stac/search", async (HttpContext c, ISceneCatalog s, CancellationToken t) =>
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

    private static async Task<IResult> Landing(HttpContext context, ISceneCatalog catalog, CancellationToken cancellationToken)
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
        foreach (var collection in await catalog.ListCollectionsAsync(cancellationToken))
        {
            links.Add(StacItems.Link("child", $"{b}/stac/collections/{Uri.EscapeDataString(collection.Id)}", "application/json", collection.Title));
        }
        return Json(new JsonObject
        {
            ["type"] = "Catalog",
            ["stac_version"] = StacItems.Version,
            ["id"] = "tessera",
            ["title"] = "Tessera",
            ["description"] = "The scenes this Tessera server knows (harvested from other catalogs or found in its folders) and the results it published: one collection per processing type.",
            ["conformsTo"] = Strings(Conformance),
            ["links"] = links,
        });
    }

    private static async Task<IResult> Collections(HttpContext context, ISceneCatalog catalog, CancellationToken cancellationToken)
    {
        var b = Base(context);
        var extents = await catalog.ExtentsAsync(null, Caller.Of(context).Visibility, cancellationToken);
        var all = new JsonArray();
        foreach (var collection in await catalog.ListCollectionsAsync(cancellationToken))
        {
            all.Add(StacDocuments.Collection(collection, extents.GetValueOrDefault(collection.Id), b));
        }
        return Json(new JsonObject
        {
            ["collections"] = all,
            ["links"] = new JsonArray(StacItems.Link("self", $"{b}/stac/collections", "application/json"), StacItems.Link("root", $"{b}/stac", "application/json")),
        });
    }

    private static async Task<CatalogCollection> Known(ISceneCatalog catalog, string id, CancellationToken cancellationToken) =>
        await catalog.GetCollectionAsync(id, cancellationToken) ?? throw new StacNotFoundException($"collection '{id}' does not exist");

    private static async Task<IResult> Collection(HttpContext context, string id, ISceneCatalog catalog, CancellationToken cancellationToken)
    {
        var collection = await Known(catalog, id, cancellationToken);
        var extents = await catalog.ExtentsAsync([collection.Id], Caller.Of(context).Visibility, cancellationToken);
        return Json(StacDocuments.Collection(collection, extents.GetValueOrDefault(collection.Id), Base(context)));
    }

    private static async Task<IResult> Items(HttpContext context, string id, ISceneCatalog catalog, CancellationToken cancellationToken)
    {
        var collection = await Known(catalog, id, cancellationToken);
        var search = StacSearch.FromQuery(context.Request.Query, StacSearch.ItemsParameters, collection.Id);
        return await PageAsync(context, catalog, search, $"{Base(context)}/stac/collections/{Uri.EscapeDataString(collection.Id)}/items", post: false,
            withCollections: false, cancellationToken);
    }

    private static async Task<IResult> Item(HttpContext context, string id, string itemId, ISceneCatalog catalog, CancellationToken cancellationToken)
    {
        var collection = await Known(catalog, id, cancellationToken);
        var item = await catalog.GetItemAsync(collection.Id, itemId, Caller.Of(context).Visibility, cancellationToken)
            ?? throw new StacNotFoundException($"item '{itemId}' does not exist in collection '{collection.Id}'");
        return Json(StacDocuments.Item(item, Base(context)), StacItems.GeoJsonMediaType);
    }

    /// <summary>An asset that lies on this server (found in its folders, or downloaded), with ranges.</summary>
    private static async Task<IResult> Asset(HttpContext context, string id, string itemId, string key, ISceneCatalog catalog,
        Tessera.Catalog.Files.FileStore files, CancellationToken cancellationToken)
    {
        var collection = await Known(catalog, id, cancellationToken);
        var item = await catalog.GetItemAsync(collection.Id, itemId, Caller.Of(context).Visibility, cancellationToken)
            ?? throw new StacNotFoundException($"item '{itemId}' does not exist in collection '{collection.Id}'");
        var asset = item.Assets.FirstOrDefault(a => a.Key == key) ?? throw new StacNotFoundException($"item '{itemId}' has no asset '{key}'");
        var path = asset.LocalPath;
        if (path is null && item.FileId is { } file && key == "data")
        {
            path = await files.PathOfAsync(file, Caller.Of(context).Visibility, cancellationToken); // a result's file
        }
        if (path is null || !File.Exists(path))
        {
            throw new StacNotFoundException($"asset '{key}' of item '{itemId}' is not on this server{(asset.Href.StartsWith('/') ? "" : $": it is at {asset.Href}")}");
        }
        return Results.File(path, asset.MediaType ?? "application/octet-stream", Path.GetFileName(path), enableRangeProcessing: true);
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ISceneCatalog catalog, StacSearch search, bool post, CancellationToken cancellationToken)
    {
        if (search.Collections is { Count: > 0 } wanted)
        {
            var known = (await catalog.ListCollectionsAsync(cancellationToken)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var unknown in wanted.Where(c => !known.Contains(c)))
            {
                throw new ApiErrors.BadRequestException($"collections: '{unknown}' does not exist");
            }
        }
        return await PageAsync(context, catalog, search, $"{Base(context)}/stac/search", post, withCollections: true, cancellationToken);
    }

    /// <summary>One page of the matching items as a FeatureCollection, with self, root and (when more) next links.</summary>
    private static async Task<IResult> PageAsync(HttpContext context, ISceneCatalog catalog, StacSearch search, string url, bool post,
        bool withCollections, CancellationToken cancellationToken)
    {
        var itemSearch = search.ToItemSearch(Caller.Of(context).Visibility);
        ItemPage page;
        try
        {
            page = await catalog.SearchAsync(itemSearch, cancellationToken);
        }
        catch (Tessera.Catalog.CatalogException e)
        {
            throw new ApiErrors.BadRequestException(e.Message);
        }
        finally
        {
            itemSearch.Intersects?.Dispose();
        }
        var b = Base(context);
        var links = new JsonArray(
            StacItems.Link("self", post ? url : $"{url}?{search.ToQuery(search.Page, withCollections)}", StacItems.GeoJsonMediaType),
            StacItems.Link("root", $"{b}/stac", "application/json"));
        if (search.Page * (long)search.Limit < page.Matched)
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
                links.Add(StacItems.Link("next", $"{url}?{search.ToQuery(search.Page + 1, withCollections)}", StacItems.GeoJsonMediaType));
            }
        }
        var document = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray(page.Items.Select(i => (JsonNode)StacDocuments.Item(i, b)).ToArray()),
            ["links"] = links,
            ["numberMatched"] = page.Matched,
            ["numberReturned"] = page.Items.Count,
        };
        if (withCollections)
        {
            document["context"] = new JsonObject { ["returned"] = page.Items.Count, ["limit"] = search.Limit, ["matched"] = page.Matched };
        }
        return Json(document, StacItems.GeoJsonMediaType);
    }
}

/// <summary>A STAC collection or item that does not exist (404).</summary>
public sealed class StacNotFoundException(string message) : Exception(message);
