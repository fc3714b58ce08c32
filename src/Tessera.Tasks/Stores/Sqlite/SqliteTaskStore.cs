using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Tessera.Tasks.Stores.Sqlite;

/// <summary>
/// The embedded task store: one SQLite file in WAL mode with a busy timeout, migrated on open. Write
/// transactions begin IMMEDIATE (the driver's default), so a claim's UPDATE ... RETURNING never races another.
/// </summary>
public sealed class SqliteTaskStore : DbTaskStore
{
    private readonly string _connectionString;

    private SqliteTaskStore(string connectionString, TimeProvider? time) : base("Sqlite", time)
    {
        _connectionString = connectionString;
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
        var store = new SqliteTaskStore(builder.ToString(), time);
        await using (var connection = await store.OpenConnectionAsync(cancellationToken))
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        await store.MigrateAsync(cancellationToken);
        return store;
    }

    /// <summary>The machine's clock, read by SQLite: every process of an SQLite store runs on this one machine.</summary>
    protected override string DatabaseNow => "(CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER))";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
