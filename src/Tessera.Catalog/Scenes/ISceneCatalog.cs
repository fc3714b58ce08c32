using System.Data.Common;

namespace Tessera.Catalog.Scenes;

/// <summary>
/// The catalog of scenes: collections, their items through time and the items' assets, searched by place, time and
/// properties. One implementation (<see cref="DbSceneCatalog"/>) over SQLite and PostgreSQL.
/// </summary>
public interface ISceneCatalog
{
    /// <summary>Adds the collection, or replaces its description (its items stay).</summary>
    Task UpsertCollectionAsync(CatalogCollection collection, CancellationToken cancellationToken = default);

    Task<CatalogCollection?> GetCollectionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every collection, in listing order.</summary>
    Task<IReadOnlyList<CatalogCollection>> ListCollectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a collection with its items and their assets' records (downloaded files are not touched).</summary>
    Task<bool> DeleteCollectionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>What the items <paramref name="visibility"/> may see cover, per collection that has any.</summary>
    Task<IReadOnlyDictionary<string, CollectionExtent>> ExtentsAsync(IReadOnlyList<string>? collections, string? visibility,
        CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces items (by collection and id) with their assets, all in one transaction.</summary>
    Task UpsertItemsAsync(IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces an item inside a transaction of the caller's on the same database.</summary>
    Task UpsertItemAsync(DbConnection connection, DbTransaction transaction, CatalogItem item, CancellationToken cancellationToken = default);

    Task<CatalogItem?> GetItemAsync(string collection, string id, string? visibility, CancellationToken cancellationToken = default);

    Task<ItemPage> SearchAsync(ItemSearch search, CancellationToken cancellationToken = default);

    /// <summary>Removes the items that are results of a task (when the task is deleted).</summary>
    Task<int> DeleteItemsOfTaskAsync(long taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the run of scheduled harvest <paramref name="name"/> due at <paramref name="now"/> when it last ran
    /// <paramref name="every"/> ago or more: true for exactly one caller across every server of the database.
    /// </summary>
    Task<bool> ClaimScheduledRunAsync(string name, DateTimeOffset now, TimeSpan every, CancellationToken cancellationToken = default);

    /// <summary>Every asset that lies on this machine (downloaded, or found in a folder of products).</summary>
    Task<IReadOnlyList<LocalAsset>> LocalAssetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Records where an asset lies once downloaded (null: not here any more), with its size and checksum when now known.</summary>
    Task<bool> SetAssetLocalAsync(string collection, string id, string asset, string? localPath, long? size, string? checksum,
        CancellationToken cancellationToken = default);
}

/// <summary>An asset of an item that lies on this machine, at <paramref name="LocalPath"/>.</summary>
public sealed record LocalAsset(string Collection, string Item, string Asset, string LocalPath);
