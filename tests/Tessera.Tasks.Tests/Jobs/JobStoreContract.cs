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
    public async Task Services_AreKeptPerOwner_Updated_AndDeletedWithTheirLogs()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        var store = await StoreAsync(time);
        var first = await store.CreateServiceAsync("alice", "XYZ", "NDVI map", null, """{"process_graph":{}}""", true, """{"colormap":"greys"}""",
            null, 2.5, "info");
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await store.CreateServiceAsync("alice", "WMTS", null, "tiles", """{"process_graph":{"a":1}}""", false, "{}", "free", null, "debug",
            userProcesses: """{"ndwi":{"id":"ndwi"}}""");
        await store.CreateServiceAsync("bob", "XYZ", null, null, "{}", true, "{}", null, null, "error");
        var job = await store.CreateAsync("alice", "a job", null, "{}", null, null);

        Assert.Equal([second.Id, first.Id], (await store.ListServicesAsync("alice", 10)).Select(s => s.Id)); // newest first
        Assert.Equal(3, (await store.ListServicesAsync(null, 10)).Count);
        Assert.Single(await store.ListServicesAsync("alice", 1));
        Assert.Null(await store.GetServiceAsync(first.Id, "bob"));
        Assert.Null(await store.GetServiceAsync(job.Id, null)); // jobs and services are apart
        var read = await store.GetServiceAsync(first.Id, "alice");
        Assert.Equal(("alice", "XYZ", "NDVI map", true, """{"colormap":"greys"}""", 2.5, "info"),
            (read!.Owner, read.Type, read.Title, read.Enabled, read.Configuration, read.Budget, read.LogLevel));
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero), read.Created);
        var other = await store.GetServiceAsync(second.Id, null);
        Assert.Equal(("WMTS", false, "free", (double?)null, "debug", """{"ndwi":{"id":"ndwi"}}"""),
            (other!.Type, other.Enabled, other.Plan, other.Budget, other.LogLevel, other.UserProcesses));
        Assert.Null(read.UserProcesses);

        time.Advance(TimeSpan.FromMinutes(5));
        await store.UpdateServiceAsync(read with { Title = null, Enabled = false, Process = """{"process_graph":{"b":2}}""", LogLevel = "warning", UserProcesses = "{}" });
        var updated = await store.GetServiceAsync(first.Id, null);
        Assert.Equal(((string?)null, false, """{"process_graph":{"b":2}}""", "warning", "XYZ", "{}"),
            (updated!.Title, updated.Enabled, updated.Process, updated.LogLevel, updated.Type, updated.UserProcesses));
        Assert.Equal(read.Created.AddMinutes(6), updated.Updated);
        Assert.Equal(read.Created, updated.Created);

        await store.LogServiceAsync(first.Id, "info", "one");
        await store.LogServiceAsync(second.Id, "info", "other service");
        await store.LogServiceAsync(first.Id, "error", "two");
        Assert.Equal([(1L, "info", "one"), (2L, "error", "two")], (await store.ServiceLogsAsync(first.Id, 0, 100)).Select(l => (l.Sequence, l.Level, l.Message)));
        Assert.Equal(["two"], (await store.ServiceLogsAsync(first.Id, 1, 100)).Select(l => l.Message));
        Assert.Empty(await store.LogsAsync(first.Id, 0, 100)); // not a job's log

        Assert.True(await store.DeleteServiceAsync(first.Id));
        Assert.False(await store.DeleteServiceAsync(first.Id));
        Assert.Null(await store.GetServiceAsync(first.Id, null));
        Assert.Empty(await store.ServiceLogsAsync(first.Id, 0, 100));
        Assert.Single(await store.ServiceLogsAsync(second.Id, 0, 100));
        Assert.NotNull(await store.GetAsync(job.Id, null));
    }

    [Fact]
    public async Task AServiceOfAnUnknownTypeOrLogLevel_IsRefusedByTheDatabase()
    {
        var store = await StoreAsync();
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.CreateServiceAsync("alice", "WMS", null, null, "{}", true, "{}", null, null, "info"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.CreateServiceAsync("alice", "XYZ", null, null, "{}", true, "{}", null, null, "loud"));
        Assert.Empty(await store.ListServicesAsync(null, 10));
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
