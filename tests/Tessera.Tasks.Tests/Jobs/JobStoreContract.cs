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

    public virtual void Dispose()
    {
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}
