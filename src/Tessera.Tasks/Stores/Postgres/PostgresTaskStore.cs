using System.Data.Common;
using Npgsql;
using Tessera.Data;
using Tessera.Tasks.Workers;

namespace Tessera.Tasks.Stores.Postgres;

/// <summary>
/// The scale-out task store on PostgreSQL: workers on any number of machines claim with
/// <c>FOR UPDATE SKIP LOCKED</c>; the database is the only coordinator. Migrated on open. A task made
/// claimable sends a notification on the <see cref="Channel"/> channel when its transaction commits;
/// <see cref="ListenAsync"/> turns those into wake-ups of this process's workers.
/// </summary>
public sealed class PostgresTaskStore : DbTaskStore, IAsyncDisposable
{
    /// <summary>The LISTEN/NOTIFY channel that says "there is work".</summary>
    public const string Channel = "tessera_tasks";

    private readonly PostgresDatabase _database;
    private readonly bool _ownsDatabase;

    private PostgresTaskStore(PostgresDatabase database, bool ownsDatabase, TimeProvider? time) : base(database, time)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
    }

    /// <summary>Connects with an Npgsql connection string and applies pending migrations; the store owns its connections.</summary>
    public static async Task<PostgresTaskStore> OpenAsync(string connectionString, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        await OpenAsync(PostgresDatabase.Open(connectionString), time, ownsDatabase: true, cancellationToken);

    /// <summary>The store on a database shared with other stores (it does not close it), migrated.</summary>
    public static async Task<PostgresTaskStore> OpenAsync(PostgresDatabase database, TimeProvider? time = null, bool ownsDatabase = false,
        CancellationToken cancellationToken = default)
    {
        var store = new PostgresTaskStore(database, ownsDatabase, time);
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The claim as one statement (<c>claim_recorded.sql</c>: the earliest claimable task taken with
    /// <c>FOR UPDATE SKIP LOCKED</c>, its history entry and its attempt's record): one round trip instead of a transaction of three.
    /// </summary>
    protected override async Task<ClaimedTask?> ClaimAsync(string workerId, Guid token, long leaseMs, Workers.WorkerRole role, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var claim = Command(connection, null, Sql("claim_recorded"),
            ("worker", workerId), ("token", token.ToString()), ("lease_ms", leaseMs), ("now", Now()),
            ("download", Workers.WorkerRoles.Downloads(role)), ("process", Workers.WorkerRoles.Processes(role)));
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var task = ReadTask(reader);
        TaskStateMachine.EnsureCanMove((TaskStatus)Convert.ToInt32(reader.GetValue(reader.GetOrdinal("previous_status"))), task.Status);
        return new ClaimedTask(task, new Lease(task.Id, token, workerId, task.Attempts, task.LeaseExpiresAt!.Value));
    }

    protected override bool MovesInOneStatement => true;

    /// <summary>
    /// The move as one statement (<c>move_recorded.sql</c>: the fenced update, its history entries and, when the lease
    /// ends, the attempt's end, in data-modifying CTEs); a miss is explained by reading the task.
    /// </summary>
    protected override async Task<ProcessingTask> MoveInOneStatementAsync(DbConnection connection, Lease lease, TaskStatus from,
        IReadOnlyList<TaskStatus> path, string? errorMessage, TaskResult? result, bool keepLease, CancellationToken cancellationToken)
    {
        var to = path[^1];
        var froms = new int[path.Count];
        var errors = new string?[path.Count];
        for (var i = 0; i < path.Count; i++)
        {
            froms[i] = (int)(i == 0 ? from : path[i - 1]);
        }
        errors[^1] = errorMessage;
        var moved = (await ReadTasksAsync(Command(connection, null, Sql("move_recorded"),
            ("to", (int)to), ("error", errorMessage), ("now", Now()), ("keep_lease", keepLease),
            ("result_file_id", result?.OutputFileId), ("result_bounds", result?.Bounds),
            ("id", lease.TaskId), ("token", lease.Token.ToString()), ("from", (int)from),
            ("froms", froms), ("tos", path.Select(p => (int)p).ToArray()), ("errors", errors),
            ("attempt", lease.Attempt), ("actor", lease.WorkerId), ("outcome", to.SeedName())), cancellationToken)).SingleOrDefault();
        if (moved is not null)
        {
            return moved;
        }
        await using var select = Query(connection, null, "select_task", ("id", lease.TaskId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(reader.GetOrdinal("lease_token"))
            && reader.GetString(reader.GetOrdinal("lease_token")) == lease.Token.ToString())
        {
            TaskStateMachine.EnsureCanMove(ReadTask(reader).Status, path[0]);
        }
        throw new LeaseLostException(lease.TaskId);
    }

    protected override async Task OnClaimableAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"NOTIFY {Channel};";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Wakes <paramref name="signal"/> whenever any process makes a task claimable, and when its connection is lost,
    /// until <paramref name="stopping"/>; reconnects after a lost connection (workers still poll meanwhile).
    /// </summary>
    public async Task ListenAsync(TaskSignal signal, CancellationToken stopping, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.DataSource.OpenConnectionAsync(stopping);
                connection.Notification += (_, _) => signal.Notify();
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = $"LISTEN {Channel};";
                    await listen.ExecuteNonQueryAsync(stopping);
                }
                // Anything queued while not listening is found by the next claim.
                signal.Notify();
                try
                {
                    while (!stopping.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stopping);
                    }
                }
                finally
                {
                    if (connection.State == System.Data.ConnectionState.Open)
                    {
                        await using var unlisten = connection.CreateCommand();
                        unlisten.CommandText = "UNLISTEN *;";
                        await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (NpgsqlException)
            {
                // The database may be away: wake the idle workers, whose next claim finds out, so that they count the
                // outage (and give up after theirs) now rather than after their poll interval.
                signal.Notify();
                await Task.Delay(TimeSpan.FromSeconds(1), time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public ValueTask DisposeAsync() => _ownsDatabase ? _database.DisposeAsync() : ValueTask.CompletedTask;
}
