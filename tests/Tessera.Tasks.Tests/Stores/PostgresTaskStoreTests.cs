using Tessera.Tasks.Stores;
using Tessera.Tasks.Stores.Postgres;
using Tessera.TestSupport;

namespace Tessera.Tasks.Tests.Stores;

/// <summary>The contract against a real PostgreSQL server, each test in a schema of its own.</summary>
public sealed class PostgresTaskStoreTests(PostgresServer server) : TaskStoreContract, IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly List<string> _schemas = [];
    private readonly List<PostgresTaskStore> _stores = [];

    protected override async Task<ITaskStore> OpenEmptyAsync()
    {
        var connectionString = server.NewSchema(out var schema);
        _schemas.Add(schema);
        var store = await PostgresTaskStore.OpenAsync(connectionString, Clock);
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task TwoProcessesStartingTogether_MigrateOnce()
    {
        var connectionString = server.NewSchema(out var schema);
        _schemas.Add(schema);
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresTaskStore.OpenAsync(connectionString, Clock)));
        _stores.AddRange(stores);
        var task = await stores[0].CreateAsync(new NewTask("x", TaskType.Evi, "bob", "{}"));
        Assert.Equal(task, await stores[3].GetAsync(task.Id));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        foreach (var schema in _schemas)
        {
            server.DropSchema(schema);
        }
    }
}
