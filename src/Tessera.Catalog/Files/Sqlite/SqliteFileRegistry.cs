using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Tessera.Catalog.Files.Sqlite;

/// <summary>The file records in an SQLite database (the embedded default; it may share the tasks' file).</summary>
public sealed class SqliteFileRegistry : DbFileRegistry
{
    private readonly string _connectionString;

    private SqliteFileRegistry(string connectionString) : base("Sqlite") => _connectionString = connectionString;

    public static async Task<SqliteFileRegistry> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        SQLitePCL.Batteries_V2.Init();
        var registry = new SqliteFileRegistry(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString());
        await using (var connection = await registry.OpenConnectionAsync(cancellationToken))
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        await registry.MigrateAsync(cancellationToken);
        return registry;
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
