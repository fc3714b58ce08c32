using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Cli.Tests.Faults;

/// <summary>
/// Real <c>tessera worker</c> processes on a real PostgreSQL server, put through what operators and machines do
/// to them: SIGTERM in the middle of a task, SIGSTOP past the lease, clocks 90 s off, a database restart and
/// sessions terminated under them, and four workers killed at random through 500 tasks. After each, every task is
/// published exactly once with the right bytes, and nothing is left behind.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class WorkerFaultTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private QueueOnPostgres? _queue;

    private QueueOnPostgres Queue => _queue!;

    public async Task InitializeAsync() => _queue = await new QueueOnPostgres(postgres).OpenAsync();

    public async Task DisposeAsync() => await Queue.DisposeAsync();

    private Task<T> Eventually<T>(Func<Task<T?>> probe, double seconds, string what, int everyMs = 100) =>
        QueueOnPostgres.EventuallyAsync(probe, TimeSpan.FromSeconds(seconds), what, everyMs);

    /// <summary>The worker holding <paramref name="id"/> once it is computing (some blocks done).</summary>
    private Task<string> HolderWhileProcessingAsync(long id) => Eventually(async () =>
    {
        var task = (await Queue.Parts.Tasks.GetAsync(id))!;
        return task.Status == TaskStatus.Processing && task.Progress is { Done: > 0 } ? task.LeaseOwner : null;
    }, 120, "the task did not start processing", 20);

    [Fact]
    public async Task Sigterm_GivesTheTaskBackUncounted_AndTheWorkerExitsCleanly()
    {
        // Large enough that the computation outlasts several progress reports (every 250 ms) on a fast machine: the
        // signal has to find it still computing (4000 x 4000 could finish before it, or before the first report).
        const int size = 8000;
        var pair = await Queue.UploadPairAsync(size, "large");
        var id = await Queue.NdviAsync("large", pair);
        using var workers = new WorkerProcesses(Queue.Data, Queue.Database, leaseSeconds: 30);
        var first = workers.Start();
        Assert.Equal(first, WorkerProcesses.ProcessIdOf(await HolderWhileProcessingAsync(id)));

        WorkerProcesses.Signal(first, "TERM");
        Assert.Equal(0, workers.ExitCode(first, TimeSpan.FromSeconds(20)));
        var released = (await Queue.Parts.Tasks.GetAsync(id))!;
        Assert.Equal(TaskStatus.NotStarted, released.Status);
        Assert.Equal(0, released.Attempts); // a graceful stop is not an attempt
        Assert.Equal("released", Assert.Single(await Queue.Parts.Tasks.AttemptsAsync(id)).Outcome);
        Assert.Contains("given back: worker", workers.Log(first));

        workers.Start();
        var done = await Eventually(async () => await Queue.Parts.Tasks.GetAsync(id) is { } t && QueueOnPostgres.Ended.Contains(t.Status) ? t : null, 120, "not finished");
        Assert.Equal(TaskStatus.PublishCompleted, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(size * size, await Queue.AssertNdviEqualsReferenceAsync(done.Result!.OutputFileId, pair));
        await Queue.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task AWorkerStoppedPastItsLease_IsFencedWhenItWakes_AndChangesNothing()
    {
        var pair = await Queue.UploadPairAsync(3000, "large");
        var id = await Queue.NdviAsync("large", pair);
        using var workers = new WorkerProcesses(Queue.Data, Queue.Database, leaseSeconds: 3);
        workers.Start();
        workers.Start();
        var holder = await HolderWhileProcessingAsync(id);
        var paused = WorkerProcesses.ProcessIdOf(holder);
        WorkerProcesses.Signal(paused, "STOP");

        var done = await Eventually(async () => await Queue.Parts.Tasks.GetAsync(id) is { Status: TaskStatus.PublishCompleted } t ? t : null, 120,
            "the other worker did not finish the task");
        var history = await Queue.Parts.Tasks.HistoryAsync(id);
        WorkerProcesses.Signal(paused, "CONT");
        await Eventually(() => Task.FromResult(workers.Log(paused).Contains("no longer holds the task") ? "" : null), 30, "the woken worker did not notice it lost the task");
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(history, await Queue.Parts.Tasks.HistoryAsync(id)); // the woken worker changed nothing
        Assert.Equal(done, await Queue.Parts.Tasks.GetAsync(id));
        var attempts = await Queue.Parts.Tasks.AttemptsAsync(id);
        Assert.Equal((holder, "lease expired"), (attempts[0].WorkerId, attempts[0].Outcome));
        Assert.Equal("PUBLISH_COMPLETED", attempts[^1].Outcome);
        Assert.True(workers.IsRunning(paused));
        Assert.Equal(9_000_000, await Queue.AssertNdviEqualsReferenceAsync(done.Result!.OutputFileId, pair));
        await Queue.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task WorkersWhoseClocksAre90SecondsOff_KeepTheirLeases_BecauseLeasesRunOnTheDatabasesClock()
    {
        var pair = await Queue.UploadPairAsync(256, "small");
        var ids = new List<long>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add(await Queue.NdviAsync($"task {i}", pair));
        }
        using var workers = new WorkerProcesses(Queue.Data, Queue.Database, leaseSeconds: 10);
        var behind = workers.Start(WorkerProcesses.WrongClock("-90s"));
        var ahead = workers.Start(WorkerProcesses.WrongClock("+90s"));
        var right = workers.Start();

        await Eventually(async () => await Queue.CountAsync(QueueOnPostgres.Ended) == ids.Count ? "" : null, 180, "the tasks did not all end", 250);
        await Queue.AssertEachPublishedOnceAsync(ids);
        var workersSeen = new HashSet<int>();
        foreach (var id in ids)
        {
            var attempt = Assert.Single(await Queue.Parts.Tasks.AttemptsAsync(id)); // nobody's task was taken from them
            workersSeen.Add(WorkerProcesses.ProcessIdOf(attempt.WorkerId));
        }
        Assert.Contains(behind, workersSeen);
        Assert.Contains(ahead, workersSeen);
        Assert.Contains(right, workersSeen);
        await Queue.AssertNothingLeftBehindAsync();
    }

    [Theory]
    [InlineData("restart")]
    [InlineData("terminate")]
    public async Task TheDatabaseGoingAwayMidRun_PausesTheWorkers_WhichThenFinishEveryTaskOnce(string how)
    {
        Assert.True(postgres.IsOwn, "this test restarts its PostgreSQL server; unset TESSERA_TEST_POSTGRES to run it");
        var pair = await Queue.UploadPairAsync(256, "small");
        var ids = new List<long>();
        for (var i = 0; i < 150; i++)
        {
            ids.Add(await Queue.NdviAsync($"task {i}", pair));
        }
        using var workers = new WorkerProcesses(Queue.Data, Queue.Database, leaseSeconds: 10);
        var started = Enumerable.Range(0, 3).Select(_ => workers.Start()).ToList();
        await Eventually(async () => await Queue.CountAsync(TaskStatus.PublishCompleted) >= 30 ? "" : null, 120, "work did not start", 50);

        if (how == "restart")
        {
            // Away for two seconds: long enough that working workers meet it (a restart of a few milliseconds may fall
            // between their calls and go unseen, which would check nothing).
            postgres.Stop();
            await Task.Delay(TimeSpan.FromSeconds(2));
            postgres.Start();
        }
        else
        {
            var terminated = 0;
            for (var i = 0; i < 3; i++)
            {
                terminated += postgres.TerminateOtherSessions();
                await Task.Delay(400);
            }
            Assert.True(terminated > 0, "no session was terminated");
        }

        await Eventually(async () => await Queue.CountAsync(QueueOnPostgres.Ended) == ids.Count ? "" : null, 180,
            $"the tasks did not all end after the database {how}", 250);
        await Queue.UntilTheDatabaseAnswersAsync();
        Assert.All(started, pid => Assert.True(workers.IsRunning(pid), $"worker {pid} stopped:\n{workers.Log(pid)}"));
        Assert.Contains(started, pid => workers.Log(pid).Contains("the database failed") || workers.Log(pid).Contains("trying again"));
        await Queue.AssertEachPublishedOnceAsync(ids);
        foreach (var id in ids)
        {
            Assert.DoesNotContain(await Queue.Parts.Tasks.HistoryAsync(id), h => h.To is TaskStatus.DownloadFailed or TaskStatus.ProcessingFailed or TaskStatus.PublishFailed);
        }
        await Queue.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task AWorkerWhoseDatabaseStaysAway_GivesUpAndExitsWithAnError_ForItsSupervisorToSee()
    {
        Assert.True(postgres.IsOwn, "this test stops its PostgreSQL server; unset TESSERA_TEST_POSTGRES to run it");
        using var workers = new WorkerProcesses(Queue.Data, Queue.Database, leaseSeconds: 10);
        var worker = workers.Start(null, "--give-up-after", "4");
        await Eventually(() => Task.FromResult(workers.Log(worker).Contains("started") ? "" : null), 60, "the worker did not start");
        // Idle by now (its first claim found nothing): an idle worker must notice the database going away too, not
        // only at its next poll (a minute).
        await Task.Delay(TimeSpan.FromSeconds(3));
        postgres.Stop();
        try
        {
            var code = workers.ExitCode(worker, TimeSpan.FromSeconds(60));
            Assert.True(code == 1, $"exit code {code?.ToString() ?? "none (still running)"}; the worker's log:\n{workers.Log(worker)}");
            Assert.Contains("stops: it has failed for", workers.Log(worker));
            Assert.Contains("tessera: error: worker", workers.Log(worker));
        }
        finally
        {
            postgres.Start();
            await Queue.UntilTheDatabaseAnswersAsync();
        }
    }

    [Fact]
    public async Task FourWorkersKilledAtRandom_ThroughFiveHundredTasks_LoseNoneAndRunNoneTwice()
    {
        var pair = await Queue.UploadPairAsync(128, "small");
        var ids = new List<long>();
        for (var i = 0; i < 500; i++)
        {
            ids.Add(await Queue.NdviAsync($"task {i}", pair));
        }
        // Attempts are generous here: what is checked is that no kill loses or doubles a task, not the attempt limit.
        using var workers = new WorkerProcesses(Queue.Data, Queue.Database, leaseSeconds: 3, maxAttempts: 20);
        // A worker killed between publishing a task and removing its work folder leaves the folder: the sweeper
        // removes it once it has been left alone for the leftover age (2 s here).
        string[] sweepSoon = ["--leftover-age", "2"];
        var running = Enumerable.Range(0, 4).Select(_ => workers.Start(null, sweepSoon)).ToList();
        var random = new Random(500);
        var kills = 0;
        while (await Queue.CountAsync(QueueOnPostgres.Ended) < ids.Count && kills < 25)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(700 + random.Next(800)));
            var victim = running[random.Next(running.Count)];
            workers.Kill(victim);
            running.Remove(victim);
            running.Add(workers.Start(null, sweepSoon));
            kills++;
        }
        await Eventually(async () => await Queue.CountAsync(QueueOnPostgres.Ended) == ids.Count ? "" : null, 300, "the tasks did not all end", 250);

        var outputs = await Queue.AssertEachPublishedOnceAsync(ids);
        var expired = 0;
        foreach (var id in ids)
        {
            expired += (await Queue.Parts.Tasks.AttemptsAsync(id)).Count(a => a.Outcome == "lease expired");
        }
        Assert.True(kills >= 10, $"only {kills} kills happened before the tasks ended");
        Assert.True(expired > 0, "no kill hit a task in progress");
        await Queue.AssertNdviEqualsReferenceAsync(outputs[0], pair);
        await Eventually(() => Task.FromResult(Queue.PendingFiles() == 0 ? "" : null), 60, "unpublished results of killed attempts were not swept");
        var work = Path.Combine(Queue.Data, "work");
        await Eventually(() => Task.FromResult(!Directory.Exists(work) || Directory.GetFileSystemEntries(work).Length == 0 ? "" : null), 60,
            "the work folders of killed attempts were not swept");
        await Queue.AssertNothingLeftBehindAsync();
        await File.WriteAllTextAsync(Path.Combine(Artifacts.Folder("reliability"), "random-kills.txt"),
            $"500 tasks, 4 workers, {kills} SIGKILLs, {expired} attempts ended by an expired lease, 500 published once, 0 lost, 0 twice\n");
    }
}
