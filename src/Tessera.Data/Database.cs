using System.Data.Common;

namespace Tessera.Data;

/// <summary>
/// A database the stores keep their records in (SQLite embedded, or PostgreSQL for scale-out): how to open a
/// connection, the dialect its SQL files are written for, its clock as an SQL expression, and the numbered
/// migrations of each store, applied once however many processes start together. One instance is shared by every
/// store of a process, so that one transaction can span them.
/// </summary>
public abstract class Database : IAsyncDisposable
{
    /// <summary>"Sqlite" or "Postgres": the folder of a store's SQL files written for this database.</summary>
    public abstract string Dialect { get; }

    /// <summary>The database's current time in Unix milliseconds, as an SQL expression.</summary>
    public abstract string Now { get; }

    public abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>Holds a lock named <paramref name="key"/> across processes until the result is disposed (nothing to do where one file is the database).</summary>
    protected virtual Task<IAsyncDisposable> LockAsync(DbConnection connection, long key, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(new Nothing());

    /// <summary>
    /// Applies the migrations of <paramref name="scripts"/> (<c>{Dialect}/Migrations/NNN_name.sql</c>) that the table
    /// <paramref name="table"/> does not list yet, each in its own transaction, under the lock <paramref name="lockKey"/>.
    /// </summary>
    public async Task MigrateAsync(SqlScripts scripts, string table, long lockKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var held = await LockAsync(connection, lockKey, cancellationToken);
        await SqlCommands.ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS {table} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);", cancellationToken);
        foreach (var (version, name, sql) in scripts.Migrations(Dialect))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var check = SqlCommands.Create(connection, transaction, $"SELECT COUNT(*) FROM {table} WHERE version = @v;", ("v", version)))
            {
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken)) > 0)
                {
                    continue;
                }
            }
            await SqlCommands.ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using (var record = SqlCommands.Create(connection, transaction, $"INSERT INTO {table} VALUES (@v, @n, @t);",
                ("v", version), ("n", name), ("t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())))
            {
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
