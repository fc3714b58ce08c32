using System.Text.Json.Nodes;
using Tessera.Catalog;
using Tessera.Catalog.Downloads;
using Tessera.Catalog.Local;

namespace Tessera.Host.Catalog;

/// <summary>
/// What a download or copy task does for one item ("COLLECTION/ITEM"): which of its assets (null: all of them),
/// where they are delivered (null: they stay in the service), and the provider settings file that replaces the
/// service's for this download (a path of the server, under the catalog folders).
/// </summary>
/// <param name="Credentials">Credentials a request gave for its catalog, kept by the service under this name
/// (<see cref="CatalogAssets.KeepCredentials"/>), used before the service's provider settings.</param>
public sealed record DownloadParameters(string Item, IReadOnlyList<string>? Assets, Delivery? Delivery, string? ProviderSettings, string? Credentials = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["item"] = Item };
        if (Assets is not null)
        {
            json["assets"] = new JsonArray(Assets.Select(a => (JsonNode?)a).ToArray());
        }
        if (Delivery is not null)
        {
            json["delivery"] = Delivery.ToJson();
        }
        if (ProviderSettings is not null)
        {
            json["provider_settings"] = ProviderSettings;
        }
        if (Credentials is not null)
        {
            json["credentials"] = Credentials;
        }
        return json;
    }

    public static DownloadParameters FromJson(string json, CatalogFolders folders)
    {
        var body = JsonNode.Parse(json) as JsonObject ?? throw new InvalidOperationException("the download's parameters are not a JSON object");
        return new DownloadParameters(body["item"]!.GetValue<string>(),
            body["assets"] is JsonArray assets ? assets.Select(a => a!.GetValue<string>()).ToList() : null,
            body["delivery"] is JsonObject delivery ? Delivery.FromJson(delivery, folders) : null,
            body["provider_settings"]?.GetValue<string>(), body["credentials"]?.GetValue<string>());
    }

    /// <summary>The item as the catalog holds it now, and the assets asked for (all when none were named).</summary>
    public async Task<(Tessera.Catalog.Scenes.CatalogItem Item, IReadOnlyList<Tessera.Catalog.Scenes.CatalogAsset> Chosen)> ItemAndAssetsAsync(
        Tessera.Catalog.Scenes.ISceneCatalog catalog, CancellationToken cancellationToken)
    {
        var (collection, id) = ItemIds();
        var item = await catalog.GetItemAsync(collection, id, null, cancellationToken)
            ?? throw new CatalogException($"item '{id}' is no longer in collection '{collection}'");
        var chosen = Assets is null ? item.Assets : Assets.Select(key => item.Assets.FirstOrDefault(a => a.Key == key)
            ?? throw new CatalogException($"item '{Item}' has no asset '{key}' (it has {string.Join(", ", item.Assets.Select(a => a.Key))})")).ToList();
        return (item, chosen);
    }

    /// <summary>The collection and item ids of <see cref="Item"/>.</summary>
    public (string Collection, string Id) ItemIds()
    {
        var slash = Item.IndexOf('/');
        return slash <= 0 ? throw new CatalogException($"'{Item}' is not COLLECTION/ITEM") : (Item[..slash], Item[(slash + 1)..]);
    }
}
