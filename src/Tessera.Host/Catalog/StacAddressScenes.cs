using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Catalog;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;

namespace Tessera.Host.Catalog;

/// <summary>
/// <c>load_stac</c>'s scenes: the STAC document at an address is read as the service reads remote catalogs (only hosts
/// it may reach): an Item; an ItemCollection, its <c>next</c> pages followed; a Collection or Catalog of a STAC API
/// (its <c>items</c> link, asked for the box and times) or static (its <c>item</c> and <c>child</c> links crawled). Items
/// are kept when their bbox meets the box, their time the interval and their properties every condition; each band is
/// the asset whose key is the band's name, or whose band (name or common name) is; with no bands asked, every data
/// asset of the first item that is a GeoTIFF. The assets are downloaded as the catalog's are, under a name made from the
/// address, so a second run finds them.
/// </summary>
public sealed class StacAddressScenes(CatalogAssets assets)
{
    /// <summary>Most documents one load reads, and most scenes it keeps.</summary>
    public const int MaxDocuments = 2000;

    public async Task<StacScenes> LoadAsync(StacQuery query, IProgress<string>? log, CancellationToken cancellationToken)
    {
        var items = new List<CatalogItem>();
        var documents = 0;
        var collection = "stac-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query.Url.ToString())))[..16];
        async Task<(JsonObject Document, Uri Address)> Read(Uri url)
        {
            if (++documents > MaxDocuments)
            {
                throw new GraphException("ProcessGraphComplexity", $"{query.Url}: more than {MaxDocuments} STAC documents to read: give the address of fewer items");
            }
            try
            {
                return await assets.ReadJsonAsync(url, cancellationToken);
            }
            catch (CatalogException e)
            {
                throw new GraphException("ProcessArgumentInvalid", e.Message);
            }
        }
        void Add(JsonObject document, Uri address)
        {
            CatalogItem item;
            try
            {
                item = StacReading.Item(document, address, collection);
            }
            catch (CatalogException e)
            {
                throw new GraphException("ProcessArgumentInvalid", $"{address}: not a STAC item: {e.Message}");
            }
            if (Meets(item, query))
            {
                items.Add(item);
            }
        }

        var (root, rootAddress) = await Read(query.Url);
        switch (root["type"]?.ToString())
        {
            case "Feature":
                Add(root, rootAddress);
                break;
            case "FeatureCollection":
                await PagesAsync(root, rootAddress, Read, Add);
                break;
            case "Collection" or "Catalog":
                if (Link(root, "items") is { } itemsLink)
                {
                    var (page, pageAddress) = await Read(Search(Resolve(rootAddress, itemsLink), query));
                    await PagesAsync(page, pageAddress, Read, Add);
                }
                else
                {
                    await CrawlAsync(root, rootAddress, Read, Add, cancellationToken);
                }
                break;
            default:
                throw new GraphException("ProcessArgumentInvalid", $"{query.Url}: not a STAC Item, ItemCollection, Collection or Catalog (its type is '{root["type"]}')");
        }
        if (items.Count > MaxDocuments)
        {
            throw new GraphException("ProcessGraphComplexity", $"more than {MaxDocuments} items at {query.Url} meet the extents: give smaller ones");
        }
        items.Sort((a, b) => (a.DateTime ?? a.Start).CompareTo(b.DateTime ?? b.Start));
        var bands = Bands(items, query);
        var scenes = new List<Scene>();
        var incomplete = 0;
        foreach (var item in items)
        {
            var files = new List<SceneBand>();
            foreach (var band in bands)
            {
                var asset = item.Assets.FirstOrDefault(a => a.Key == band.Name)
                    ?? item.Assets.FirstOrDefault(a => a.Band is not null && (a.Band == band.Name || a.Band == band.CommonName));
                if (asset is null)
                {
                    break;
                }
                string path;
                try
                {
                    path = await assets.EnsureLocalAsync(item, asset, null, cancellationToken);
                }
                catch (CatalogException e)
                {
                    throw new GraphException("ProcessArgumentInvalid", $"item '{item.Id}', asset '{asset.Key}': {e.Message}");
                }
                files.Add(new SceneBand(band.Name, path));
            }
            if (files.Count < bands.Count)
            {
                incomplete++;
                continue;
            }
            scenes.Add(new Scene(item.Id, item.DateTime ?? item.Start, files));
            log?.Report($"scene {item.Id} ({(item.DateTime ?? item.Start):yyyy-MM-dd}): {string.Join(", ", files.Select(f => f.Band))}");
        }
        if (incomplete > 0)
        {
            log?.Report($"{incomplete} items left out: they lack one of the bands {string.Join(", ", bands.Select(b => b.Name))}");
        }
        return new StacScenes(bands, scenes);
    }

