using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Tessera.Tasks.Stores.Sqlite;

/// <summary>
/// The embedded task store: one SQLite file in WAL mode with a busy timeout, migrated on open. Claims run
/// as one UPDATE ... RETURNING inside an IMMEDIATE transaction, so concurrent workers never share a task.
/// </summary>
public sealed class SqliteTaskStore : ITaskStore
{
    private const string Store = "Sqlite";
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    private SqliteTaskStore(string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
    }

    /// <summary>Opens (creating and migrating if needed) the store in the file at <paramref name="path"/>.</summary>
    public static async Task<SqliteTaskStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        SQLitePCL.Batteries_V2.Init();
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            DefaultTimeout = 30, // seconds; also SQLite's busy timeout
            Pooling = true,
        };
        var store = new SqliteTaskStore(builder.ToString(), time ?? TimeProvider.System);
        await store.MigrateAsync(cancellationToken);
        return store;
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        await ExecuteAsync(connection, null,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);",
            cancellationToken);
        foreach (var (version, name, sql) in SqlResources.Migrations(Store))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var check = Command(connection, transaction, "SELECT COUNT(*) FROM schema_migrations WHERE version = $v;"))
            {
                check.Parameters.AddWithValue("$v", version);
                if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
                {
                    continue;
                }
            }
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using (var record = Command(connection, transaction, "INSERT INTO schema_migrations VALUES ($v, $n, $t);"))
            {
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$n", name);
                record.Parameters.AddWithValue("$t", Now());
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task<ProcessingTask> CreateAsync(NewTask task, CancellationToken cancellationToken = default)
    {
        if (!TaskTypeNames.IsDefined((int)task.Type))
        {
            throw new TaskException($"unknown task type {(int)task.Type}");
        }
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        ProcessingTask created;
        await using (var insert = Query(connection, transaction, "insert_task"))
        {
            insert.Parameters.AddWithValue("$name", task.Name);
            insert.Parameters.AddWithValue("$type", (int)task.Type);
            insert.Parameters.AddWithValue("$owner", task.Owner);
            insert.Parameters.AddWithValue("$inputs", task.InputsJson);
            insert.Parameters.AddWithValue("$output_folder", (object?)task.OutputFolder ?? DBNull.Value);
            insert.Parameters.AddWithValue("$output_name", (object?)task.OutputName ?? DBNull.Value);
            insert.Parameters.AddWithValue("$parameters", task.ParametersJson);
            insert.Parameters.AddWithValue("$now", Now());
            created = (await ReadTasksAsync(insert, cancellationToken)).Single();
        }
        await RecordAsync(connection, transaction, created.Id, null, TaskStatus.NotStarted, 0, null, task.Owner, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public async Task<ProcessingTask?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_task");
        select.Parameters.AddWithValue("$id", id);
        return (await ReadTasksAsync(select, cancellationToken)).SingleOrDefault();
    }

    public async Task<ClaimedTask?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        var token = Guid.NewGuid();
        var now = _time.GetUtcNow();
        var expires = now + leaseDuration;
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        ProcessingTask? claimed = null;
        var previous = TaskStatus.NotStarted;
        await using (var claim = Query(connection, transaction, "claim_next"))
        {
            claim.Parameters.AddWithValue("$worker", workerId);
            claim.Parameters.AddWithValue("$token", token.ToString());
            claim.Parameters.AddWithValue("$expires", expires.ToUnixTimeMilliseconds());
            claim.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                claimed = ReadTask(reader);
                previous = (TaskStatus)reader.GetInt32(reader.GetOrdinal("previous_status"));
            }
        }
        if (claimed is null)
        {
            return null;
        }
        TaskStateMachine.EnsureCanMove(previous, claimed.Status);
        await RecordAsync(connection, transaction, claimed.Id, previous, claimed.Status, claimed.Attempts, null, workerId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ClaimedTask(claimed, new Lease(claimed.Id, token, workerId, claimed.Attempts, FromMillis(expires.ToUnixTimeMilliseconds())));
    }

    public async Task<Lease> HeartbeatAsync(Lease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        var expires = FromMillis((_time.GetUtcNow() + leaseDuration).ToUnixTimeMilliseconds());
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, null, "heartbeat");
        update.Parameters.AddWithValue("$expires", expires.ToUnixTimeMilliseconds());
        update.Parameters.AddWithValue("$id", lease.TaskId);
        update.Parameters.AddWithValue("$token", lease.Token.ToString());
        if (await update.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw new LeaseLostException(lease.TaskId);
        }
        return lease with { ExpiresAt = expires };
    }

    public async Task<ProcessingTask> AdvanceAsync(Lease lease, TaskStatus to, string? errorMessage = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await GetHeldAsync(connection, transaction, lease, cancellationToken);
        TaskStateMachine.EnsureCanMove(current.Status, to);
        ProcessingTask moved;
        await using (var update = Query(connection, transaction, "advance"))
        {
            update.Parameters.AddWithValue("$to", (int)to);
            update.Parameters.AddWithValue("$error", (object?)errorMessage ?? DBNull.Value);
            update.Parameters.AddWithValue("$now", Now());
            update.Parameters.AddWithValue("$keep_lease", to.IsInProgress() ? 1 : 0);
            update.Parameters.AddWithValue("$id", lease.TaskId);
            update.Parameters.AddWithValue("$token", lease.Token.ToString());
            update.Parameters.AddWithValue("$from", (int)current.Status);
            moved = (await ReadTasksAsync(update, cancellationToken)).SingleOrDefault() ?? throw new LeaseLostException(lease.TaskId);
        }
        await RecordAsync(connection, transaction, lease.TaskId, current.Status, to, lease.Attempt, errorMessage, lease.WorkerId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    public async Task ReportProgressAsync(Lease lease, TaskProgress progress, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, null, "progress");
        update.Parameters.AddWithValue("$stage", progress.Stage);
        update.Parameters.AddWithValue("$done", progress.Done);
        update.Parameters.AddWithValue("$total", progress.Total);
        update.Parameters.AddWithValue("$now", Now());
        update.Parameters.AddWithValue("$id", lease.TaskId);
        update.Parameters.AddWithValue("$token", lease.Token.ToString());
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new LeaseLostException(lease.TaskId);
        }
    }

    public async Task<ProcessingTask> RetryAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        ProcessingTask current;
        await using (var select = Query(connection, transaction, "select_task"))
        {
            select.Parameters.AddWithValue("$id", id);
            current = (await ReadTasksAsync(select, cancellationToken)).SingleOrDefault() ?? throw new TaskNotFoundException(id);
        }
        var to = current.Status switch
        {
            TaskStatus.DownloadFailed or TaskStatus.ProcessingFailed => TaskStatus.NotStarted,
            TaskStatus.PublishFailed => TaskStatus.ProcessingCompleted,
            _ => throw new TaskException($"task {id} is {current.Status.SeedName()}: only failed tasks can be retried"),
        };
        TaskStateMachine.EnsureCanMove(current.Status, to);
        ProcessingTask retried;
        await using (var update = Query(connection, transaction, "retry"))
        {
            update.Parameters.AddWithValue("$to", (int)to);
            update.Parameters.AddWithValue("$now", Now());
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$from", (int)current.Status);
            retried = (await ReadTasksAsync(update, cancellationToken)).Single();
        }
        await RecordAsync(connection, transaction, id, current.Status, to, 0, null, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return retried;
    }

    public async Task<int> RescueExpiredAsync(int maxAttempts, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        List<(ProcessingTask Task, string Token)> expired = [];
        await using (var select = Query(connection, transaction, "select_expired"))
        {
            select.Parameters.AddWithValue("$now", Now());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                expired.Add((ReadTask(reader), reader.GetString(reader.GetOrdinal("lease_token"))));
            }
        }
        foreach (var (task, token) in expired)
        {
            var spent = task.Attempts >= maxAttempts;
            var to = spent ? task.Status.FailureOf() : TaskStatus.NotStarted;
            var error = spent
                ? $"the worker ({task.LeaseOwner}) stopped answering during {task.Status.SeedName()}, {task.Attempts} attempt(s) of {maxAttempts}"
                : null;
            TaskStateMachine.EnsureCanMove(task.Status, to);
            await using (var update = Query(connection, transaction, "rescue"))
            {
                update.Parameters.AddWithValue("$to", (int)to);
                update.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
                update.Parameters.AddWithValue("$now", Now());
                update.Parameters.AddWithValue("$id", task.Id);
                update.Parameters.AddWithValue("$token", token);
                update.Parameters.AddWithValue("$from", (int)task.Status);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await RecordAsync(connection, transaction, task.Id, task.Status, to, task.Attempts,
                error ?? $"lease of {task.LeaseOwner} expired", "rescuer", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return expired.Count;
    }

    public async Task<bool> DeleteNotStartedAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, null, "delete_not_started");
        delete.Parameters.AddWithValue("$id", id);
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<StatusChange>> HistoryAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_history");
        select.Parameters.AddWithValue("$id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var changes = new List<StatusChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new StatusChange(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : (TaskStatus)reader.GetInt32(1),
                (TaskStatus)reader.GetInt32(2),
                FromMillis(reader.GetInt64(3)),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6)));
        }
        return changes;
    }

    private async Task<ProcessingTask> GetHeldAsync(SqliteConnection connection, SqliteTransaction transaction, Lease lease, CancellationToken cancellationToken)
    {
        await using var select = Query(connection, transaction, "select_task");
        select.Parameters.AddWithValue("$id", lease.TaskId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new LeaseLostException(lease.TaskId);
        }
        var ordinal = reader.GetOrdinal("lease_token");
        if (reader.IsDBNull(ordinal) || reader.GetString(ordinal) != lease.Token.ToString())
        {
            throw new LeaseLostException(lease.TaskId);
        }
        return ReadTask(reader);
    }

    private async Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, long taskId, TaskStatus? from,
        TaskStatus to, int attempt, string? error, string actor, CancellationToken cancellationToken)
    {
        await using var insert = Query(connection, transaction, "insert_history");
        insert.Parameters.AddWithValue("$task_id", taskId);
        insert.Parameters.AddWithValue("$from", from is null ? DBNull.Value : (int)from.Value);
        insert.Parameters.AddWithValue("$to", (int)to);
        insert.Parameters.AddWithValue("$at", Now());
        insert.Parameters.AddWithValue("$attempt", attempt);
        insert.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        insert.Parameters.AddWithValue("$actor", actor);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<ProcessingTask>> ReadTasksAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tasks = new List<ProcessingTask>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tasks.Add(ReadTask(reader));
        }
        return tasks;
    }

    private static ProcessingTask ReadTask(DbDataReader r)
    {
        string? Text(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
        long? Number(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetInt64(r.GetOrdinal(column));
        var stage = Text("progress_stage");
        return new ProcessingTask(
            Number("id")!.Value,
            Text("name")!,
            (TaskType)Number("type")!.Value,
            Text("owner")!,
            Text("inputs")!,
            Text("output_folder"),
            Text("output_name"),
            Text("parameters")!,
            (TaskStatus)Number("status")!.Value,
            Text("error_message"),
            (int)Number("attempts")!.Value,
            FromMillis(Number("created_at")!.Value),
            FromMillis(Number("updated_at")!.Value),
            Text("lease_owner"),
            Number("lease_expires_at") is { } expires ? FromMillis(expires) : null,
            stage is null ? null : new TaskProgress(stage, Number("progress_done") ?? 0, Number("progress_total") ?? 0));
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static SqliteCommand Query(SqliteConnection connection, SqliteTransaction? transaction, string name) =>
        Command(connection, transaction, SqlResources.Get(Store, "Queries", name));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMillis(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
