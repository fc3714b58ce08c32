using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Remote;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;

namespace Tessera.Catalog.Harvest;

/// <summary>
/// Copies another catalog's collections and items into the catalog, assets left where they are (remote hrefs; nothing
/// is downloaded). A STAC API (a landing page with a <c>search</c> link) is searched with the request's filters and
/// paged through its <c>next</c> links; a static catalog, collection or item is crawled through its links, each item
/// filtered here. Items are written a page at a time; the same harvest run again updates what it wrote before.
/// </summary>
public sealed class StacHarvester(HttpClient http, ISceneCatalog catalog)
{
    /// <summary>Documents a static crawl reads at the most (a guard against endless or looping catalogs).</summary>
    public const int MaxDocuments = 100_000;

    private const int PageSize = 100;

    /// <summary>What a harvest did.</summary>
    public sealed record Result(int Collections, int Items, int Documents);

    /// <param name="progress">Items registered so far.</param>
    public async Task<Result> RunAsync(HarvestRequest request, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var run = new Run(this, request, progress);
        var (root, address) = await run.GetAsync(request.Source, null, cancellationToken);
        var searchLink = Links(root, "search").FirstOrDefault();
        if (root["type"]?.ToString() == "Catalog" && searchLink is not null)
        {
            await run.SearchAsync(root, address, searchLink, cancellationToken);
        }
        else
        {
            await run.CrawlAsync(root, address, cancellationToken);
        }
        await run.FlushAsync(cancellationToken);
        return new Result(run.CollectionsWritten, run.ItemsWritten, run.Documents);
    }

    private static IEnumerable<JsonObject> Links(JsonObject document, string rel) =>
        (document["links"] as JsonArray ?? []).OfType<JsonObject>().Where(l => l["rel"]?.ToString() == rel && l["href"] is not null);

    private static Uri Resolve(Uri address, string href) =>
        href.StartsWith('/') || !Uri.TryCreate(href, UriKind.Absolute, out var absolute) ? new Uri(address, href) : absolute;

    private sealed class Run(StacHarvester owner, HarvestRequest request, IProgress<int>? progress)
    {
        private readonly HashSet<string> _collections = new(StringComparer.Ordinal);
        private readonly List<CatalogItem> _pending = [];
        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

        public int CollectionsWritten => _collections.Count;

        public int ItemsWritten { get; private set; }

        public int Documents { get; private set; }

        private bool Full => request.MaxItems is { } max && ItemsWritten + _pending.Count >= max;

        public async Task<(JsonObject Document, Uri Address)> GetAsync(Uri url, JsonObject? body, CancellationToken cancellationToken)
        {
            if (++Documents > MaxDocuments)
            {
                throw new RemoteAccessException($"{request.Source}: more than {MaxDocuments} documents read; harvest a part of it (collections, bbox, datetime)");
            }
            return await RemoteHttp.JsonAsync(owner._http, url, body, cancellationToken);
        }

