using System.Data.Common;
using Tessera.Data;

namespace Tessera.Tasks.Ingest;

/// <summary>An area of interest ingested: who asked, its name, the request as given, when.</summary>
public sealed record Ingestion(long Id, string Owner, string Name, string Request, DateTimeOffset CreatedAt);

/// <summary>A task made for an ingestion: for the scene of a tile and date, its <c>download</c> or <c>process</c> step (or a
/// collection builder's step, writing into <paramref name="Collection"/>).</summary>
public sealed record IngestionTask(long TaskId, string Tile, string Date, string Scene, string Step, string? Collection = null);

/// <summary>
/// Ingestions (<c>POST /ingest</c>) in the service's database (SQLite or PostgreSQL; SQL in <c>Ingest/…</c>, migrated when
/// it opens): the request, and the tasks made for it by tile and date. The tasks themselves, with their dependencies, are
/// the task store's.
/// </summary>
public sealed class DbIngestionStore
{
    private static readonly SqlScripts Scripts = new(typeof(DbIngestionStore).Assembly, "Tessera.Tasks.Ingest");

    private const long MigrationLock = 727465737365726104;

    private readonly Database _database;
    private readonly TimeProvider _time;

    private DbIngestionStore(Database database, TimeProvider time) => (_database, _time) = (database, time);

    public static async Task<DbIngestionStore> OpenAsync(Database database, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        await database.MigrateAsync(Scripts, "ingest_migrations", MigrationLock, cancellationToken);
        return new DbIngestionStore(database, time ?? TimeProvider.System);
    }

    /// <summary>What an ingestion made by <c>POST /ingest</c> is.</summary>
    public const string Ingest = "ingest";

    /// <summary>What a collection builder's dispatch (<c>POST /api/radcor</c>) is.</summary>
    public const string Radcor = "radcor";

    public async Task<long> CreateAsync(string owner, string name, string request, CancellationToken cancellationToken = default, string kind = Ingest)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var insert = Query(connection, "insert_ingestion", ("owner", owner), ("name", name), ("request", request),
            ("now", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("kind", kind));
        return Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken));
    }

    public async Task AddTaskAsync(long ingestion, IngestionTask task, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var insert = Query(connection, "insert_ingestion_task", ("ingestion", ingestion), ("task", task.TaskId), ("tile", task.Tile),
            ("date", task.Date), ("scene", task.Scene), ("step", task.Step), ("collection", task.Collection));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The ingestion when it exists and <paramref name="visibility"/> (an owner, or null for any) may see it.</summary>
    public async Task<Ingestion?> GetAsync(long id, string? visibility, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_ingestion", ("id", id));
        var found = await ReadAsync(select, cancellationToken);
        return found.FirstOrDefault(i => visibility is null || i.Owner == visibility);
    }

    /// <summary>The latest 200 ingestions <paramref name="visibility"/> (an owner, or null for any) may see, newest first.</summary>
    public async Task<IReadOnlyList<Ingestion>> ListAsync(string? visibility, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_ingestions", ("owner", visibility ?? ""));
        return await ReadAsync(select, cancellationToken);
    }

    public async Task<IReadOnlyList<IngestionTask>> TasksAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadTasksAsync(Query(connection, "select_ingestion_tasks", ("id", id)), cancellationToken);
    }

    /// <summary>The tasks of every ingestion of a <paramref name="kind"/> (<see cref="Radcor"/>: the collection builder's
    /// activities) that <paramref name="visibility"/> (an owner, or null for everyone's) may see, in the order they were made.</summary>
    public async Task<IReadOnlyList<IngestionTask>> TasksOfKindAsync(string kind, string? visibility, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadTasksAsync(Query(connection, "select_kind_tasks", ("kind", kind), ("owner", visibility ?? "")), cancellationToken);
    }

    private static async Task<IReadOnlyList<IngestionTask>> ReadTasksAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using (select)
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            var tasks = new List<IngestionTask>();
            while (await reader.ReadAsync(cancellationToken))
            {
                tasks.Add(new IngestionTask(Convert.ToInt64(reader.GetValue(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
            return tasks;
        }
    }

    private static async Task<List<Ingestion>> ReadAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var found = new List<Ingestion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new Ingestion(Convert.ToInt64(reader.GetValue(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(4)))));
        }
        return found;
    }

    private DbCommand Query(DbConnection connection, string name, params (string Name, object? Value)[] parameters) =>
        SqlCommands.Create(connection, null, Scripts.Get(_database.Dialect, "Queries", name), parameters);
}
