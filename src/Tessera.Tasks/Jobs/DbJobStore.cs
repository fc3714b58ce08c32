using System.Data.Common;
using System.Globalization;
using Tessera.Data;

namespace Tessera.Tasks.Jobs;

/// <summary>
/// openEO batch jobs and their logs in the service's database (SQLite or PostgreSQL; SQL in <c>Jobs/…</c>, migrated
/// when it opens). A job runs as a task of the task store; this keeps what the task does not: the job's description,
/// its graph until it is started (with the user-defined processes it calls, as they were then), and what its runs
/// logged. Users' own processes are kept here too (<c>DbJobStore.ProcessGraphs.cs</c>), and secondary web services with
/// their logs (<c>DbJobStore.Services.cs</c>).
/// </summary>
public sealed partial class DbJobStore
{
    private static readonly SqlScripts Scripts = new(typeof(DbJobStore).Assembly, "Tessera.Tasks.Jobs");

    private const long MigrationLock = 727465737365726103;

    private readonly Database _database;
    private readonly TimeProvider _time;

    private DbJobStore(Database database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public static async Task<DbJobStore> OpenAsync(Database database, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        await database.MigrateAsync(Scripts, "openeo_job_migrations", MigrationLock, cancellationToken);
        return new DbJobStore(database, time ?? TimeProvider.System);
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <param name="userProcesses">The user-defined processes the graph calls, as they are now (JSON; null: none).</param>
    public async Task<BatchJob> CreateAsync(string owner, string? title, string? description, string process, string? plan, double? budget,
        string? userProcesses = null, CancellationToken cancellationToken = default)
    {
        var id = "j-" + Guid.NewGuid().ToString("N")[..20];
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var insert = Query(connection, "insert_job", ("id", id), ("owner", owner), ("title", title), ("description", description),
            ("process", process), ("plan", plan), ("budget", budget), ("now", Now), ("user_processes", userProcesses));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return (await GetAsync(id, null, cancellationToken))!;
    }

    /// <summary>The job, when it exists and <paramref name="visibility"/> (an owner, or null for every job) may see it.</summary>
    public async Task<BatchJob?> GetAsync(string id, string? visibility, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_job", ("id", id));
        var jobs = await ReadAsync(select, cancellationToken);
        return jobs.FirstOrDefault(j => visibility is null || j.Owner == visibility);
    }

    public async Task<IReadOnlyList<BatchJob>> ListAsync(string? visibility, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = visibility is null ? Query(connection, "select_all_jobs", ("limit", limit))
            : Query(connection, "select_jobs", ("owner", visibility), ("limit", limit));
        return await ReadAsync(select, cancellationToken);
    }

    public async Task UpdateAsync(BatchJob job, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, "update_job", ("id", job.Id), ("title", job.Title), ("description", job.Description),
            ("process", job.Process), ("plan", job.Plan), ("budget", job.Budget), ("now", Now), ("user_processes", job.UserProcesses));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetTaskAsync(string id, long taskId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, "set_job_task", ("id", id), ("task", taskId), ("now", Now));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using (var logs = Query(connection, "clear_job_logs", ("job", id)))
        {
            await logs.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var delete = Query(connection, "delete_job", ("id", id));
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task LogAsync(string id, string level, string message, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var insert = Query(connection, "insert_job_log", ("job", id), ("level", level), ("message", message), ("now", Now));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ClearLogsAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, "clear_job_logs", ("job", id));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The log lines after <paramref name="after"/> (a sequence number; 0: from the start), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<JobLogEntry>> LogsAsync(string id, long after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_job_logs", ("job", id), ("after", after), ("limit", limit));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var entries = new List<JobLogEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new JobLogEntry(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture))));
        }
        return entries;
    }

    private static async Task<List<BatchJob>> ReadAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<BatchJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            long Long(int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            jobs.Add(new BatchJob(reader.GetString(0), reader.GetString(1), Text(2), Text(3), reader.GetString(4), Text(5),
                reader.IsDBNull(6) ? null : Convert.ToDouble(reader.GetValue(6), CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(Long(7)), DateTimeOffset.FromUnixTimeMilliseconds(Long(8)), reader.IsDBNull(9) ? null : Long(9), Text(10)));
        }
        return jobs;
    }

    private DbCommand Query(DbConnection connection, string name, params (string Name, object? Value)[] parameters) =>
        SqlCommands.Create(connection, null, Scripts.Get(_database.Dialect, "Queries", name), parameters);
}