    /// <summary>The bands asked for (their common names from the first item that has them), or every GeoTIFF data asset of the first item.</summary>
    private static List<CollectionBand> Bands(List<CatalogItem> items, StacQuery query)
    {
        if (query.Bands is { } asked)
        {
            return asked.Select(name =>
            {
                var asset = items.SelectMany(i => i.Assets).FirstOrDefault(a => a.Key == name || a.Band == name);
                return new CollectionBand(asset?.Key == name || asset is null ? name : asset.Key, asset?.Band);
            }).ToList();
        }
        var first = items.FirstOrDefault();
        return first is null ? [] : first.Assets
            .Where(a => (a.Roles is null || a.Roles.Contains("data")) && (a.MediaType?.StartsWith("image/tiff", StringComparison.Ordinal) ?? false))
            .Select(a => new CollectionBand(a.Key, a.Band)).ToList();
    }

    private static bool Meets(CatalogItem item, StacQuery query)
    {
        if (query.LonLatBox is { } box && item.Bbox is { } b && (b.MaxX < box.MinX || b.MinX > box.MaxX || b.MaxY < box.MinY || b.MinY > box.MaxY))
        {
            return false;
        }
        // The item's time span meets [From, To).
        if ((query.From is { } from && item.End < from) || (query.To is { } to && item.Start >= to))
        {
            return false;
        }
        foreach (var condition in query.Properties)
        {
            if (item.Properties[condition.Property] is not JsonValue v || !v.TryGetValue<double>(out var value) || !Holds(value, condition))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Holds(double value, PropertyCondition condition) => condition.Operator switch
    {
        "eq" => value == condition.Value,
        "neq" => value != condition.Value,
        "lt" => value < condition.Value,
        "lte" => value <= condition.Value,
        "gt" => value > condition.Value,
        _ => value >= condition.Value,
    };

    /// <summary>An ItemCollection's items, then those of its <c>next</c> pages (GET links only).</summary>
    private static async Task PagesAsync(JsonObject page, Uri address, Func<Uri, Task<(JsonObject, Uri)>> read, Action<JsonObject, Uri> add)
    {
        while (true)
        {
            foreach (var feature in (page["features"] as JsonArray ?? []).OfType<JsonObject>())
            {
                add(feature, address);
            }
            if (Link(page, "next") is not { } next || next["method"]?.ToString() is { } method && method != "GET")
            {
                return;
            }
            (page, address) = await read(Resolve(address, next));
        }
    }

    /// <summary>A static catalog: its items, and its children's, depth first.</summary>
    private static async Task CrawlAsync(JsonObject node, Uri address, Func<Uri, Task<(JsonObject, Uri)>> read, Action<JsonObject, Uri> add,
        CancellationToken cancellationToken)
    {
        foreach (var link in Links(node, "item"))
        {
            var (item, itemAddress) = await read(Resolve(address, link));
            add(item, itemAddress);
        }
        foreach (var link in Links(node, "child"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (child, childAddress) = await read(Resolve(address, link));
            await CrawlAsync(child, childAddress, read, add, cancellationToken);
        }
    }

    /// <summary>A STAC API's items asked for the box and times (the filters are applied here again).</summary>
    private static Uri Search(Uri items, StacQuery query)
    {
        var parameters = new List<string> { "limit=100" };
        if (query.LonLatBox is { } b)
        {
            parameters.Add("bbox=" + string.Join(',', new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        if (query.From is not null || query.To is not null)
        {
            parameters.Add("datetime=" + Uri.EscapeDataString($"{Time(query.From)}/{Time(query.To)}"));
        }
        var builder = new UriBuilder(items);
        builder.Query = string.Join('&', new[] { builder.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(parameters));
        return builder.Uri;
    }

    private static string Time(DateTimeOffset? time) => time is { } t ? StacItems.Time(t) : "..";

    private static JsonObject? Link(JsonObject document, string rel) => Links(document, rel).FirstOrDefault();

    private static IEnumerable<JsonObject> Links(JsonObject document, string rel) =>
        (document["links"] as JsonArray ?? []).OfType<JsonObject>().Where(l => l["rel"]?.ToString() == rel && l["href"] is not null);

    private static Uri Resolve(Uri address, JsonObject link) =>
        Uri.TryCreate(address, link["href"]!.ToString(), out var url) ? url
            : throw new GraphException("ProcessArgumentInvalid", $"{address}: a link's href '{link["href"]}' is not an address");
}
