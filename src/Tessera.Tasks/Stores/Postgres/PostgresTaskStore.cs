using System.Data.Common;
using Npgsql;
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

    private readonly NpgsqlDataSource _dataSource;

    private PostgresTaskStore(NpgsqlDataSource dataSource, TimeProvider? time) : base("Postgres", time)
    {
        _dataSource = dataSource;
    }

    /// <summary>Connects with an Npgsql connection string and applies pending migrations.</summary>
    public static async Task<PostgresTaskStore> OpenAsync(string connectionString, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        // The store sends the same few statements over and over: prepared once per connection, they skip
        // parsing and planning (unless the connection string says otherwise). It keeps no session state on a
        // pooled connection (the listener unlistens before giving its connection back), so connections are
        // not reset between uses: a reset costs statements of its own at every use.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }
        var store = new PostgresTaskStore(NpgsqlDataSource.Create(builder.ConnectionString), time);
        try
        {
            // Two processes starting at once must not both migrate: they queue on a session advisory lock.
            await using (var connection = await store.OpenConnectionAsync(cancellationToken))
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT pg_advisory_lock(727465737365726100);";
                await command.ExecuteNonQueryAsync(cancellationToken);
                try
                {
                    await store.MigrateAsync(cancellationToken);
                }
                finally
                {
                    command.CommandText = "SELECT pg_advisory_unlock(727465737365726100);";
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    protected override async Task OnClaimableAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"NOTIFY {Channel};";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Wakes <paramref name="signal"/> whenever any process makes a task claimable, until
    /// <paramref name="stopping"/>; reconnects after a lost connection (workers still poll meanwhile).
    /// </summary>
    public async Task ListenAsync(TaskSignal signal, CancellationToken stopping, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stopping);
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
                await Task.Delay(TimeSpan.FromSeconds(1), time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The server's clock (the transaction's start), the same for workers on every machine.</summary>
    protected override string DatabaseNow => "(CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT))";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
