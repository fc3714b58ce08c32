using System.Data.Common;
using Tessera.Data;

namespace Tessera.Tasks.Stores;

/// <summary>
/// The task store's logic, on ADO.NET, shared by every database: its SQL is in <c>Stores/{Dialect}/Queries/*.sql</c>
/// (or <c>Stores/Common/…</c>; <c>@name</c> parameters) with numbered migrations, run on a <see cref="Database"/>; a
/// store of one database overrides the operations it can do in one statement. Every status change is checked by
/// <see cref="TaskStateMachine"/>, fenced in SQL by the lease token and the expected status, and recorded in the
/// history in the same transaction.
/// </summary>
public abstract partial class DbTaskStore : ITaskStore
{
    /// <summary>The store's SQL files, embedded in this assembly.</summary>
    private static readonly SqlScripts Scripts = new(typeof(DbTaskStore).Assembly, "Tessera.Tasks.Stores");

    /// <summary>Names the lock under which the task store's migrations run.</summary>
    private const long MigrationLock = 727465737365726100;

    private readonly TimeProvider _time;
    private readonly bool _databaseClock;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _statements = new();

    /// <param name="time">A clock for tests; null (the service) takes every time from the database's own clock,
    /// so that leases mean the same to every worker whatever their machines' clocks say.</param>
    protected DbTaskStore(Database database, TimeProvider? time)
    {
        Database = database;
        _time = time ?? TimeProvider.System;
        _databaseClock = time is null;
    }

    /// <summary>Where the tasks are.</summary>
    public Database Database { get; }

    protected Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => Database.OpenConnectionAsync(cancellationToken);

    private string DatabaseNow => Database.Now;

    /// <summary>
    /// The statement as it runs here: with the database's clock, the times a statement takes as parameters
    /// (<c>@now</c>, <c>@at</c>) are the database's own time instead.
    /// </summary>
    private string Clocked(string sql) => _databaseClock ? ClockParameters().Replace(sql, DatabaseNow) : sql;

    /// <summary>The dialect's statement <c>Queries/NAME.sql</c> as it runs here (see <see cref="Clocked"/>), read once.</summary>
    protected string Sql(string name) => _statements.GetOrAdd(name, n => Clocked(Scripts.Get(Database.Dialect, "Queries", n)));

    /// <summary>The time of a history entry in a statement built here: the parameter, or the database's clock.</summary>
    private string AtSql => _databaseClock ? DatabaseNow : "@at";

    [System.Text.RegularExpressions.GeneratedRegex(@"@(now|at)\b")]
    private static partial System.Text.RegularExpressions.Regex ClockParameters();

    /// <summary>
    /// Called inside the transaction that made a task claimable (created, retried, released, rescued), so a
    /// store can wake workers elsewhere when it commits. Does nothing by default.
    /// </summary>
    protected virtual Task OnClaimableAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Applies the dialect's migrations that the database has not seen, once however many processes start together.</summary>
    protected Task MigrateAsync(CancellationToken cancellationToken) =>
        Database.MigrateAsync(Scripts, "task_migrations", MigrationLock, cancellationToken);