        /// <summary>A STAC API: the collections asked for (all when none), then its search, page after page.</summary>
        public async Task SearchAsync(JsonObject root, Uri address, JsonObject searchLink, CancellationToken cancellationToken)
        {
            var conformance = (root["conformsTo"] as JsonArray ?? []).Select(c => c?.ToString() ?? "").ToHashSet();
            var dataLink = Links(root, "data").FirstOrDefault();
            var collectionsUrl = dataLink is not null ? Resolve(address, dataLink["href"]!.ToString()) : new Uri(address, "collections");
            if (request.Collections is { } wanted)
            {
                foreach (var id in wanted)
                {
                    var url = new Uri(collectionsUrl.ToString().TrimEnd('/') + "/" + Uri.EscapeDataString(id));
                    var (document, at) = await GetAsync(url, null, cancellationToken);
                    await WriteCollectionAsync(document, at, cancellationToken);
                }
            }
            else
            {
                var (list, at) = await GetAsync(collectionsUrl, null, cancellationToken);
                foreach (var document in (list["collections"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    await WriteCollectionAsync(document, at, cancellationToken);
                }
            }
            var post = searchLink["method"]?.ToString() == "POST" || Links(root, "search").Any(l => l["method"]?.ToString() == "POST");
            var searchUrl = Resolve(address, searchLink["href"]!.ToString());
            var body = new JsonObject { ["limit"] = PageSize };
            if (request.Collections is not null)
            {
                body["collections"] = new JsonArray(request.Collections.Select(c => (JsonNode?)c).ToArray());
            }
            if (request.Bbox is { } b)
            {
                body["bbox"] = new JsonArray(b.MinX, b.MinY, b.MaxX, b.MaxY);
            }
            if (request.Datetime is not null)
            {
                body["datetime"] = request.Datetime;
            }
            if (request.Cloud is { } cloud && conformance.Any(c => c.EndsWith("item-search#query", StringComparison.Ordinal)))
            {
                body["query"] = new JsonObject { ["eo:cloud_cover"] = new JsonObject { ["lte"] = cloud } };
            }
            Uri? next = searchUrl;
            JsonObject? nextBody = post ? body : null;
            if (!post)
            {
                next = new Uri(searchUrl + "?" + string.Join('&', body.Select(p => $"{p.Key}={Uri.EscapeDataString(QueryValue(p.Value))}")));
            }
            while (next is not null && !Full)
            {
                var (page, at) = await GetAsync(next, nextBody, cancellationToken);
                foreach (var feature in (page["features"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    await AddAsync(feature, at, cancellationToken);
                    if (Full)
                    {
                        break;
                    }
                }
                await FlushAsync(cancellationToken);
                var link = Links(page, "next").FirstOrDefault();
                if (link is null || (page["features"] as JsonArray)?.Count is null or 0)
                {
                    next = null;
                    continue;
                }
                next = Resolve(at, link["href"]!.ToString());
                if (link["method"]?.ToString() == "POST")
                {
                    var merged = link["merge"]?.GetValueKind() == JsonValueKind.True && nextBody is not null ? (JsonObject)nextBody.DeepClone() : new JsonObject();
                    foreach (var (key, value) in link["body"] as JsonObject ?? [])
                    {
                        merged[key] = value?.DeepClone();
                    }
                    nextBody = merged;
                }
                else
                {
                    nextBody = null;
                }
            }
        }

        private static string QueryValue(JsonNode? value) => value switch
        {
            JsonArray array => string.Join(',', array.Select(v => v?.ToString())),
            JsonObject o => o.ToJsonString(),
            _ => value?.ToString() ?? "",
        };

        /// <summary>A static catalog, collection or item, and everything its child and item links lead to.</summary>
        public async Task CrawlAsync(JsonObject root, Uri address, CancellationToken cancellationToken)
        {
            var queue = new Queue<(JsonObject Document, Uri Address, string? Collection)>();
            queue.Enqueue((root, address, null));
            _visited.Add(address.ToString());
            while (queue.Count > 0 && !Full)
            {
                var (document, at, collection) = queue.Dequeue();
                switch (document["type"]?.ToString())
                {
                    case "Feature":
                        await AddAsync(document, at, cancellationToken, collection);
                        continue;
                    case "FeatureCollection":
                        foreach (var feature in (document["features"] as JsonArray ?? []).OfType<JsonObject>())
                        {
                            await AddAsync(feature, at, cancellationToken, collection);
                        }
                        break;
                    case "Collection":
                        var id = document["id"]?.ToString();
                        if (request.Collections is { } wanted && !wanted.Contains(id ?? ""))
                        {
                            break; // neither it nor what it holds is wanted
                        }
                        await WriteCollectionAsync(document, at, cancellationToken);
                        collection = id;
                        break;
                    case "Catalog":
                        break;
                    default:
                        throw new RemoteAccessException($"{at}: not a STAC catalog, collection, item or item collection (type '{document["type"]}')");
                }
                await FlushAsync(cancellationToken);
                foreach (var rel in new[] { "child", "item", "items", "next" })
                {
                    foreach (var link in Links(document, rel))
                    {
                        var url = Resolve(at, link["href"]!.ToString());
                        if (_visited.Add(url.ToString()))
                        {
                            var (child, childAt) = await GetAsync(url, null, cancellationToken);
                            queue.Enqueue((child, childAt, collection));
                        }
                    }
                }
            }
        }

        private async Task WriteCollectionAsync(JsonObject document, Uri at, CancellationToken cancellationToken)
        {
            var collection = StacReading.Collection(document, at);
            await owner._catalog.UpsertCollectionAsync(collection, cancellationToken);
            _collections.Add(collection.Id);
        }

        private async Task AddAsync(JsonObject feature, Uri at, CancellationToken cancellationToken, string? collection = null)
        {
            if (Full)
            {
                return;
            }
            var self = Links(feature, "self").FirstOrDefault() is { } link ? Resolve(at, link["href"]!.ToString()) : at;
            var item = StacReading.Item(feature, self, feature["collection"] is null ? collection : null);
            if (!request.Keeps(item))
            {
                return;
            }
            if (!_collections.Contains(item.Collection) && await owner._catalog.GetCollectionAsync(item.Collection, cancellationToken) is not null)
            {
                _collections.Add(item.Collection); // described before, by an earlier harvest
            }
            if (!_collections.Contains(item.Collection))
            {
                throw new RemoteAccessException($"{self}: item '{item.Id}' is in collection '{item.Collection}', which the source does not describe");
            }
            _pending.Add(item);
            if (_pending.Count >= PageSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pending.Count == 0)
            {
                return;
            }
            await owner._catalog.UpsertItemsAsync(_pending, cancellationToken);
            ItemsWritten += _pending.Count;
            _pending.Clear();
            progress?.Report(ItemsWritten);
        }
    }

    private readonly HttpClient _http = http;
    private readonly ISceneCatalog _catalog = catalog;
}
