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
        var task = await stores[0].CreateAsync(new NewTask("x", new TaskType(8), "bob", "{}"));
        Assert.Equal(task, await stores[3].GetAsync(task.Id));
    }

    [Fact]
    public async Task WorkerInAnotherProcess_IsWokenByNotify()
    {
        var connectionString = server.NewSchema(out var schema);
        _schemas.Add(schema);
        var here = await PostgresTaskStore.OpenAsync(connectionString);
        var elsewhere = await PostgresTaskStore.OpenAsync(connectionString); // its own connections: another process
        _stores.AddRange([here, elsewhere]);
        var signal = new Tessera.Tasks.Workers.TaskSignal();
        using var stop = new CancellationTokenSource();
        var listening = here.ListenAsync(signal, stop.Token);
        await Task.Delay(500); // listening now

        var woken = signal.WaitAsync(TimeSpan.FromSeconds(20), TimeProvider.System, CancellationToken.None);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await elsewhere.CreateAsync(new NewTask("x", new TaskType(7), "bob", "{}"));
        await woken;
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"woken after {started.Elapsed}");
        stop.Cancel();
        await listening;
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
