using Tessera.Data;

namespace Tessera.Tasks.Stores.Sqlite;

/// <summary>The embedded task store: SQLite (see <see cref="SqliteDatabase"/>), migrated on open.</summary>
public sealed class SqliteTaskStore : DbTaskStore
{
    private SqliteTaskStore(SqliteDatabase database, TimeProvider? time) : base(database, time)
    {
    }

    /// <summary>Opens (creating and migrating if needed) the store in the file at <paramref name="path"/>.</summary>
    public static async Task<SqliteTaskStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        await OpenAsync(await SqliteDatabase.OpenAsync(path, cancellationToken), time, cancellationToken);

    /// <summary>The store on a database shared with other stores, migrated.</summary>
    public static async Task<SqliteTaskStore> OpenAsync(SqliteDatabase database, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var store = new SqliteTaskStore(database, time);
        await store.MigrateAsync(cancellationToken);
        return store;
    }
}
