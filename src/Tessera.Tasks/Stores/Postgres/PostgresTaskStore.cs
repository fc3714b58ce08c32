using System.Data.Common;
using Npgsql;

namespace Tessera.Tasks.Stores.Postgres;

/// <summary>
/// The scale-out task store on PostgreSQL: workers on any number of machines claim with
/// <c>FOR UPDATE SKIP LOCKED</c>; the database is the only coordinator. Migrated on open.
/// </summary>
public sealed class PostgresTaskStore : DbTaskStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresTaskStore(NpgsqlDataSource dataSource, TimeProvider time) : base("Postgres", time)
    {
        _dataSource = dataSource;
    }

    /// <summary>Connects with an Npgsql connection string and applies pending migrations.</summary>
    public static async Task<PostgresTaskStore> OpenAsync(string connectionString, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var store = new PostgresTaskStore(NpgsqlDataSource.Create(connectionString), time ?? TimeProvider.System);
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

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
