using System.Data.Common;
using Npgsql;

namespace Tessera.Catalog.Files.Postgres;

/// <summary>The file records in PostgreSQL, shared by every worker and server of a scale-out deployment.</summary>
public sealed class PostgresFileRegistry : DbFileRegistry, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresFileRegistry(NpgsqlDataSource dataSource) : base("Postgres") => _dataSource = dataSource;

    public static async Task<PostgresFileRegistry> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var registry = new PostgresFileRegistry(NpgsqlDataSource.Create(connectionString));
        try
        {
            // Processes starting together queue on a session advisory lock so that one of them migrates.
            await using var connection = await registry._dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_advisory_lock(727465737365726101);";
            await command.ExecuteNonQueryAsync(cancellationToken);
            try
            {
                await registry.MigrateAsync(cancellationToken);
            }
            finally
            {
                command.CommandText = "SELECT pg_advisory_unlock(727465737365726101);";
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
