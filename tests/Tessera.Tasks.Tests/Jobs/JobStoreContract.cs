using Tessera.Data;
using Tessera.Tasks.Jobs;
using Tessera.TestSupport;

namespace Tessera.Tasks.Tests.Jobs;

/// <summary>What the store of openEO batch jobs does, on every database: each database's test class says how to open one.</summary>
public abstract class JobStoreContract : IDisposable
{
    private readonly TempFolder _root = new();

    protected TempFolder Root => _root;

    protected abstract Task<Database> OpenDatabaseAsync();

    private async Task<DbJobStore> StoreAsync(ManualTimeProvider? time = null) => await DbJobStore.OpenAsync(await OpenDatabaseAsync(), time);

    [Fact]
    public async Task Jobs_AreKeptPerOwner_Updated_Started_AndDeletedWithTheirLogs()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var store = await StoreAsync(time);
        var first = await store.CreateAsync("alice", "NDVI", null, """{"process_graph":{}}""", null, 5.5);
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await store.CreateAsync("alice", null, "a description", """{"process_graph":{"a":1}}""", "free", null);
        await store.CreateAsync("bob", "Bob's", null, "{}", null, null);

        Assert.Equal([second.Id, first.Id], (await store.ListAsync("alice", 10)).Select(j => j.Id)); // newest first
        Assert.Equal(3, (await store.ListAsync(null, 10)).Count);
        Assert.Null(await store.GetAsync(first.Id, "bob"));
        var read = await store.GetAsync(first.Id, "alice");
        Assert.Equal(("alice", "NDVI", 5.5, (long?)null), (read!.Owner, read.Title, read.Budget, read.TaskId));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), read.Created);

        time.Advance(TimeSpan.FromMinutes(5));
        await store.UpdateAsync(read with { Title = "NDVI max", Plan = "free" });
        await store.SetTaskAsync(first.Id, 42);
        var updated = await store.GetAsync(first.Id, null);
        Assert.Equal(("NDVI max", "free", (long?)42), (updated!.Title, updated.Plan, updated.TaskId));
        Assert.Equal(read.Created.AddMinutes(6), updated.Updated);

        await store.LogAsync(first.Id, "info", "one");
        await store.LogAsync(first.Id, "warning", "two");
        await store.LogAsync(second.Id, "info", "other job");
        await store.LogAsync(first.Id, "error", "three");
        Assert.Equal(["one", "two", "three"], (await store.LogsAsync(first.Id, 0, 100)).Select(l => l.Message));
        Assert.Equal([(3L, "error", "three")], (await store.LogsAsync(first.Id, 2, 100)).Select(l => (l.Sequence, l.Level, l.Message)));
        Assert.Single(await store.LogsAsync(first.Id, 0, 1));

        Assert.True(await store.DeleteAsync(first.Id));
        Assert.False(await store.DeleteAsync(first.Id));
        Assert.Null(await store.GetAsync(first.Id, null));
        Assert.Empty(await store.LogsAsync(first.Id, 0, 100));
        Assert.Single(await store.LogsAsync(second.Id, 0, 100));
    }

    [Fact]
    public async Task ProcessGraphs_AreKeptPerOwner_ReplacedWhole_AndDeleted()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var store = await StoreAsync(time);
        await store.PutProcessGraphAsync("alice", "ndwi", """{"id":"ndwi","process_graph":{"a":1}}""");
        await store.PutProcessGraphAsync("alice", "evi", """{"id":"evi","process_graph":{}}""");
        await store.PutProcessGraphAsync("bob", "ndwi", """{"id":"ndwi","summary":"Bob's"}""");

        Assert.Equal(["evi", "ndwi"], (await store.ListProcessGraphsAsync("alice", 10)).Select(p => p.Id)); // by id
        Assert.Equal(["evi"], (await store.ListProcessGraphsAsync("alice", 1)).Select(p => p.Id));
        Assert.Equal("""{"id":"ndwi","summary":"Bob's"}""", (await store.GetProcessGraphAsync("bob", "ndwi"))!.Process);
        Assert.Null(await store.GetProcessGraphAsync("bob", "evi"));

        time.Advance(TimeSpan.FromMinutes(3));
        await store.PutProcessGraphAsync("alice", "ndwi", """{"id":"ndwi","process_graph":{"b":2}}""");
        var replaced = await store.GetProcessGraphAsync("alice", "ndwi");
        Assert.Equal(("alice", """{"id":"ndwi","process_graph":{"b":2}}"""), (replaced!.Owner, replaced.Process));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), replaced.Created);
        Assert.Equal(replaced.Created.AddMinutes(3), replaced.Updated);
        Assert.Equal(2, (await store.ListProcessGraphsAsync("alice", 10)).Count);

        Assert.True(await store.DeleteProcessGraphAsync("alice", "ndwi"));
        Assert.False(await store.DeleteProcessGraphAsync("alice", "ndwi"));
        Assert.Null(await store.GetProcessGraphAsync("alice", "ndwi"));
        Assert.NotNull(await store.GetProcessGraphAsync("bob", "ndwi"));
    }

    [Fact]
    public async Task AJob_KeepsTheUserProcessesOfItsGraph_UntilItsGraphChanges()
    {
        var store = await StoreAsync();
        var plain = await store.CreateAsync("alice", null, null, "{}", null, null);
        var calling = await store.CreateAsync("alice", null, null, "{}", null, null, userProcesses: """{"ndwi":{"id":"ndwi"}}""");

        Assert.Null((await store.GetAsync(plain.Id, null))!.UserProcesses);
        Assert.Equal("""{"ndwi":{"id":"ndwi"}}""", (await store.GetAsync(calling.Id, "alice"))!.UserProcesses);
        Assert.Equal("""{"ndwi":{"id":"ndwi"}}""", Assert.Single(await store.ListAsync("alice", 10), j => j.Id == calling.Id).UserProcesses);

        await store.UpdateAsync(calling with { Title = "renamed" });
        Assert.Equal("""{"ndwi":{"id":"ndwi"}}""", (await store.GetAsync(calling.Id, null))!.UserProcesses);
        await store.UpdateAsync(calling with { Process = """{"process_graph":{}}""", UserProcesses = null });
        Assert.Null((await store.GetAsync(calling.Id, null))!.UserProcesses);
    }

    public virtual void Dispose()
    {
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}
