using System.Data.Common;
using System.Text.Json;
using Tessera.Data;
using Tessera.Raster;
using Tessera.Raster.Info;

namespace Tessera.Catalog.Files;

/// <summary>
/// The file records on ADO.NET, in any <see cref="Database"/>: the SQL is in <c>Files/{Dialect}/…</c>, falling back to
/// <c>Files/Common/…</c>, with numbered migrations applied when the registry opens.
/// </summary>
public sealed class DbFileRegistry : IFileRegistry, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly SqlScripts Scripts = new(typeof(DbFileRegistry).Assembly, "Tessera.Catalog.Files");

    /// <summary>Names the lock under which the registry's migrations run.</summary>
    private const long MigrationLock = 727465737365726101;

    private readonly Database _database;
    private readonly bool _ownsDatabase;

    private DbFileRegistry(Database database, bool ownsDatabase)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
    }

    /// <summary>The registry in <paramref name="database"/>, migrated; it closes the database when disposed if it <paramref name="ownsDatabase"/>.</summary>
    public static async Task<DbFileRegistry> OpenAsync(Database database, bool ownsDatabase = false, CancellationToken cancellationToken = default)
    {
        var registry = new DbFileRegistry(database, ownsDatabase);
        try
        {
            await database.MigrateAsync(Scripts, "catalog_migrations", MigrationLock, cancellationToken);
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    private Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _database.OpenConnectionAsync(cancellationToken);

    public async Task<StoredFile> InsertAsync(StoredFile file, string? pendingToken = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var insert = Query(connection, "insert_file",
            ("name", file.Name), ("owner", file.Owner), ("size", file.Size), ("sha", file.Sha256),
            ("created", file.CreatedAt.ToUnixTimeMilliseconds()), ("path", file.RelativePath),
            ("raster", JsonSerializer.Serialize(file.Raster, Json)),
            ("minx", file.LonLatBounds?.MinX), ("miny", file.LonLatBounds?.MinY),
            ("maxx", file.LonLatBounds?.MaxX), ("maxy", file.LonLatBounds?.MaxY), ("pending", pendingToken), ("task", file.TaskId),
            ("vector", file.Vector is null ? null : JsonSerializer.Serialize(file.Vector, Json)));
        return file with { Id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken)) };
    }

    public async Task<StoredFile?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_file", ("id", id));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<FilePage> ListAsync(string? owner, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        long total;
        await using (var count = Query(connection, "count_files", ("owner", owner)))
        {
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken));
        }
        await using var select = Query(connection, "list_files", ("owner", owner), ("limit", limit), ("offset", offset));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var items = new List<StoredFile>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }
        return new FilePage(items, total, offset, limit);
    }

    public async Task<StoredFile?> FindByChecksumAsync(string owner, string sha256, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_by_checksum", ("owner", owner), ("sha", sha256));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task KeepAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, "keep_file", ("id", id));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StoredFile>> OrphanResultsAsync(string? owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "orphan_results", ("owner", owner));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var files = new List<StoredFile>();
        while (await reader.ReadAsync(cancellationToken))
        {
            files.Add(Read(reader));
        }
        return files;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, "delete_file", ("id", id));
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeletePendingAsync(long id, string token, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, "delete_pending", ("id", id), ("token", token));
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<PendingFile>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_pending");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var pending = new List<PendingFile>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new PendingFile(Convert.ToInt64(reader.GetValue(0)), reader.GetString(1), reader.GetString(2)));
        }
        return pending;
    }

    /// <summary>
    /// Makes a pending file visible, inside a transaction of the caller's on the same database (the one that
    /// publishes the task that produced it); <see cref="CatalogException"/> when it is not pending under
    /// <paramref name="token"/>, which rolls that transaction back.
    /// </summary>
    public async Task ConfirmPendingAsync(DbConnection connection, DbTransaction transaction, long id, string token,
        CancellationToken cancellationToken = default)
    {
        await using var update = Command(connection, transaction, Sql("Queries", "confirm_pending"), ("id", id), ("token", token));
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new CatalogException($"file {id} is not waiting to be published by this attempt");
        }
    }

    /// <summary>A visible file, read inside a transaction of the caller's (one it has just confirmed is visible there).</summary>
    public async Task<StoredFile?> GetInAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken = default)
    {
        await using var select = Command(connection, transaction, Sql("Queries", "select_file"), ("id", id));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static StoredFile Read(DbDataReader r)
    {
        double Number(string column) => Convert.ToDouble(r.GetValue(r.GetOrdinal(column)));
        Bounds? lonLat = r.IsDBNull(r.GetOrdinal("min_lon"))
            ? null
            : new Bounds(Number("min_lon"), Number("min_lat"), Number("max_lon"), Number("max_lat"));
        return new StoredFile(
            Convert.ToInt64(r.GetValue(r.GetOrdinal("id"))),
            r.GetString(r.GetOrdinal("name")),
            r.GetString(r.GetOrdinal("owner")),
            Convert.ToInt64(r.GetValue(r.GetOrdinal("size"))),
            r.GetString(r.GetOrdinal("sha256")),
            DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(r.GetOrdinal("created_at")))),
            JsonSerializer.Deserialize<RasterDescription>(r.GetString(r.GetOrdinal("raster")), Json), // "null" for a table
            lonLat,
            r.GetString(r.GetOrdinal("relative_path")),
            r.IsDBNull(r.GetOrdinal("task_id")) ? null : Convert.ToInt64(r.GetValue(r.GetOrdinal("task_id"))),
            r.IsDBNull(r.GetOrdinal("vector")) ? null : JsonSerializer.Deserialize<VectorDescription>(r.GetString(r.GetOrdinal("vector")), Json));
    }

    private string Sql(string folder, string name) => Scripts.Get(_database.Dialect, folder, name);

    private DbCommand Query(DbConnection connection, string name, params (string Name, object? Value)[] parameters) =>
        Command(connection, null, Sql("Queries", name), parameters);

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        SqlCommands.Create(connection, transaction, sql, parameters);

    public ValueTask DisposeAsync() => _ownsDatabase ? _database.DisposeAsync() : ValueTask.CompletedTask;
}
