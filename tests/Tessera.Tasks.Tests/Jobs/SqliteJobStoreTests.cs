using Tessera.Data;

namespace Tessera.Tasks.Tests.Jobs;

/// <summary>The job store's contract on SQLite.</summary>
public sealed class SqliteJobStoreTests : JobStoreContract
{
    private SqliteDatabase? _database;

    protected override async Task<Database> OpenDatabaseAsync() => _database ??= await SqliteDatabase.OpenAsync(Root.File("jobs.db"));
}
