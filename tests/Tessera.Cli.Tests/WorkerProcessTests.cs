using Tessera.Cli.Tests.Faults;
using Tessera.Host;
using Tessera.Tasks;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Cli.Tests;

/// <summary>
/// Scale-out and crashes with real processes: <c>tessera worker</c> processes on one real PostgreSQL
/// database and one data folder, killed with SIGKILL mid-task. The test queues tasks and reads results
/// through the same stores the API uses; every check is on what the database and the data folder hold.
/// </summary>
public sealed class WorkerProcessTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private QueueOnPostgres? _queue;

    private QueueOnPostgres Queue => _queue!;

    private string Data => Queue.Data;

    private string Database => Queue.Database;

    private ServiceParts Parts => Queue.Parts;

    private static readonly TaskStatus[] Ended = QueueOnPostgres.Ended;

    public async Task InitializeAsync() => _queue = await new QueueOnPostgres(postgres).OpenAsync();

    public async Task DisposeAsync() => await Queue.DisposeAsync();

    private Task<(long Nir, long Red)> UploadPairAsync(int size, string name) => Queue.UploadPairAsync(size, name);

    private Task<long> NdviAsync(string name, (long Nir, long Red) files) => Queue.NdviAsync(name, files);

    private static Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, int everyMs = 100) =>
        QueueOnPostgres.EventuallyAsync(probe, timeout, what, everyMs);

    private Task<long> CountAsync(params TaskStatus[] statuses) => Queue.CountAsync(statuses);

    private long PendingFiles() => Queue.PendingFiles();

    private Task AssertNothingLeftBehindAsync() => Queue.AssertNothingLeftBehindAsync();

    [Fact]
    public async Task FourWorkerProcesses_RunFourHundredTasks_EachExactlyOnce()
    {
        var pair = await UploadPairAsync(64, "small");
        var ids = new List<long>();
        for (var i = 0; i < 400; i++)
        {
            ids.Add(await NdviAsync($"task {i}", pair));
        }
        using var workers = new WorkerProcesses(Data, Database, leaseSeconds: 30);
        for (var i = 0; i < 4; i++)
        {
            workers.Start();
        }

        await EventuallyAsync(async () => await CountAsync(Ended) == 400 ? "" : null, TimeSpan.FromMinutes(5), "400 tasks did not all end", 250);

        Assert.Equal(400, await CountAsync(TaskStatus.PublishCompleted));
        var attempts = new List<(long Task, TaskAttempt Attempt)>();
        var outputs = new HashSet<long>();
        foreach (var id in ids)
        {
            var task = (await Parts.Tasks.GetAsync(id))!;
            Assert.Equal(1, task.Attempts);
            Assert.True(outputs.Add(task.Result!.OutputFileId), $"task {id} shares its output file with another task");
            var attempt = Assert.Single(await Parts.Tasks.AttemptsAsync(id));
            Assert.Equal("PUBLISH_COMPLETED", attempt.Outcome);
            // Every status change of the attempt was made by the worker that held it.
            Assert.All((await Parts.Tasks.HistoryAsync(id)).Skip(1), h => Assert.Equal(attempt.WorkerId, h.Actor));
            attempts.Add((id, attempt));
        }
        // All four processes worked, and no worker ran two tasks at the same time (one task at a time each).
        var byWorker = attempts.GroupBy(a => a.Attempt.WorkerId).ToList();
        Assert.Equal(workers.Started.Order(), byWorker.Select(g => WorkerProcesses.ProcessIdOf(g.Key)).Order());
        foreach (var worker in byWorker)
        {
            var ordered = worker.OrderBy(a => a.Attempt.StartedAt).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i - 1].Attempt.EndedAt <= ordered[i].Attempt.StartedAt,
                    $"{worker.Key} held tasks {ordered[i - 1].Task} and {ordered[i].Task} at once");
            }
        }
        // Same inputs, same result: all 400 outputs are the same bytes, and equal to the reference.
        var files = new List<Tessera.Catalog.Files.StoredFile>();
        foreach (var output in outputs)
        {
            files.Add((await Parts.Files.GetAsync(output, "alice"))!);
        }
        Assert.Single(files.Select(f => f.Sha256).Distinct());
        await Queue.AssertNdviEqualsReferenceAsync(files[0].Id, pair);
        await AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task DownloadAndProcessWorkers_SplitEveryTask_InOneAttempt_AndTheResultsEqualTheReference()
    {
        var pair = await UploadPairAsync(256, "split");
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await NdviAsync($"split {i}", pair));
        }
        using var workers = new WorkerProcesses(Data, Database, leaseSeconds: 30);
        var downloader = workers.Start(null, "--role", "download");

        // Alone, the download worker takes every task as far as DOWNLOADED, and no further.
        await EventuallyAsync(async () => await CountAsync(TaskStatus.Downloaded) == ids.Count ? "" : null, TimeSpan.FromMinutes(2),
            "the download worker did not download every task", 100);
        await Task.Delay(500);
        Assert.Equal(ids.Count, await CountAsync(TaskStatus.Downloaded));

        var processors = new[] { workers.Start(null, "--role", "process"), workers.Start(null, "--role", "process") };
        await EventuallyAsync(async () => await CountAsync(Ended) == ids.Count ? "" : null, TimeSpan.FromMinutes(3), "the tasks did not all end", 100);

        Assert.Equal(ids.Count, await CountAsync(TaskStatus.PublishCompleted));
        var outputs = new HashSet<long>();
        foreach (var id in ids)
        {
            var task = (await Parts.Tasks.GetAsync(id))!;
            Assert.Equal(1, task.Attempts); // one attempt, in two workers
            outputs.Add(task.Result!.OutputFileId);
            var attempts = await Parts.Tasks.AttemptsAsync(id);
            Assert.Equal(2, attempts.Count);
            Assert.Equal((downloader, "DOWNLOADED"), (WorkerProcesses.ProcessIdOf(attempts[0].WorkerId), attempts[0].Outcome));
            Assert.Contains(WorkerProcesses.ProcessIdOf(attempts[1].WorkerId), processors);
            Assert.Equal("PUBLISH_COMPLETED", attempts[1].Outcome);
            var history = (await Parts.Tasks.HistoryAsync(id)).Skip(1).Select(h => (h.To, h.Actor)).ToList();
            Assert.Equal([TaskStatus.Downloading, TaskStatus.Downloaded], history.Take(2).Select(h => h.To));
            Assert.All(history.Take(2), h => Assert.Equal(attempts[0].WorkerId, h.Actor));
            Assert.Equal([TaskStatus.Processing, TaskStatus.ProcessingCompleted, TaskStatus.Publishing, TaskStatus.PublishCompleted], history.Skip(2).Select(h => h.To));
            Assert.All(history.Skip(2), h => Assert.Equal(attempts[1].WorkerId, h.Actor));
        }
        var shas = new HashSet<string>();
        foreach (var output in outputs)
        {
            shas.Add((await Parts.Files.GetAsync(output, "alice"))!.Sha256);
        }
        Assert.Single(shas); // the same inputs give the same bytes, whichever workers ran them
        await Queue.AssertNdviEqualsReferenceAsync(outputs.First(), pair);
        await AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task WorkerKilledMidTask_AnotherFinishesItAfterTheLease_AndTheDeadAttemptLeavesNothing()
    {
        var pair = await UploadPairAsync(6000, "large");
        var id = await NdviAsync("large", pair);
        using var workers = new WorkerProcesses(Data, Database, leaseSeconds: 3);
        workers.Start();
        workers.Start();

        // Kill whoever holds the task once it is computing (its work folder then holds inputs and partial output).
        var holder = await EventuallyAsync(async () =>
        {
            var task = (await Parts.Tasks.GetAsync(id))!;
            return task.Status == TaskStatus.Processing && task.Progress is { Done: > 0 } ? task.LeaseOwner : null;
        }, TimeSpan.FromMinutes(2), "the task did not start processing", 20);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Data, "work", id.ToString()), "*", SearchOption.AllDirectories));
        var killedAt = DateTimeOffset.UtcNow;
        workers.Kill(WorkerProcesses.ProcessIdOf(holder));

        var done = await EventuallyAsync(async () => await Parts.Tasks.GetAsync(id) is { } t && Ended.Contains(t.Status) ? t : null,
            TimeSpan.FromMinutes(3), "the task was not finished by the other worker");
        Assert.True(done.Status == TaskStatus.PublishCompleted, done.ErrorMessage);
        var attempts = await Parts.Tasks.AttemptsAsync(id);
        Assert.Equal(2, attempts.Count);
        Assert.Equal((holder, "lease expired"), (attempts[0].WorkerId, attempts[0].Outcome));
        Assert.NotEqual(holder, attempts[1].WorkerId);
        Assert.Equal("PUBLISH_COMPLETED", attempts[1].Outcome);
        Assert.True(attempts[0].EndedAt >= killedAt + TimeSpan.FromSeconds(1), "rescued before its lease could expire");
        Assert.True(attempts[1].StartedAt >= attempts[0].EndedAt);

        // The published result is whole: it equals the reference everywhere.
        Assert.Equal(36_000_000, await Queue.AssertNdviEqualsReferenceAsync(done.Result!.OutputFileId, pair));
        await AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task WorkerKilledMidDownload_TheNextAttemptContinuesWithARangeRequest()
    {
        using var www = new TempFolder();
        var grid = SyntheticRaster.Grid(2000, 2000);
        var nir = SyntheticRaster.Write<ushort>(Path.Combine(www.Path, "nir.tif"), grid, (c, r) => (ushort)(2000 + (c * 7 + r) % 1000));
        SyntheticRaster.Write<ushort>(Path.Combine(www.Path, "red.tif"), grid, (c, r) => (ushort)(500 + (c + r * 3) % 400));
        using var faults = FaultServer.Serve(www.Path);
        await Parts.Catalog.UpsertCollectionAsync(new Tessera.Catalog.Scenes.CatalogCollection("remote", "Remote", "Served slowly", "CC0-1.0",
            Tessera.Catalog.Scenes.CollectionKind.Harvested, [], []));
        var time = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        await Parts.Catalog.UpsertItemsAsync([new Tessera.Catalog.Scenes.CatalogItem("remote", "scene", time, time, time,
            Tessera.Catalog.Stac.StacItems.Polygon(0, 0, 1, 1), new Tessera.Raster.Bounds(0, 0, 1, 1), null, null, null, [],
            [
                new Tessera.Catalog.Scenes.CatalogAsset("nir", new Uri(faults.Address, "slow/nir.tif").ToString(), "image/tiff; application=geotiff",
                    Size: new FileInfo(nir).Length),
                new Tessera.Catalog.Scenes.CatalogAsset("red", new Uri(faults.Address, "red.tif").ToString(), "image/tiff; application=geotiff"),
            ])]);
        var id = (await Parts.Tasks.CreateAsync(new NewTask("ndvi of a remote scene", new TaskType(7), "alice",
            """{"nir": {"item": "remote/scene", "asset": "nir"}, "red": {"item": "remote/scene", "asset": "red"}}"""))).Id;
        using var workers = new WorkerProcesses(Data, Database, leaseSeconds: 3);
        workers.Start(null, "--allowed-hosts", "127.0.0.1");
        workers.Start(null, "--allowed-hosts", "127.0.0.1");

        // Kill whoever holds the task once a quarter of the slow file has arrived.
        var holder = await EventuallyAsync(async () =>
        {
            var task = (await Parts.Tasks.GetAsync(id))!;
            return task.Progress is { Stage: var stage, Done: var done } && stage.StartsWith("download nir", StringComparison.Ordinal)
                && done > new FileInfo(nir).Length / 4 ? task.LeaseOwner : null;
        }, TimeSpan.FromMinutes(2), "the download did not start", 20);
        workers.Kill(WorkerProcesses.ProcessIdOf(holder));

        var ended = await EventuallyAsync(async () => await Parts.Tasks.GetAsync(id) is { } t && Ended.Contains(t.Status) ? t : null,
            TimeSpan.FromMinutes(3), "the task was not finished by the other worker");
        Assert.True(ended.Status == TaskStatus.PublishCompleted, ended.ErrorMessage);
        Assert.Equal(1, faults.Stats().Ranges); // the second attempt asked for the rest of the file only
        var item = await Parts.Catalog.GetItemAsync("remote", "scene", null);
        Assert.Equal(await File.ReadAllBytesAsync(nir), await File.ReadAllBytesAsync(item!.Assets.Single(a => a.Key == "nir").LocalPath!));
    }

    [Fact]
    public async Task ATaskThatKillsEveryWorker_FailsAfterTheAttemptLimit_WhileOtherTasksFlow()
    {
        var large = await UploadPairAsync(3000, "large");
        var small = await UploadPairAsync(64, "small");
        var poison = await NdviAsync("poison", large);
        var others = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            others.Add(await NdviAsync($"other {i}", small));
        }
        using var workers = new WorkerProcesses(Data, Database, leaseSeconds: 3, maxAttempts: 3);
        workers.Start();
        workers.Start();

        // Whenever a worker holds the poison task, it dies (SIGKILL) and a new worker takes its place.
        var killed = new List<string>();
        var failed = await EventuallyAsync(async () =>
        {
            var task = (await Parts.Tasks.GetAsync(poison))!;
            if (Ended.Contains(task.Status))
            {
                return task;
            }
            if (task.LeaseOwner is { } owner && !killed.Contains(owner) && workers.IsRunning(WorkerProcesses.ProcessIdOf(owner)))
            {
                killed.Add(owner);
                workers.Kill(WorkerProcesses.ProcessIdOf(owner));
                workers.Start();
            }
            return null;
        }, TimeSpan.FromMinutes(3), "the poison task never ended", 20);

        Assert.Equal(3, killed.Count);
        Assert.Contains(failed.Status, new[] { TaskStatus.DownloadFailed, TaskStatus.ProcessingFailed, TaskStatus.PublishFailed });
        Assert.Matches(@"^the worker \(.+\) stopped answering during [A-Z_]+, 3 attempt\(s\) of 3$", failed.ErrorMessage);
        var attempts = await Parts.Tasks.AttemptsAsync(poison);
        Assert.Equal(killed, attempts.Select(a => a.WorkerId));
        Assert.All(attempts, a => Assert.Equal("lease expired", a.Outcome));

        await EventuallyAsync(async () => await CountAsync(TaskStatus.PublishCompleted) == 30 ? "" : null,
            TimeSpan.FromMinutes(2), "the other tasks did not all complete");
        foreach (var id in others)
        {
            Assert.Equal(TaskStatus.PublishCompleted, (await Parts.Tasks.GetAsync(id))!.Status);
        }
        Assert.Equal(0, PendingFiles());
    }
}
