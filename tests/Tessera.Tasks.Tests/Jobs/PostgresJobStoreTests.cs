using Tessera.Data;
using Tessera.TestSupport;

namespace Tessera.Tasks.Tests.Jobs;

/// <summary>The job store's contract on a real PostgreSQL server, each test in a schema of its own.</summary>
public sealed class PostgresJobStoreTests(PostgresServer server) : JobStoreContract, IClassFixture<PostgresServer>
{
    private PostgresDatabase? _database;
    private string? _schema;

    protected override Task<Database> OpenDatabaseAsync() =>
        Task.FromResult<Database>(_database ??= PostgresDatabase.Open(server.NewSchema(out _schema)));

    public override void Dispose()
    {
        _database?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_schema is not null)
        {
            server.DropSchema(_schema);
        }
        base.Dispose();
    }
}
