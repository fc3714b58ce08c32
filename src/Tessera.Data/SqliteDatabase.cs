using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Tessera.Data;

/// <summary>
/// The embedded database: one SQLite file in WAL mode with a 30 s busy timeout and foreign keys on. Write
/// transactions begin IMMEDIATE (the driver's default), so an UPDATE … RETURNING claim never races another.
/// Its clock is this machine's: every process of an SQLite database runs on the machine that holds the file.
/// </summary>
public sealed class SqliteDatabase : Database
{
    private readonly string _connectionString;

    private SqliteDatabase(string connectionString) => _connectionString = connectionString;

    public override string Dialect => "Sqlite";

    public override string Now => "(CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER))";

    /// <summary>Opens (creating if needed) the database in the file at <paramref name="path"/>.</summary>
    public static async Task<SqliteDatabase> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        SQLitePCL.Batteries_V2.Init();
        var database = new SqliteDatabase(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            DefaultTimeout = 30, // seconds; also SQLite's busy timeout
            Pooling = true,
        }.ToString());
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await SqlCommands.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        return database;
    }

    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
