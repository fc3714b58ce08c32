using System.Data.Common;
using Npgsql;

namespace Tessera.Data;

/// <summary>
/// The scale-out database: PostgreSQL through one pooled data source. The stores send the same few statements over
/// and over: prepared once per connection, they skip parsing and planning (unless the connection string says
/// otherwise); no store keeps session state on a pooled connection (a listener unlistens before giving its
/// connection back), so connections are not reset between uses, which would cost statements of its own at every use.
/// Its clock is the server's (the transaction's start), the same for workers on every machine.
/// </summary>
public sealed class PostgresDatabase : Database
{
    private PostgresDatabase(NpgsqlDataSource dataSource) => DataSource = dataSource;

    /// <summary>The pooled data source (for what needs Npgsql itself, such as LISTEN).</summary>
    public NpgsqlDataSource DataSource { get; }

    public override string Dialect => "Postgres";

    public override string Now => "(CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT))";

    /// <summary>Connects with an Npgsql connection string (the server is reached when first used).</summary>
    public static PostgresDatabase Open(string connectionString)
    {
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
        return new PostgresDatabase(NpgsqlDataSource.Create(builder.ConnectionString));
    }

    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>A session advisory lock: processes starting together queue on it, so that one of them migrates.</summary>
    protected override async Task<IAsyncDisposable> LockAsync(DbConnection connection, long key, CancellationToken cancellationToken)
    {
        await SqlCommands.ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({key});", cancellationToken);
        return new Unlock(connection, key);
    }

    public override ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private sealed class Unlock(DbConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await SqlCommands.ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({key});", CancellationToken.None);
    }
}
