using Tessera.Catalog.Files;
using Tessera.Data;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Files;

/// <summary>The file store contract on a real PostgreSQL server, each test in a schema of its own.</summary>
public sealed class PostgresFileStoreTests(PostgresServer server) : FileStoreContract, IClassFixture<PostgresServer>
{
    private readonly List<DbFileRegistry> _registries = [];
    private string? _schema;
    private string? _connectionString;

    protected override async Task<IFileRegistry> OpenRegistryAsync()
    {
        _connectionString ??= server.NewSchema(out _schema);
        var registry = await DbFileRegistry.OpenAsync(PostgresDatabase.Open(_connectionString), ownsDatabase: true);
        _registries.Add(registry);
        return registry;
    }

    public override void Dispose()
    {
        foreach (var registry in _registries)
        {
            registry.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (_schema is not null)
        {
            server.DropSchema(_schema);
        }
        base.Dispose();
    }
}
