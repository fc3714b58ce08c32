using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Data;
using Tessera.Raster;
using Tessera.Raster.Features;

namespace Tessera.Catalog.Scenes;

/// <summary>
/// The catalog of scenes on ADO.NET, in any <see cref="Database"/>: the SQL is in <c>Scenes/{Dialect}/…</c>, falling back
/// to <c>Scenes/Common/…</c>, with numbered migrations applied when it opens. Searches are answered by the database
/// (filters, order, count, page); only an <c>intersects</c> geometry is refined here, over the items its bounding box
/// selected. The results collections' items go with their stored file (a foreign key), so the file registry is
/// migrated first.
/// </summary>
public sealed class DbSceneCatalog : ISceneCatalog
{
    private static readonly SqlScripts Scripts = new(typeof(DbSceneCatalog).Assembly, "Tessera.Catalog.Scenes");

    /// <summary>Names the lock under which the catalog's migrations run.</summary>
    private const long MigrationLock = 727465737365726102;

    private readonly Database _database;
    private readonly TimeProvider _time;

    private DbSceneCatalog(Database database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>The catalog in <paramref name="database"/> (which it does not close), migrated.</summary>
    public static async Task<DbSceneCatalog> OpenAsync(Database database, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        await (await DbFileRegistry.OpenAsync(database, cancellationToken: cancellationToken)).DisposeAsync();
        await database.MigrateAsync(Scripts, "scene_catalog_migrations", MigrationLock, cancellationToken);
        return new DbSceneCatalog(database, time ?? TimeProvider.System);
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task UpsertCollectionAsync(CatalogCollection collection, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var box = collection.DeclaredBbox;
        await using var upsert = Query(connection, null, "upsert_collection", ("id", collection.Id), ("title", collection.Title),
            ("description", collection.Description), ("license", collection.License), ("kind", collection.Kind.ToString()),
            ("bands", JsonSerializer.Serialize(collection.Bands)), ("summaries", collection.Summaries.ToJsonString()),
            ("minx", box?.MinX), ("miny", box?.MinY), ("maxx", box?.MaxX), ("maxy", box?.MaxY),
            ("start", collection.DeclaredStart?.ToUnixTimeMilliseconds()), ("end", collection.DeclaredEnd?.ToUnixTimeMilliseconds()),
            ("extra", (collection.Extra ?? []).ToJsonString()), ("source", collection.Source), ("rank", collection.Rank), ("updated", Now));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CatalogCollection?> GetCollectionAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_collection", ("id", id));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadCollection(reader) : null;
    }

    public async Task<IReadOnlyList<CatalogCollection>> ListCollectionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_collections");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var all = new List<CatalogCollection>();
        while (await reader.ReadAsync(cancellationToken))
        {
            all.Add(ReadCollection(reader));
        }
        return all;
    }

    public async Task<bool> DeleteCollectionAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, null, "delete_collection", ("id", id));
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyDictionary<string, CollectionExtent>> ExtentsAsync(IReadOnlyList<string>? collections, string? visibility,
        CancellationToken cancellationToken = default)
    {
        var sql = new SearchSql(_database.Dialect, new ItemSearch(Collections: collections, Visibility: visibility));
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var extents = new Dictionary<string, CollectionExtent>();
        await using (var select = SqlCommands.Create(connection, null,
            "SELECT i.collection_id, COUNT(*), MIN(i.min_lon), MIN(i.min_lat), MAX(i.max_lon), MAX(i.max_lat), MIN(i.start_at), MAX(i.end_at), " +
            $"MIN(i.cloud_cover), MAX(i.cloud_cover) FROM catalog_items i {sql.Where} GROUP BY i.collection_id;", sql.Parameters))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                double? D(int i) => reader.IsDBNull(i) ? null : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
                var bbox = reader.IsDBNull(2) ? (Bounds?)null : new Bounds(D(2)!.Value, D(3)!.Value, D(4)!.Value, D(5)!.Value);
                extents[reader.GetString(0)] = new CollectionExtent(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), bbox,
                    Time(reader, 6), Time(reader, 7), D(8), D(9), []);
            }
        }
        var platforms = new Dictionary<string, List<string>>();
        await using (var select = SqlCommands.Create(connection, null,
            $"SELECT DISTINCT i.collection_id, i.platform FROM catalog_items i {sql.Where} AND i.platform IS NOT NULL ORDER BY i.collection_id, i.platform;",
            sql.Parameters))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                if (!platforms.TryGetValue(id, out var list))
                {
                    platforms[id] = list = [];
                }
                list.Add(reader.GetString(1));
            }
        }
        foreach (var (id, list) in platforms)
        {
            extents[id] = extents[id] with { Platforms = list };
        }
        return extents;
    }

    public async Task UpsertItemsAsync(IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var item in items)
        {
            await UpsertItemAsync(connection, transaction, item, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task UpsertItemAsync(DbConnection connection, DbTransaction transaction, CatalogItem item, CancellationToken cancellationToken = default)
    {
        Validate(item);
        long key;
        await using (var upsert = Query(connection, transaction, "upsert_item", ("collection", item.Collection), ("id", item.Id),
            ("datetime", item.DateTime?.ToUnixTimeMilliseconds()), ("start", item.Start.ToUnixTimeMilliseconds()),
            ("end", item.End.ToUnixTimeMilliseconds()), ("geometry", item.Geometry?.ToJsonString()),
            ("minx", item.Bbox?.MinX), ("miny", item.Bbox?.MinY), ("maxx", item.Bbox?.MaxX), ("maxy", item.Bbox?.MaxY),
            ("cloud", item.CloudCover), ("platform", item.Platform), ("grid", item.GridCode),
            ("properties", StoredProperties(item).ToJsonString()), ("links", item.Links?.ToJsonString()),
            ("extensions", item.Extensions is null ? null : JsonSerializer.Serialize(item.Extensions)), ("owner", item.Owner),
            ("task", item.TaskId), ("file", item.FileId), ("updated", Now)))
        {
            key = Convert.ToInt64(await upsert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        await using (var delete = Query(connection, transaction, "delete_assets", ("item", key)))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        var position = 0;
        foreach (var asset in item.Assets)
        {
            await using var insert = Query(connection, transaction, "insert_asset", ("item", key), ("key", asset.Key), ("href", asset.Href),
                ("type", asset.MediaType), ("title", asset.Title), ("roles", JsonSerializer.Serialize(asset.Roles ?? [])), ("band", asset.Band),
                ("checksum", asset.Checksum), ("size", asset.Size), ("local", asset.LocalPath), ("extra", (asset.Extra ?? []).ToJsonString()),
                ("position", position++));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<CatalogItem?> GetItemAsync(string collection, string id, string? visibility, CancellationToken cancellationToken = default)
    {
        var page = await SearchAsync(new ItemSearch(Collections: [collection], Ids: [id], Limit: 1, Visibility: visibility, Count: false), cancellationToken);
        return page.Items.Count == 1 ? page.Items[0] : null;
    }

    public async Task<ItemPage> SearchAsync(ItemSearch search, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        if (search.Intersects is { } geometry)
        {
            return await SearchIntersectingAsync(connection, search, geometry, cancellationToken);
        }
        var sql = new SearchSql(_database.Dialect, search);
        long? matched = null;
        if (search.Count)
        {
            await using var count = SqlCommands.Create(connection, null, $"SELECT COUNT(*) FROM catalog_items i {sql.Where};", sql.Parameters);
            matched = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        var parameters = sql.Parameters.Append(("limit", search.Limit)).Append(("offset", search.Offset)).ToArray();
        var items = await ReadItemsAsync(connection, $"SELECT i.* FROM catalog_items i {sql.Where} {sql.OrderBy} LIMIT @limit OFFSET @offset;",
            parameters, cancellationToken);
        return new ItemPage(items.Select(i => i.Item).ToList(), matched);
    }

    /// <summary>
    /// The items whose footprint meets <paramref name="geometry"/>: the database selects those whose bounding box meets
    /// the geometry's, in order, and each is tested exactly; the count is of the exact matches.
    /// </summary>
    private async Task<ItemPage> SearchIntersectingAsync(DbConnection connection, ItemSearch search, GeoJsonGeometry geometry,
        CancellationToken cancellationToken)
    {
        var sql = new SearchSql(_database.Dialect, search);
        var matching = new List<long>();
        await using (var select = SqlCommands.Create(connection, null, $"SELECT i.key, i.geometry FROM catalog_items i {sql.Where} {sql.OrderBy};",
            sql.Parameters))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(1))
                {
                    continue;
                }
                using var footprint = GeoJsonGeometry.Parse(reader.GetString(1));
                if (footprint.Intersects(geometry))
                {
                    matching.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
                }
            }
        }
        var keys = matching.Skip(search.Offset).Take(search.Limit).ToList();
        if (keys.Count == 0)
        {
            return new ItemPage([], search.Count ? matching.Count : null);
        }
        var parameters = keys.Select((k, i) => ($"k{i}", (object?)k)).ToArray();
        var items = await ReadItemsAsync(connection,
            $"SELECT i.* FROM catalog_items i WHERE i.key IN ({string.Join(", ", parameters.Select(p => "@" + p.Item1))});", parameters, cancellationToken);
        var order = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
        return new ItemPage(items.OrderBy(i => order[i.Key]).Select(i => i.Item).ToList(), search.Count ? matching.Count : null);
    }

    public async Task<int> DeleteItemsOfTaskAsync(long taskId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, null, "delete_items_of_task", ("task", taskId));
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> SetAssetLocalAsync(string collection, string id, string asset, string? localPath, long? size, string? checksum,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, null, "set_asset_local", ("collection", collection), ("id", id), ("key", asset),
            ("local", localPath), ("size", size), ("checksum", checksum));
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> ClaimScheduledRunAsync(string name, DateTimeOffset now, TimeSpan every, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using (var add = Query(connection, null, "add_schedule", ("name", name)))
        {
            await add.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var claim = Query(connection, null, "claim_schedule", ("name", name), ("now", now.ToUnixTimeMilliseconds()),
            ("due", (now - every).ToUnixTimeMilliseconds()));
        return await claim.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<LocalAsset>> LocalAssetsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_local_assets");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var assets = new List<LocalAsset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            assets.Add(new LocalAsset(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        return assets;
    }

    /// <summary>Items of a query (and their assets, in a second query), in the query's order, with their keys.</summary>
    private static async Task<List<(long Key, CatalogItem Item)>> ReadItemsAsync(DbConnection connection, string sql,
        (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        var rows = new List<(long Key, CatalogItem Item)>();
        await using (var select = SqlCommands.Create(connection, null, sql, parameters))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((Convert.ToInt64(reader.GetValue(reader.GetOrdinal("key")), CultureInfo.InvariantCulture), ReadItem(reader)));
            }
        }
        if (rows.Count == 0)
        {
            return rows;
        }
        var assets = rows.ToDictionary(r => r.Key, _ => new List<CatalogAsset>());
        var keys = rows.Select((r, i) => ($"k{i}", (object?)r.Key)).ToArray();
        await using (var select = SqlCommands.Create(connection, null,
            $"SELECT * FROM catalog_assets WHERE item_key IN ({string.Join(", ", keys.Select(k => "@" + k.Item1))}) ORDER BY item_key, position;", keys))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                assets[Convert.ToInt64(reader.GetValue(reader.GetOrdinal("item_key")), CultureInfo.InvariantCulture)].Add(ReadAsset(reader));
            }
        }
        return rows.Select(r => (r.Key, r.Item with { Assets = assets[r.Key] })).ToList();
    }

    private static CatalogItem ReadItem(DbDataReader r)
    {
        string? Text(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
        double? Number(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : Convert.ToDouble(r.GetValue(r.GetOrdinal(column)), CultureInfo.InvariantCulture);
        long? Whole(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : Convert.ToInt64(r.GetValue(r.GetOrdinal(column)), CultureInfo.InvariantCulture);
        var bbox = Number("min_lon") is { } west ? new Bounds(west, Number("min_lat")!.Value, Number("max_lon")!.Value, Number("max_lat")!.Value) : (Bounds?)null;
        return new CatalogItem(
            r.GetString(r.GetOrdinal("collection_id")),
            r.GetString(r.GetOrdinal("id")),
            Whole("datetime") is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(Whole("start_at")!.Value),
            DateTimeOffset.FromUnixTimeMilliseconds(Whole("end_at")!.Value),
            Text("geometry") is { } g ? JsonNode.Parse(g)!.AsObject() : null,
            bbox,
            Number("cloud_cover"),
            Text("platform"),
            Text("grid_code"),
            JsonNode.Parse(Text("properties")!)!.AsObject(),
            [],
            Text("links") is { } links ? JsonNode.Parse(links)!.AsArray() : null,
            Text("owner"),
            Whole("task_id"),
            Whole("file_id"),
            Text("extensions") is { } extensions ? JsonSerializer.Deserialize<string[]>(extensions) : null);
    }

    private static CatalogAsset ReadAsset(DbDataReader r)
    {
        string? Text(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
        return new CatalogAsset(
            Text("key")!,
            Text("href")!,
            Text("media_type"),
            Text("title"),
            JsonSerializer.Deserialize<string[]>(Text("roles")!),
            Text("band"),
            Text("checksum"),
            r.IsDBNull(r.GetOrdinal("size")) ? null : Convert.ToInt64(r.GetValue(r.GetOrdinal("size")), CultureInfo.InvariantCulture),
            Text("local_path"),
            JsonNode.Parse(Text("extra")!)!.AsObject());
    }

    private static CatalogCollection ReadCollection(DbDataReader r)
    {
        string? Text(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
        double? Number(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : Convert.ToDouble(r.GetValue(r.GetOrdinal(column)), CultureInfo.InvariantCulture);
        var bbox = Number("min_lon") is { } west ? new Bounds(west, Number("min_lat")!.Value, Number("max_lon")!.Value, Number("max_lat")!.Value) : (Bounds?)null;
        return new CatalogCollection(
            Text("id")!,
            Text("title"),
            Text("description")!,
            Text("license")!,
            Enum.Parse<CollectionKind>(Text("kind")!),
            JsonSerializer.Deserialize<CatalogBand[]>(Text("bands")!) ?? [],
            JsonNode.Parse(Text("summaries")!)!.AsObject(),
            bbox,
            Time(r, r.GetOrdinal("start_at")),
            Time(r, r.GetOrdinal("end_at")),
            JsonNode.Parse(Text("extra")!)!.AsObject(),
            Text("source"),
            Convert.ToInt32(r.GetValue(r.GetOrdinal("rank")), CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset? Time(DbDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture));

    /// <summary>The properties as stored: the item's, with the searched fields written over them so that both always agree.</summary>
    private static JsonObject StoredProperties(CatalogItem item)
    {
        var properties = (JsonObject)item.Properties.DeepClone();
        properties["datetime"] = item.DateTime is { } t ? Stac.StacItems.Time(t) : null;
        if (item.DateTime is null || item.Start != item.End)
        {
            properties["start_datetime"] = Stac.StacItems.Time(item.Start);
            properties["end_datetime"] = Stac.StacItems.Time(item.End);
        }
        Set(properties, "eo:cloud_cover", item.CloudCover);
        Set(properties, "platform", item.Platform);
        Set(properties, "grid:code", item.GridCode);
        return properties;
    }

    private static void Set<T>(JsonObject properties, string name, T? value)
    {
        if (value is null)
        {
            properties.Remove(name);
        }
        else
        {
            properties[name] = JsonValue.Create(value);
        }
    }

    private static void Validate(CatalogItem item)
    {
        if (string.IsNullOrWhiteSpace(item.Collection) || string.IsNullOrWhiteSpace(item.Id))
        {
            throw new CatalogException("an item needs a collection and an id");
        }
        if (item.End < item.Start || (item.DateTime is { } t && (t < item.Start || t > item.End)))
        {
            throw new CatalogException($"item {item.Collection}/{item.Id}: its time range ends before it starts or leaves out its datetime");
        }
        if ((item.Geometry is null) != (item.Bbox is null))
        {
            throw new CatalogException($"item {item.Collection}/{item.Id}: a geometry needs its bounding box and the reverse");
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var asset in item.Assets)
        {
            if (!keys.Add(asset.Key))
            {
                throw new CatalogException($"item {item.Collection}/{item.Id}: asset '{asset.Key}' appears twice");
            }
        }
    }

    private DbCommand Query(DbConnection connection, DbTransaction? transaction, string name, params (string Name, object? Value)[] parameters) =>
        SqlCommands.Create(connection, transaction, Scripts.Get(_database.Dialect, "Queries", name), parameters);
}