    public async Task<ProcessingTask> CreateAsync(NewTask task, CancellationToken cancellationToken = default)
    {
        if (task.IdempotencyKey is not null && await FindIdempotentAsync(task, cancellationToken) is { } earlier)
        {
            return earlier;
        }
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var parts = new List<TaskDependency>();
            foreach (var part in task.Parts ?? [])
            {
                if (part.IdempotencyKey is not null || part.Parts is { Count: > 0 })
                {
                    throw new TaskException("a part of a task has no Idempotency-Key and no parts of its own");
                }
                parts.Add(new TaskDependency((await InsertAsync(connection, transaction, part, cancellationToken)).Id, TaskDependency.Part));
            }
            var created = await InsertAsync(connection, transaction, task with { After = [.. task.After ?? [], .. parts] }, cancellationToken);
            await OnClaimableAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return created;
        }
        catch (DbException e) when (task.IdempotencyKey is not null && IsUniqueViolation(e))
        {
            // The same key arrived twice at once: the other request made the task.
            return await FindIdempotentAsync(task, cancellationToken) ?? throw new TaskException($"task for Idempotency-Key '{task.IdempotencyKey}' vanished; try again");
        }
    }

    public async Task<IReadOnlyList<long>> SplitAsync(long id, IReadOnlyList<NewTask> parts, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<long>();
        foreach (var part in parts)
        {
            var created = await InsertAsync(connection, transaction, part, cancellationToken);
            ids.Add(created.Id);
            await InsertDependencyAsync(connection, transaction, id, new TaskDependency(created.Id, TaskDependency.Part), $"task {id} does not exist",
                cancellationToken);
        }
        await OnClaimableAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    /// <summary>Inserts one task in NOT_STARTED, its history's first line and its prerequisites.</summary>
    private async Task<ProcessingTask> InsertAsync(DbConnection connection, DbTransaction transaction, NewTask task, CancellationToken cancellationToken)
    {
        if (task.Type.Number <= 0)
        {
            throw new TaskException($"task type {task.Type} is not a type number");
        }
        var created = (await ReadTasksAsync(Query(connection, transaction, "insert_task",
            ("name", task.Name), ("type", (int)task.Type), ("owner", task.Owner), ("inputs", task.InputsJson),
            ("output_folder", task.OutputFolder), ("output_name", task.OutputName), ("parameters", task.ParametersJson),
            ("idempotency_key", task.IdempotencyKey), ("request_digest", task.RequestDigest), ("warnings", task.Warnings), ("now", Now())), cancellationToken)).Single();
        await RecordAsync(connection, transaction, created.Id, null, TaskStatus.NotStarted, 0, null, task.Owner, cancellationToken);
        foreach (var dependency in task.After ?? [])
        {
            await InsertDependencyAsync(connection, transaction, created.Id, dependency,
                $"task {dependency.TaskId} ({dependency.Kind}) does not exist, or is given twice", cancellationToken);
        }
        return created;
    }

    /// <summary>Makes <paramref name="dependency"/> a prerequisite of task <paramref name="id"/>; <see cref="TaskException"/>
    /// saying <paramref name="refused"/> when the database refuses it (a task that does not exist, a pair given twice).</summary>
    private async Task InsertDependencyAsync(DbConnection connection, DbTransaction transaction, long id, TaskDependency dependency, string refused,
        CancellationToken cancellationToken)
    {
        await using var insert = Query(connection, transaction, "insert_dependency", ("task_id", id), ("depends_on", dependency.TaskId), ("kind", dependency.Kind));
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException)
        {
            throw new TaskException(refused);
        }
    }

    /// <summary>The task made earlier with this owner's key, if any; <see cref="IdempotencyKeyReusedException"/> when it came with another request.</summary>
    private async Task<ProcessingTask?> FindIdempotentAsync(NewTask task, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_idempotent", ("owner", task.Owner), ("idempotency_key", task.IdempotencyKey));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var earlier = ReadTask(reader);
        var digest = reader.IsDBNull(reader.GetOrdinal("request_digest")) ? null : reader.GetString(reader.GetOrdinal("request_digest"));
        return digest == task.RequestDigest ? earlier : throw new IdempotencyKeyReusedException(task.IdempotencyKey!, earlier.Id);
    }

    private static bool IsUniqueViolation(DbException e) =>
        e is Npgsql.PostgresException { SqlState: "23505" } || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };

    public async Task<ProcessingTask?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return (await ReadTasksAsync(Query(connection, null, "select_task", ("id", id)), cancellationToken)).SingleOrDefault();
    }

    public Task<ClaimedTask?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        ClaimAsync(workerId, Guid.NewGuid(), (long)leaseDuration.TotalMilliseconds, Workers.WorkerRole.All, cancellationToken);

    public Task<ClaimedTask?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, Workers.WorkerRole role, CancellationToken cancellationToken = default) =>
        ClaimAsync(workerId, Guid.NewGuid(), (long)leaseDuration.TotalMilliseconds, role, cancellationToken);

    public Task<ProcessingTask> HandOverAsync(Lease lease, CancellationToken cancellationToken = default) =>
        MoveAsync(lease, [TaskStatus.Downloaded], null, null, cancellationToken, keepLease: false);

    /// <summary>A claim statement for a role: its /*new*/ and /*waiting*/ places filled with what the role claims (or nothing).</summary>
    protected string ClaimSql(string name, Workers.WorkerRole role) => Sql(name)
        .Replace("/*new*/", Workers.WorkerRoles.Downloads(role) ? Sql("claimable_new") : "1 = 0", StringComparison.Ordinal)
        .Replace("/*waiting*/", Workers.WorkerRoles.Processes(role) ? Sql("claimable_waiting") : "1 = 0", StringComparison.Ordinal);

    /// <summary>The claim, its history entry and its attempt's record in one transaction (a database that can do it in one statement overrides this).</summary>
    protected virtual async Task<ClaimedTask?> ClaimAsync(string workerId, Guid token, long leaseMs, Workers.WorkerRole role, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        ProcessingTask? claimed = null;
        var previous = TaskStatus.NotStarted;
        await using (var claim = Command(connection, transaction, ClaimSql("claim_next", role),
            ("worker", workerId), ("token", token.ToString()), ("lease_ms", leaseMs), ("now", now)))
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                claimed = ReadTask(reader);
                previous = (TaskStatus)Convert.ToInt32(reader.GetValue(reader.GetOrdinal("previous_status")));
            }
        }
        if (claimed is null)
        {
            return null;
        }
        TaskStateMachine.EnsureCanMove(previous, claimed.Status);
        // The history entry and the attempt's record, sent as one command.
        await using (var record = Command(connection, transaction,
            Sql("insert_history") + "\n" + Sql("insert_attempt"),
            ("task_id", claimed.Id), ("from", (int)previous), ("to", (int)claimed.Status), ("at", now), ("attempt", claimed.Attempts),
            ("error", null), ("actor", workerId), ("worker", workerId), ("token", token.ToString()), ("now", now)))
        {
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new ClaimedTask(claimed, new Lease(claimed.Id, token, workerId, claimed.Attempts, claimed.LeaseExpiresAt!.Value));
    }

    public async Task<IReadOnlyList<TaskDependency>> DependenciesAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_dependencies", ("id", id));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var found = new List<TaskDependency>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new TaskDependency(Convert.ToInt64(reader.GetValue(0)), reader.GetString(1)));
        }
        return found;
    }

    public async Task<Lease> HeartbeatAsync(Lease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, null, "heartbeat",
            ("lease_ms", (long)leaseDuration.TotalMilliseconds), ("now", Now()), ("id", lease.TaskId), ("token", lease.Token.ToString()));
        var expires = await update.ExecuteScalarAsync(cancellationToken);
        return expires is null or DBNull
            ? throw new LeaseLostException(lease.TaskId)
            : lease with { ExpiresAt = FromMillis(Convert.ToInt64(expires)) };
    }

    public Task<ProcessingTask> AdvanceAsync(Lease lease, TaskStatus to, string? errorMessage = null, CancellationToken cancellationToken = default,
        TaskResult? result = null) =>
        MoveAsync(lease, [to], errorMessage, result, cancellationToken);

    public Task<ProcessingTask> AdvanceThroughAsync(Lease lease, IReadOnlyList<TaskStatus> path, CancellationToken cancellationToken = default) =>
        MoveAsync(lease, path, null, null, cancellationToken);

    /// <summary>
    /// One transaction: the fenced update to the last status of <paramref name="path"/>, a history entry per
    /// status, the attempt closed when the lease ends, and the publish step. When only one status held under
    /// a lease can lead to the first of the path, the update is fenced on it directly (no read first); a miss
    /// is then explained by reading the task (lease lost, or a move the machine refuses).
    /// </summary>
    /// <param name="keepLease">Whether the lease goes on; by default while the last status is in progress.</param>
    private async Task<ProcessingTask> MoveAsync(Lease lease, IReadOnlyList<TaskStatus> path, string? errorMessage, TaskResult? result,
        CancellationToken cancellationToken, bool? keepLease = null)
    {
        if (path.Count == 0)
        {
            throw new ArgumentException("no status to move to", nameof(path));
        }
        for (var i = 1; i < path.Count; i++)
        {
            if (!path[i - 1].IsInProgress())
            {
                throw new ArgumentException($"{path[i - 1].SeedName()} ends the lease: it can only be the last status", nameof(path));
            }
            TaskStateMachine.EnsureCanMove(path[i - 1], path[i]);
        }
        var to = path[^1];
        var keep = keepLease ?? to.IsInProgress();
        await using var connection = await OpenConnectionAsync(cancellationToken);
        if (MovesInOneStatement && TaskStateMachine.HeldPredecessor(path[0]) is { } known)
        {
            return await MoveInOneStatementAsync(connection, lease, known, path, errorMessage, result, keep, cancellationToken);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        TaskStatus from;
        ProcessingTask? moved;
        if (TaskStateMachine.HeldPredecessor(path[0]) is { } expected)
        {
            from = expected;
            moved = await UpdateHeldAsync(connection, transaction, lease, from, to, errorMessage, result, cancellationToken, keep);
            if (moved is null)
            {
                var current = await GetHeldAsync(connection, transaction, lease, cancellationToken);
                TaskStateMachine.EnsureCanMove(current.Status, path[0]);
                throw new LeaseLostException(lease.TaskId);
            }
        }
        else
        {
            var current = await GetHeldAsync(connection, transaction, lease, cancellationToken);
            TaskStateMachine.EnsureCanMove(current.Status, path[0]);
            from = current.Status;
            moved = await UpdateHeldAsync(connection, transaction, lease, from, to, errorMessage, result, cancellationToken, keep)
                ?? throw new LeaseLostException(lease.TaskId);
        }
        await RecordMovesAsync(connection, transaction, lease, from, path, errorMessage, endsAttempt: !keep, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    /// <summary>
    /// Moves the held task from PUBLISHING to PUBLISH_COMPLETED with its <paramref name="result"/> inside the caller's
    /// transaction on this store's <see cref="Database"/> (which may make the result visible in the same transaction);
    /// nothing is committed here. <see cref="LeaseLostException"/> when the lease is gone.
    /// </summary>
    public async Task<ProcessingTask> CompleteInAsync(DbConnection connection, DbTransaction transaction, Lease lease, TaskResult result,
        CancellationToken cancellationToken = default)
    {
        var moved = await UpdateHeldAsync(connection, transaction, lease, TaskStatus.Publishing, TaskStatus.PublishCompleted, null, result, cancellationToken);
        if (moved is null)
        {
            var current = await GetHeldAsync(connection, transaction, lease, cancellationToken);
            TaskStateMachine.EnsureCanMove(current.Status, TaskStatus.PublishCompleted);
            throw new LeaseLostException(lease.TaskId);
        }
        await RecordMovesAsync(connection, transaction, lease, TaskStatus.Publishing, [TaskStatus.PublishCompleted], null, endsAttempt: true, cancellationToken);
        return moved;
    }

    /// <summary>Whether this database moves a held task (its update, history entries and attempt's end) in one statement.</summary>
    protected virtual bool MovesInOneStatement => false;

    /// <summary>The move of a held task from <paramref name="from"/> along <paramref name="path"/> as one statement (see <see cref="MovesInOneStatement"/>).</summary>
    protected virtual Task<ProcessingTask> MoveInOneStatementAsync(DbConnection connection, Lease lease, TaskStatus from, IReadOnlyList<TaskStatus> path,
        string? errorMessage, TaskResult? result, bool keepLease, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this database moves tasks in transactions");

    private async Task<ProcessingTask?> UpdateHeldAsync(DbConnection connection, DbTransaction transaction, Lease lease, TaskStatus from, TaskStatus to,
        string? errorMessage, TaskResult? result, CancellationToken cancellationToken, bool? keepLease = null) =>
        (await ReadTasksAsync(Query(connection, transaction, "advance",
            ("to", (int)to), ("error", errorMessage), ("now", Now()), ("keep_lease", keepLease ?? to.IsInProgress()),
            ("result_file_id", result?.OutputFileId), ("result_bounds", result?.Bounds),
            ("id", lease.TaskId), ("token", lease.Token.ToString()), ("from", (int)from)), cancellationToken)).SingleOrDefault();

    /// <summary>
    /// The history entries of a move along <paramref name="path"/> (the error on the last), and the attempt's
    /// end when the lease ends: one statement sent once, whatever the path's length.
    /// </summary>
    private async Task RecordMovesAsync(DbConnection connection, DbTransaction transaction, Lease lease, TaskStatus from,
        IReadOnlyList<TaskStatus> path, string? errorMessage, bool endsAttempt, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)> { ("task_id", lease.TaskId), ("at", Now()), ("attempt", lease.Attempt), ("actor", lease.WorkerId) };
        var rows = new List<string>(path.Count);
        var previous = from;
        for (var i = 0; i < path.Count; i++)
        {
            rows.Add($"(@task_id, @from{i}, @to{i}, {AtSql}, @attempt, @error{i}, @actor)");
            parameters.Add(($"from{i}", (int)previous));
            parameters.Add(($"to{i}", (int)path[i]));
            parameters.Add(($"error{i}", i == path.Count - 1 ? errorMessage : null));
            previous = path[i];
        }
        var sql = Sql("insert_history_rows").Replace("/*rows*/", string.Join(", ", rows), StringComparison.Ordinal);
        if (endsAttempt)
        {
            sql += "\n" + Sql("end_attempt");
            parameters.Add(("now", Now()));
            parameters.Add(("outcome", path[^1].SeedName()));
            parameters.Add(("token", lease.Token.ToString()));
        }
        await using var insert = Command(connection, transaction, sql, [.. parameters]);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ProcessingTask> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default) =>
        await ReleaseAsync(lease, null, null, cancellationToken);

    public async Task<ProcessingTask> ReleaseAsync(Lease lease, TimeSpan? notBefore, string? why, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await GetHeldAsync(connection, transaction, lease, cancellationToken);
        // A task whose result is computed waits for publishing only; anything earlier starts over.
        var to = current.Status is TaskStatus.ProcessingCompleted or TaskStatus.Publishing
            ? TaskStatus.ProcessingCompleted
            : TaskStatus.NotStarted;
        if (current.Status != to)
        {
            TaskStateMachine.EnsureCanMove(current.Status, to);
        }
        var released = (await ReadTasksAsync(Query(connection, transaction, "release",
            ("to", (int)to), ("now", Now()), ("id", lease.TaskId), ("token", lease.Token.ToString()), ("from", (int)current.Status),
            ("not_before", notBefore is { } delay ? Now() + (long)delay.TotalMilliseconds : null)), cancellationToken))
            .SingleOrDefault() ?? throw new LeaseLostException(lease.TaskId);
        await RecordAsync(connection, transaction, lease.TaskId, current.Status, to, lease.Attempt, why ?? "released by its worker", lease.WorkerId, cancellationToken);
        await EndAttemptAsync(connection, transaction, lease.TaskId, lease.Token.ToString(), "released", cancellationToken);
        await OnClaimableAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return released;
    }

    public async Task<bool> RequestCancelAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, null, "request_cancel", ("now", Now()), ("id", id));
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> IsCancelRequestedAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "cancel_requested", ("id", lease.TaskId), ("token", lease.Token.ToString()));
        var value = await select.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? throw new LeaseLostException(lease.TaskId) : Convert.ToInt64(value) != 0;
    }

    public async Task ReportProgressAsync(Lease lease, TaskProgress progress, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, null, "progress", ("stage", progress.Stage), ("done", progress.Done),
            ("total", progress.Total), ("now", Now()), ("id", lease.TaskId), ("token", lease.Token.ToString()));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new LeaseLostException(lease.TaskId);
        }
    }

    public async Task<ProcessingTask> RetryAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = (await ReadTasksAsync(Query(connection, transaction, "select_task", ("id", id)), cancellationToken))
            .SingleOrDefault() ?? throw new TaskNotFoundException(id);
        var to = current.Status switch
        {
            TaskStatus.DownloadFailed or TaskStatus.ProcessingFailed => TaskStatus.NotStarted,
            TaskStatus.PublishFailed => TaskStatus.ProcessingCompleted,
            _ => throw new TaskException($"task {id} is {current.Status.SeedName()}: only failed tasks can be retried"),
        };
        TaskStateMachine.EnsureCanMove(current.Status, to);
        var retried = (await ReadTasksAsync(Query(connection, transaction, "retry",
            ("to", (int)to), ("now", Now()), ("id", id), ("from", (int)current.Status)), cancellationToken))
            .SingleOrDefault() ?? throw new TaskException($"task {id} changed while it was being retried; try again");
        await RecordAsync(connection, transaction, id, current.Status, to, 0, null, actor, cancellationToken);
        await OnClaimableAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return retried;
    }

    public Task<int> RescueExpiredAsync(int maxAttempts, CancellationToken cancellationToken = default) =>
        RescueAsync("select_expired", [("now", Now())], maxAttempts, owner => $"lease of {owner} expired", "lease expired", cancellationToken);

    public Task<int> RescueWorkerAsync(string ownerPrefix, int maxAttempts, CancellationToken cancellationToken = default) =>
        RescueAsync("select_owned", [("owner_prefix", ownerPrefix)], maxAttempts, owner => $"the process of {owner} ended", "worker process ended",
            cancellationToken);

    /// <summary>
    /// Takes back the tasks <paramref name="select"/> finds (held by workers that are gone): each returns to
    /// NOT_STARTED, or fails in its stage when its attempts are spent. Fenced by the lease token, so a task is
    /// taken back once however many rescuers run.
    /// </summary>
    private async Task<int> RescueAsync(string select, (string, object?)[] filter, int maxAttempts, Func<string?, string> reason, string outcome,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = new List<(ProcessingTask Task, string Token)>();
        await using (var query = Query(connection, transaction, select, filter))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add((ReadTask(reader), reader.GetString(reader.GetOrdinal("lease_token"))));
            }
        }
        var rescued = 0;
        foreach (var (task, token) in found)
        {
            var spent = task.Attempts >= maxAttempts;
            var to = spent ? task.Status.FailureOf() : TaskStatus.NotStarted;
            var error = spent
                ? $"the worker ({task.LeaseOwner}) stopped answering during {task.Status.SeedName()}, {task.Attempts} attempt(s) of {maxAttempts}"
                : null;
            TaskStateMachine.EnsureCanMove(task.Status, to);
            await using var update = Query(connection, transaction, "rescue", ("to", (int)to), ("error", error), ("now", Now()),
                ("id", task.Id), ("token", token), ("from", (int)task.Status));
            if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                continue; // another rescuer, or the worker itself, got there first
            }
            rescued++;
            await EndAttemptAsync(connection, transaction, task.Id, token, outcome, cancellationToken);
            await RecordAsync(connection, transaction, task.Id, task.Status, to, task.Attempts,
                error ?? reason(task.LeaseOwner), "rescuer", cancellationToken);
        }
        if (rescued > 0)
        {
            await OnClaimableAsync(connection, transaction, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rescued;
    }

    public async Task<bool> DeleteNotStartedAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, null, "delete_not_started", ("id", id));
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<FinishedTask>> DeleteFinishedAsync(DateTimeOffset before, string? owner, CancellationToken cancellationToken = default,
        bool dryRun = false)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, null, dryRun ? "select_finished" : "delete_finished", ("before", before.ToUnixTimeMilliseconds()), ("owner", owner));
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
        var tasks = new List<FinishedTask>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tasks.Add(new FinishedTask(Convert.ToInt64(reader.GetValue(0)), reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1))));
        }
        return tasks;
    }

    public async Task<IReadOnlyList<(TaskStatus Status, TaskType Type, long Count)>> CountByStatusAndTypeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "count_by_status_type");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var counts = new List<(TaskStatus, TaskType, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(((TaskStatus)Convert.ToInt32(reader.GetValue(0)), (TaskType)Convert.ToInt32(reader.GetValue(1)), Convert.ToInt64(reader.GetValue(2))));
        }
        return counts;
    }

    public async Task<TaskPage> ListAsync(TaskQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        (string, object?)[] filter =
        [
            ("owner", query.Owner), ("status", (int?)query.Status), ("type", (int?)query.Type), ("name", query.NameContains),
            ("from", query.CreatedFrom?.ToUnixTimeMilliseconds()), ("to", query.CreatedTo?.ToUnixTimeMilliseconds()),
        ];
        await using var connection = await OpenConnectionAsync(cancellationToken);
        long total;
        await using (var count = Query(connection, null, "count_tasks", filter))
        {
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken));
        }
        // The order is one of four fixed clauses (never text from the caller): the only SQL assembled here.
        var order = query.Sort switch
        {
            TaskSort.CreatedAscending => "created_at ASC, id ASC",
            TaskSort.UpdatedDescending => "updated_at DESC, id DESC",
            TaskSort.UpdatedAscending => "updated_at ASC, id ASC",
            _ => "created_at DESC, id DESC",
        };
        var list = Command(connection, null, Sql("list_tasks").Replace("/*order*/", order, StringComparison.Ordinal),
            [.. filter, ("limit", limit), ("offset", offset)]);
        var items = await ReadTasksAsync(list, cancellationToken);
        return new TaskPage(items, total, offset, limit);
    }

    public async Task<IReadOnlyList<StatusChange>> HistoryAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_history", ("id", id));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var changes = new List<StatusChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new StatusChange(
                Convert.ToInt64(reader.GetValue(0)),
                reader.IsDBNull(1) ? null : (TaskStatus)Convert.ToInt32(reader.GetValue(1)),
                (TaskStatus)Convert.ToInt32(reader.GetValue(2)),
                FromMillis(Convert.ToInt64(reader.GetValue(3))),
                Convert.ToInt32(reader.GetValue(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6)));
        }
        return changes;
    }

    public async Task AppendLogAsync(long id, string level, string message, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var insert = Query(connection, null, "insert_log", ("task_id", id), ("level", level),
            ("message", message.Length > 4000 ? message[..4000] + "…" : message), ("now", Now()));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TaskLogLine>> LogAsync(long id, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_log", ("task_id", id), ("limit", limit));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var lines = new List<TaskLogLine>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new TaskLogLine(FromMillis(Convert.ToInt64(reader.GetValue(0))), reader.GetString(1), reader.GetString(2)));
        }
        return lines;
    }

    public async Task<IReadOnlyList<TaskAttempt>> AttemptsAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "select_attempts", ("id", id));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var attempts = new List<TaskAttempt>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new TaskAttempt(
                Convert.ToInt32(reader.GetValue(0)),
                reader.GetString(1),
                FromMillis(Convert.ToInt64(reader.GetValue(2))),
                reader.IsDBNull(3) ? null : FromMillis(Convert.ToInt64(reader.GetValue(3))),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return attempts;
    }

    public async Task<bool> IsLeaseHeldAsync(Guid token, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, null, "lease_held", ("token", token.ToString()));
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    private async Task EndAttemptAsync(DbConnection connection, DbTransaction transaction, long taskId, string token, string outcome,
        CancellationToken cancellationToken)
    {
        await using var update = Query(connection, transaction, "end_attempt", ("now", Now()), ("outcome", outcome), ("task_id", taskId), ("token", token));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The task as it is now, if this lease still holds it; else <see cref="LeaseLostException"/>.</summary>
    private async Task<ProcessingTask> GetHeldAsync(DbConnection connection, DbTransaction transaction, Lease lease, CancellationToken cancellationToken)
    {
        await using var select = Query(connection, transaction, "select_task", ("id", lease.TaskId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new LeaseLostException(lease.TaskId);
        }
        var token = reader.GetOrdinal("lease_token");
        if (reader.IsDBNull(token) || reader.GetString(token) != lease.Token.ToString())
        {
            throw new LeaseLostException(lease.TaskId);
        }
        return ReadTask(reader);
    }

    private async Task RecordAsync(DbConnection connection, DbTransaction transaction, long taskId, TaskStatus? from,
        TaskStatus to, int attempt, string? error, string actor, CancellationToken cancellationToken)
    {
        await using var insert = Query(connection, transaction, "insert_history", ("task_id", taskId),
            ("from", from is null ? null : (int)from.Value), ("to", (int)to), ("at", Now()), ("attempt", attempt),
            ("error", error), ("actor", actor));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    protected static async Task<List<ProcessingTask>> ReadTasksAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var tasks = new List<ProcessingTask>();
            while (await reader.ReadAsync(cancellationToken))
            {
                tasks.Add(ReadTask(reader));
            }
            return tasks;
        }
    }

    protected static ProcessingTask ReadTask(DbDataReader r)
    {
        string? Text(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
        long? Number(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : Convert.ToInt64(r.GetValue(r.GetOrdinal(column)));
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
            stage is null ? null : new TaskProgress(stage, Number("progress_done") ?? 0, Number("progress_total") ?? 0),
            Number("result_file_id") is { } output ? new TaskResult(output, Text("result_bounds")) : null,
            Text("work_token"),
            Text("warnings"));
    }

    protected DbCommand Query(DbConnection connection, DbTransaction? transaction, string name, params (string Name, object? Value)[] parameters) =>
        Command(connection, transaction, Sql(name), parameters);

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        SqlCommands.Create(connection, transaction, sql, parameters);

    protected long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMillis(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
