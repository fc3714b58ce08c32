using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tessera.Raster;
using Tessera.Raster.Info;

namespace Tessera.Catalog.Files.Sqlite;

/// <summary>The file records in an SQLite database (the embedded default; it may share the tasks' file).</summary>
public sealed class SqliteFileRegistry : IFileRegistry
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly string _connectionString;

    private SqliteFileRegistry(string connectionString) => _connectionString = connectionString;

    public static async Task<SqliteFileRegistry> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        SQLitePCL.Batteries_V2.Init();
        var registry = new SqliteFileRegistry(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString());
        await using var connection = await registry.OpenAsync(cancellationToken);
        await Execute(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        await Execute(connection, null,
            "CREATE TABLE IF NOT EXISTS catalog_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);",
            cancellationToken);
        foreach (var (version, name, sql) in Migrations())
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM catalog_migrations WHERE version = @v;";
            check.Parameters.AddWithValue("@v", version);
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                continue;
            }
            await Execute(connection, transaction, sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO catalog_migrations VALUES (@v, @n, @t);";
            record.Parameters.AddWithValue("@v", version);
            record.Parameters.AddWithValue("@n", name);
            record.Parameters.AddWithValue("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return registry;
    }

    public async Task<StoredFile> InsertAsync(StoredFile file, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = Sql("Queries", "insert_file");
        insert.Parameters.AddWithValue("@name", file.Name);
        insert.Parameters.AddWithValue("@owner", file.Owner);
        insert.Parameters.AddWithValue("@size", file.Size);
        insert.Parameters.AddWithValue("@sha", file.Sha256);
        insert.Parameters.AddWithValue("@created", file.CreatedAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("@path", file.RelativePath);
        insert.Parameters.AddWithValue("@raster", JsonSerializer.Serialize(file.Raster, Json));
        insert.Parameters.AddWithValue("@minx", (object?)file.LonLatBounds?.MinX ?? DBNull.Value);
        insert.Parameters.AddWithValue("@miny", (object?)file.LonLatBounds?.MinY ?? DBNull.Value);
        insert.Parameters.AddWithValue("@maxx", (object?)file.LonLatBounds?.MaxX ?? DBNull.Value);
        insert.Parameters.AddWithValue("@maxy", (object?)file.LonLatBounds?.MaxY ?? DBNull.Value);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        return file with { Id = id };
    }

    public async Task<StoredFile?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = Sql("Queries", "select_file");
        select.Parameters.AddWithValue("@id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<FilePage> ListAsync(string? owner, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var count = connection.CreateCommand();
        count.CommandText = Sql("Queries", "count_files");
        count.Parameters.AddWithValue("@owner", (object?)owner ?? DBNull.Value);
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        await using var select = connection.CreateCommand();
        select.CommandText = Sql("Queries", "list_files");
        select.Parameters.AddWithValue("@owner", (object?)owner ?? DBNull.Value);
        select.Parameters.AddWithValue("@limit", limit);
        select.Parameters.AddWithValue("@offset", offset);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var items = new List<StoredFile>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }
        return new FilePage(items, total, offset, limit);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var delete = connection.CreateCommand();
        delete.CommandText = Sql("Queries", "delete_file");
        delete.Parameters.AddWithValue("@id", id);
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static StoredFile Read(SqliteDataReader r)
    {
        Bounds? lonLat = r.IsDBNull(r.GetOrdinal("min_lon"))
            ? null
            : new Bounds(r.GetDouble(r.GetOrdinal("min_lon")), r.GetDouble(r.GetOrdinal("min_lat")),
                r.GetDouble(r.GetOrdinal("max_lon")), r.GetDouble(r.GetOrdinal("max_lat")));
        return new StoredFile(
            r.GetInt64(r.GetOrdinal("id")),
            r.GetString(r.GetOrdinal("name")),
            r.GetString(r.GetOrdinal("owner")),
            r.GetInt64(r.GetOrdinal("size")),
            r.GetString(r.GetOrdinal("sha256")),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(r.GetOrdinal("created_at"))),
            JsonSerializer.Deserialize<RasterDescription>(r.GetString(r.GetOrdinal("raster")), Json)!,
            lonLat,
            r.GetString(r.GetOrdinal("relative_path")));
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string ResourcePrefix = "Tessera.Catalog.Files.Sqlite.";

    /// <summary>The text of an embedded <c>Files/Sqlite/{folder}/{name}.sql</c>.</summary>
    private static string Sql(string folder, string name)
    {
        using var stream = typeof(SqliteFileRegistry).Assembly.GetManifestResourceStream($"{ResourcePrefix}{folder}.{name}.sql")
            ?? throw new InvalidOperationException($"missing SQL resource {folder}/{name}.sql");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<(int Version, string Name, string Sql)> Migrations()
    {
        const string prefix = ResourcePrefix + "Migrations.";
        foreach (var resource in typeof(SqliteFileRegistry).Assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order())
        {
            var name = resource[prefix.Length..^4];
            yield return (int.Parse(name[..name.IndexOf('_')]), name, Sql("Migrations", name));
        }
    }
}
