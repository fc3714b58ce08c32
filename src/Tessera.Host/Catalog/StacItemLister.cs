using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Catalog;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;
using Tessera.Raster;

namespace Tessera.Host.Catalog;

/// <summary>What to list of a STAC document on the web: the items meeting a box (longitude/latitude) and a time interval
/// [From, To), and <paramref name="Keep"/> (conditions on their properties, ids, grid codes).</summary>
public sealed record StacListing(Uri Url, Bounds? LonLatBox, DateTimeOffset? From, DateTimeOffset? To, Func<CatalogItem, bool>? Keep = null);

/// <summary>
/// The items of a STAC document on the web, read as the service reads remote catalogs (only hosts it may reach): an
/// Item; an ItemCollection, its <c>next</c> pages followed; a Collection or Catalog of a STAC API (its <c>items</c> link,
/// asked for the box and times) or static (its <c>item</c> and <c>child</c> links crawled). Items are kept when their
/// bbox meets the box, their time span the interval and <see cref="StacListing.Keep"/> holds, sorted by time. A document
/// that cannot be read, or is not STAC, throws a <see cref="CatalogException"/> naming its address.
/// </summary>
public sealed class StacItemLister(CatalogAssets assets)
{
    /// <summary>Most documents one listing reads, and most items it keeps.</summary>
    public const int MaxDocuments = 2000;

    public async Task<List<CatalogItem>> ListAsync(StacListing listing, CancellationToken cancellationToken)
    {
        var items = new List<CatalogItem>();
        var documents = 0;
        var collection = "stac-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.Url.ToString())))[..16];
        async Task<(JsonObject Document, Uri Address)> Read(Uri url)
        {
            if (++documents > MaxDocuments)
            {
                throw new StacTooLargeException($"{listing.Url}: more than {MaxDocuments} STAC documents to read: give the address of fewer items");
            }
            return await assets.ReadJsonAsync(url, cancellationToken);
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
                throw new CatalogException($"{address}: not a STAC item: {e.Message}");
            }
            if (Meets(item, listing) && (listing.Keep?.Invoke(item) ?? true))
            {
                items.Add(item);
            }
        }

        var (root, rootAddress) = await Read(listing.Url);
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
                    var (page, pageAddress) = await Read(Search(Resolve(rootAddress, itemsLink), listing));
                    await PagesAsync(page, pageAddress, Read, Add);
                }
                else
                {
                    await CrawlAsync(root, rootAddress, Read, Add, cancellationToken);
                }
                break;
            default:
                throw new CatalogException($"{listing.Url}: not a STAC Item, ItemCollection, Collection or Catalog (its type is '{root["type"]}')");
        }
        if (items.Count > MaxDocuments)
        {
            throw new StacTooLargeException($"more than {MaxDocuments} items at {listing.Url} meet the extents: give smaller ones");
        }
        items.Sort((a, b) => (a.DateTime ?? a.Start).CompareTo(b.DateTime ?? b.Start));
        return items;
    }

    private static bool Meets(CatalogItem item, StacListing listing)
    {
        if (listing.LonLatBox is { } box && item.Bbox is { } b && (b.MaxX < box.MinX || b.MinX > box.MaxX || b.MaxY < box.MinY || b.MinY > box.MaxY))
        {
            return false;
        }
        // The item's time span meets [From, To).
        return !((listing.From is { } from && item.End < from) || (listing.To is { } to && item.Start >= to));
    }

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
    private static Uri Search(Uri items, StacListing listing)
    {
        var parameters = new List<string> { "limit=100" };
        if (listing.LonLatBox is { } b)
        {
            parameters.Add("bbox=" + string.Join(',', new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        if (listing.From is not null || listing.To is not null)
        {
            parameters.Add("datetime=" + Uri.EscapeDataString($"{Time(listing.From)}/{Time(listing.To)}"));
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
            : throw new CatalogException($"{address}: a link's href '{link["href"]}' is not an address");
}

/// <summary>A STAC listing that would read or keep more than <see cref="StacItemLister.MaxDocuments"/>.</summary>
public sealed class StacTooLargeException(string message) : CatalogException(message);
