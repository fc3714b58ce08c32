using Tessera.Tasks.Stores;

namespace Tessera.Tasks.Tests.Stores;

/// <summary>
/// What every task store must do. Each store's test class derives from this and says how to open a fresh,
/// empty store on a given clock.
/// </summary>
public abstract class TaskStoreContract
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);

    protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected abstract Task<ITaskStore> OpenEmptyAsync();

    private static NewTask Ndvi(string name = "ndvi") =>
        new(name, new TaskType(7), "alice", """{"nir":{"fileId":1,"band":1},"red":{"fileId":2,"band":1}}""", "results", "ndvi.tif");

    [Fact]
    public async Task Create_StoresTaskNotStarted_WithCreationInHistory()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        Assert.Equal(TaskStatus.NotStarted, task.Status);
        Assert.Equal(0, task.Attempts);
        Assert.Equal(Clock.GetUtcNow(), task.CreatedAt);
        Assert.Equal(task, await store.GetAsync(task.Id));
        var history = await store.HistoryAsync(task.Id);
        Assert.Equal([new StatusChange(task.Id, null, TaskStatus.NotStarted, Clock.GetUtcNow(), 0, null, "alice")], history);
    }

    [Fact]
    public async Task Get_UnknownId_IsNull() => Assert.Null(await (await OpenEmptyAsync()).GetAsync(12345));

    [Fact]
    public async Task Claim_TakesEarliestFirst_CountsAttempt_AndGivesLease()
    {
        var store = await OpenEmptyAsync();
        var first = await store.CreateAsync(Ndvi("first"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await store.CreateAsync(Ndvi("second"));

        var claimed = await store.ClaimNextAsync("worker-a", LeaseTime);
        Assert.NotNull(claimed);
        Assert.Equal(first.Id, claimed.Task.Id);
        Assert.Equal(TaskStatus.Downloading, claimed.Task.Status);
        Assert.Equal(1, claimed.Task.Attempts);
        Assert.Equal("worker-a", claimed.Task.LeaseOwner);
        Assert.Equal(Clock.GetUtcNow() + LeaseTime, claimed.Lease.ExpiresAt);

        Assert.Equal(second.Id, (await store.ClaimNextAsync("worker-b", LeaseTime))!.Task.Id);
        Assert.Null(await store.ClaimNextAsync("worker-c", LeaseTime));
    }

    [Fact]
    public async Task Roles_DownloadWorkersTakeNewTasks_AndHandThemOver_ToProcessWorkers_InTheSameAttempt()
    {
        var store = await OpenEmptyAsync();
        var first = await store.CreateAsync(Ndvi("first"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await store.CreateAsync(Ndvi("second"));

        Assert.Null(await store.ClaimNextAsync("processor", LeaseTime, Tessera.Tasks.Workers.WorkerRole.Process)); // nothing downloaded yet
        var (downloading, lease) = (await store.ClaimNextAsync("downloader", LeaseTime, Tessera.Tasks.Workers.WorkerRole.Download))!;
        Assert.Equal((first.Id, TaskStatus.Downloading, 1), (downloading.Id, downloading.Status, downloading.Attempts));

        var handed = await store.HandOverAsync(lease);
        Assert.Equal((TaskStatus.Downloaded, null, null, lease.Token.ToString()), (handed.Status, handed.LeaseOwner, handed.LeaseExpiresAt, handed.WorkToken));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.HeartbeatAsync(lease, LeaseTime)); // the download worker's part is over

        // A download worker takes the next new task, never the downloaded one; a process worker takes the downloaded one.
        Assert.Equal(second.Id, (await store.ClaimNextAsync("downloader", LeaseTime, Tessera.Tasks.Workers.WorkerRole.Download))!.Task.Id);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var (processing, processLease) = (await store.ClaimNextAsync("processor", LeaseTime, Tessera.Tasks.Workers.WorkerRole.Process))!;
        Assert.Equal((first.Id, TaskStatus.Processing, 1, "processor", lease.Token.ToString()),
            (processing.Id, processing.Status, processing.Attempts, processing.LeaseOwner, processing.WorkToken));
        Assert.Null(await store.ClaimNextAsync("processor", LeaseTime, Tessera.Tasks.Workers.WorkerRole.Process));

        await store.AdvanceThroughAsync(processLease, [TaskStatus.ProcessingCompleted, TaskStatus.Publishing]);
        var done = await store.AdvanceAsync(processLease, TaskStatus.PublishCompleted);
        Assert.Equal(TaskStatus.PublishCompleted, done.Status);
        var history = (await store.HistoryAsync(first.Id)).Select(h => (h.From, h.To, h.Actor)).ToList();
        Assert.Equal(
        [
            (null, TaskStatus.NotStarted, "alice"), (TaskStatus.NotStarted, TaskStatus.Downloading, "downloader"),
            (TaskStatus.Downloading, TaskStatus.Downloaded, "downloader"), (TaskStatus.Downloaded, TaskStatus.Processing, "processor"),
            (TaskStatus.Processing, TaskStatus.ProcessingCompleted, "processor"), (TaskStatus.ProcessingCompleted, TaskStatus.Publishing, "processor"),
            (TaskStatus.Publishing, TaskStatus.PublishCompleted, "processor"),
        ], history);
    }

    [Fact]
    public async Task Dependencies_ATaskStartsOnlyOnceItsPrerequisitesHaveEnded_DoneOrFailed()
    {
        var store = await OpenEmptyAsync();
        var reference = await store.CreateAsync(Ndvi("tile 1, first date"));
        var previous = await store.CreateAsync(Ndvi("tile 1, second date"));
        // Created before its prerequisites end, it waits for both whatever its age.
        var next = await store.CreateAsync(Ndvi("tile 1, third date") with
        {
            After = [new TaskDependency(previous.Id, "previous"), new TaskDependency(reference.Id, "reference")],
        });
        var unrelated = await store.CreateAsync(Ndvi("elsewhere"));
        Assert.Equal([new TaskDependency(reference.Id, "reference"), new TaskDependency(previous.Id, "previous")],
            (await store.DependenciesAsync(next.Id)).OrderBy(d => d.TaskId));

        var (_, referenceLease) = (await store.ClaimNextAsync("w1", LeaseTime))!;
        var (_, previousLease) = (await store.ClaimNextAsync("w2", LeaseTime))!;
        Assert.Equal(unrelated.Id, (await store.ClaimNextAsync("w3", LeaseTime))!.Task.Id); // the third date is passed over
        Assert.Null(await store.ClaimNextAsync("w4", LeaseTime));

        await store.AdvanceAsync(referenceLease, TaskStatus.DownloadFailed, "offline");
        Assert.Null(await store.ClaimNextAsync("w4", LeaseTime)); // the previous date still runs
        await store.AdvanceThroughAsync(previousLease, [TaskStatus.Downloaded, TaskStatus.Processing]);
        Assert.Null(await store.ClaimNextAsync("w4", LeaseTime));
        await store.AdvanceThroughAsync(previousLease, [TaskStatus.ProcessingCompleted, TaskStatus.Publishing]);
        await store.AdvanceAsync(previousLease, TaskStatus.PublishCompleted);

        Assert.Equal(next.Id, (await store.ClaimNextAsync("w4", LeaseTime))!.Task.Id);

        // A task that takes its input from another waits while that one has failed, until a retry gets it done.
        var download = await store.CreateAsync(Ndvi("download"));
        var processing = await store.CreateAsync(Ndvi("processing") with { After = [new TaskDependency(download.Id, TaskDependency.Input)] });
        var (_, downloadLease) = (await store.ClaimNextAsync("w5", LeaseTime))!;
        await store.AdvanceAsync(downloadLease, TaskStatus.DownloadFailed, "offline");
        Assert.Null(await store.ClaimNextAsync("w5", LeaseTime));
        await store.RetryAsync(download.Id, "alice");
        var (_, again) = (await store.ClaimNextAsync("w5", LeaseTime))!;
        await store.AdvanceThroughAsync(again, [TaskStatus.Downloaded, TaskStatus.Processing]);
        await store.AdvanceThroughAsync(again, [TaskStatus.ProcessingCompleted, TaskStatus.Publishing]);
        await store.AdvanceAsync(again, TaskStatus.PublishCompleted);
        Assert.Equal(processing.Id, (await store.ClaimNextAsync("w5", LeaseTime))!.Task.Id);
        await Assert.ThrowsAsync<TaskException>(() => store.CreateAsync(Ndvi("orphan") with { After = [new TaskDependency(987654, "previous")] }));
    }

    [Fact]
    public async Task Parts_ATaskMadeWithPartsOrSplitWhileHeld_WaitsUntilEachHasEnded()
    {
        var store = await OpenEmptyAsync();
        // Made with its parts: they come first, in one transaction, and it waits for them.
        var whole = await store.CreateAsync(Ndvi("whole") with { Parts = [Ndvi("part 1"), Ndvi("part 2")] });
        var parts = (await store.DependenciesAsync(whole.Id)).Select(d => (d.TaskId < whole.Id, d.Kind)).ToList();
        Assert.Equal([(true, TaskDependency.Part), (true, TaskDependency.Part)], parts);
        var (first, firstLease) = (await store.ClaimNextAsync("w1", LeaseTime))!;
        var (second, secondLease) = (await store.ClaimNextAsync("w2", LeaseTime))!;
        Assert.Equal(["part 1", "part 2"], new[] { first.Name, second.Name });
        Assert.Null(await store.ClaimNextAsync("w3", LeaseTime));
        await store.AdvanceAsync(firstLease, TaskStatus.DownloadFailed, "offline");
        await store.AdvanceAsync(secondLease, TaskStatus.DownloadFailed, "offline");
        var (held, lease) = (await store.ClaimNextAsync("w3", LeaseTime))!;
        Assert.Equal(whole.Id, held.Id); // parts ended (failed ones too): it runs, and says what they did

        // Split while held: given back, it is not claimed again before its new parts have ended.
        var ids = await store.SplitAsync(whole.Id, [Ndvi("tile 1"), Ndvi("tile 2"), Ndvi("tile 3")]);
        Assert.Equal(3, ids.Count);
        await store.ReleaseAsync(lease);
        var tiles = new List<Lease>();
        for (var i = 0; i < 3; i++)
        {
            var (tile, tileLease) = (await store.ClaimNextAsync($"t{i}", LeaseTime))!;
            Assert.Contains(tile.Id, ids);
            tiles.Add(tileLease);
        }
        Assert.Null(await store.ClaimNextAsync("w4", LeaseTime));
        foreach (var tileLease in tiles)
        {
            await store.AdvanceThroughAsync(tileLease, [TaskStatus.Downloaded, TaskStatus.Processing]);
            await store.AdvanceThroughAsync(tileLease, [TaskStatus.ProcessingCompleted, TaskStatus.Publishing]);
            await store.AdvanceAsync(tileLease, TaskStatus.PublishCompleted);
        }
        Assert.Equal(whole.Id, (await store.ClaimNextAsync("w4", LeaseTime))!.Task.Id);
        await Assert.ThrowsAsync<TaskException>(() => store.SplitAsync(987654, [Ndvi("tile")]));
    }

    [Fact]
    public async Task Roles_AWorkerOfAllRoles_TakesDownloadedTasks_InTheOrderTheyCame()
    {
        var store = await OpenEmptyAsync();
        var old = await store.CreateAsync(Ndvi("old"));
        var (_, lease) = (await store.ClaimNextAsync("downloader", LeaseTime, Tessera.Tasks.Workers.WorkerRole.Download))!;
        await store.HandOverAsync(lease);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = await store.CreateAsync(Ndvi("fresh"));

        var next = (await store.ClaimNextAsync("all", LeaseTime))!;
        Assert.Equal((old.Id, TaskStatus.Processing), (next.Task.Id, next.Task.Status));
        var then = (await store.ClaimNextAsync("all", LeaseTime))!;
        Assert.Equal((fresh.Id, TaskStatus.Downloading), (then.Task.Id, then.Task.Status));
    }

    [Fact]
    public async Task ForwardPath_RecordsEveryStatusWithTime_AndEndsTheLease()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        foreach (var next in new[] { TaskStatus.Downloaded, TaskStatus.Processing, TaskStatus.ProcessingCompleted, TaskStatus.Publishing })
        {
            Clock.Advance(TimeSpan.FromSeconds(2));
            var moved = await store.AdvanceAsync(lease, next);
            Assert.Equal(next, moved.Status);
            Assert.Equal("w", moved.LeaseOwner);
        }
        var done = await store.AdvanceAsync(lease, TaskStatus.PublishCompleted, result: new TaskResult(42, "10,20,11,21"));
        Assert.Equal(new TaskResult(42, "10,20,11,21"), done.Result);
        Assert.Equal(done, await store.GetAsync(task.Id));
        Assert.Null(done.LeaseOwner);
        Assert.Null(done.LeaseExpiresAt);

        var history = await store.HistoryAsync(task.Id);
        Assert.Equal(
            [TaskStatus.NotStarted, TaskStatus.Downloading, TaskStatus.Downloaded, TaskStatus.Processing,
             TaskStatus.ProcessingCompleted, TaskStatus.Publishing, TaskStatus.PublishCompleted],
            history.Select(h => h.To));
        Assert.Equal(history.Select(h => h.To).SkipLast(1), history.Skip(1).Select(h => h.From!.Value));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 8, TimeSpan.Zero), history[^1].At);
        Assert.All(history.Skip(1), h => Assert.Equal(1, h.Attempt));
    }

    [Fact]
    public async Task Advance_RefusedMove_ChangesNothing()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        await Assert.ThrowsAsync<InvalidTransitionException>(() => store.AdvanceAsync(lease, TaskStatus.PublishCompleted));
        Assert.Equal(TaskStatus.Downloading, (await store.GetAsync(task.Id))!.Status);
        Assert.Equal(2, (await store.HistoryAsync(task.Id)).Count);
    }

    [Fact]
    public async Task Failure_KeepsTheErrorMessage_AndEndsTheLease()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        var failed = await store.AdvanceAsync(lease, TaskStatus.DownloadFailed, "file 7 not found");
        Assert.Equal(TaskStatus.DownloadFailed, failed.Status);
        Assert.Equal("file 7 not found", failed.ErrorMessage);
        Assert.Null(failed.LeaseOwner);
        Assert.Equal("file 7 not found", (await store.HistoryAsync(task.Id))[^1].ErrorMessage);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.AdvanceAsync(lease, TaskStatus.NotStarted));
    }

    [Fact]
    public async Task ExpiredLease_IsRescued_AndTheOldWorkerCanChangeNothing()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("crashed", LeaseTime))!;
        await store.AdvanceAsync(lease, TaskStatus.Downloaded);

        Clock.Advance(LeaseTime + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await store.RescueExpiredAsync(maxAttempts: 3));
        var rescued = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.NotStarted, rescued.Status);
        Assert.Null(rescued.LeaseOwner);
        Assert.Equal("rescuer", (await store.HistoryAsync(task.Id))[^1].Actor);

        await Assert.ThrowsAsync<LeaseLostException>(() => store.AdvanceAsync(lease, TaskStatus.Processing));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.HeartbeatAsync(lease, LeaseTime));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.ReportProgressAsync(lease, new TaskProgress("compute", 1, 2)));

        var again = (await store.ClaimNextAsync("healthy", LeaseTime))!;
        Assert.Equal(2, again.Task.Attempts);
        Assert.NotEqual(lease.Token, again.Lease.Token);
    }

    [Fact]
    public async Task Heartbeat_KeepsTheLeaseAlive()
    {
        var store = await OpenEmptyAsync();
        await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        for (var i = 0; i < 4; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(20));
            lease = await store.HeartbeatAsync(lease, LeaseTime);
            Assert.Equal(0, await store.RescueExpiredAsync(maxAttempts: 3));
        }
        Assert.Equal(Clock.GetUtcNow() + LeaseTime, lease.ExpiresAt);
        Assert.Equal(TaskStatus.Processing, (await store.AdvanceAsync(await Downloaded(store, lease), TaskStatus.Processing)).Status);
    }

    [Fact]
    public async Task Attempts_RecordEachClaim_WithItsWorkerTimesAndOutcome()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var start = Clock.GetUtcNow();
        var (_, first) = (await store.ClaimNextAsync("crashed", LeaseTime))!;
        Assert.True(await store.IsLeaseHeldAsync(first.Token));
        Clock.Advance(LeaseTime + TimeSpan.FromSeconds(1));
        await store.RescueExpiredAsync(maxAttempts: 3);
        Assert.False(await store.IsLeaseHeldAsync(first.Token));
        var (_, second) = (await store.ClaimNextAsync("stopping", LeaseTime))!;
        Clock.Advance(TimeSpan.FromSeconds(2));
        await store.ReleaseAsync(second);
        var (_, third) = (await store.ClaimNextAsync("healthy", LeaseTime))!;
        var running = await store.AttemptsAsync(task.Id);
        Assert.Equal(3, running.Count);
        Assert.Null(running[2].EndedAt);
        Assert.Null(running[2].Outcome);
        foreach (var status in new[] { TaskStatus.Downloaded, TaskStatus.Processing, TaskStatus.ProcessingCompleted, TaskStatus.Publishing })
        {
            await store.AdvanceAsync(third, status);
        }
        Clock.Advance(TimeSpan.FromSeconds(3));
        await store.AdvanceAsync(third, TaskStatus.PublishCompleted);

        var attempts = await store.AttemptsAsync(task.Id);
        // A released attempt is not counted: the claim after it is attempt 2 again.
        Assert.Equal(new[] { 1, 2, 2 }, attempts.Select(a => a.Attempt));
        Assert.Equal(new[] { "crashed", "stopping", "healthy" }, attempts.Select(a => a.WorkerId));
        Assert.Equal(new[] { "lease expired", "released", "PUBLISH_COMPLETED" }, attempts.Select(a => a.Outcome));
        Assert.Equal(start, attempts[0].StartedAt);
        Assert.Equal(start + LeaseTime + TimeSpan.FromSeconds(1), attempts[0].EndedAt);
        Assert.Equal(attempts[0].EndedAt, attempts[1].StartedAt);
        Assert.Equal(attempts[1].StartedAt + TimeSpan.FromSeconds(2), attempts[1].EndedAt);
        Assert.Equal(attempts[2].StartedAt + TimeSpan.FromSeconds(3), attempts[2].EndedAt);
        Assert.False(await store.IsLeaseHeldAsync(third.Token));
        Assert.Empty(await store.AttemptsAsync(12345));
    }

    [Fact]
    public async Task AdvanceThrough_RecordsEveryStatusPassed_InOneChange_AndRefusesABrokenPath()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;

        await Assert.ThrowsAsync<InvalidTransitionException>(() => store.AdvanceThroughAsync(lease, [TaskStatus.Downloaded, TaskStatus.Publishing]));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AdvanceThroughAsync(lease, [TaskStatus.DownloadFailed, TaskStatus.NotStarted]));
        await Assert.ThrowsAsync<InvalidTransitionException>(() => store.AdvanceThroughAsync(lease, [TaskStatus.Processing, TaskStatus.ProcessingCompleted]));
        Assert.Equal(TaskStatus.Downloading, (await store.GetAsync(task.Id))!.Status);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var moved = await store.AdvanceThroughAsync(lease, [TaskStatus.Downloaded, TaskStatus.Processing]);
        Assert.Equal(TaskStatus.Processing, moved.Status);
        Assert.Equal("w", moved.LeaseOwner);
        var history = await store.HistoryAsync(task.Id);
        Assert.Equal([TaskStatus.NotStarted, TaskStatus.Downloading, TaskStatus.Downloaded, TaskStatus.Processing], history.Select(h => h.To));
        Assert.Equal([null, TaskStatus.NotStarted, TaskStatus.Downloading, TaskStatus.Downloaded], history.Select(h => h.From));
        Assert.Equal(history[2].At, history[3].At);
        Assert.All(history.Skip(1), h => Assert.Equal((1, "w"), (h.Attempt, h.Actor)));

        await store.AdvanceThroughAsync(lease, [TaskStatus.ProcessingCompleted, TaskStatus.Publishing, TaskStatus.PublishCompleted]);
        Assert.Equal("PUBLISH_COMPLETED", Assert.Single(await store.AttemptsAsync(task.Id)).Outcome);
        Assert.Equal(7, (await store.HistoryAsync(task.Id)).Count);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.AdvanceThroughAsync(lease, [TaskStatus.Publishing]));
    }

    [Fact]
    public async Task CompleteIn_IsPartOfTheCallersTransaction_AndRollsBackWithIt()
    {
        var store = await OpenEmptyAsync();
        var db = Assert.IsAssignableFrom<DbTaskStore>(store);
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        foreach (var status in new[] { TaskStatus.Downloaded, TaskStatus.Processing, TaskStatus.ProcessingCompleted, TaskStatus.Publishing })
        {
            await store.AdvanceAsync(lease, status);
        }

        // Another store's part of the same publish fails: the whole transaction is rolled back.
        await using (var connection = await db.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var moved = await db.CompleteInAsync(connection, transaction, lease, new TaskResult(666, null));
            Assert.Equal(TaskStatus.PublishCompleted, moved.Status);
            await transaction.RollbackAsync();
        }
        var unchanged = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.Publishing, unchanged.Status);
        Assert.Null(unchanged.Result);
        Assert.True(await store.IsLeaseHeldAsync(lease.Token));
        Assert.Equal(TaskStatus.Publishing, (await store.HistoryAsync(task.Id))[^1].To);

        await using (var connection = await db.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await db.CompleteInAsync(connection, transaction, lease, new TaskResult(7, "1,2,3,4"));
            await transaction.CommitAsync();
        }
        var done = (await store.GetAsync(task.Id))!;
        Assert.Equal((TaskStatus.PublishCompleted, 7L), (done.Status, done.Result!.OutputFileId));
        Assert.False(await store.IsLeaseHeldAsync(lease.Token));
        Assert.Equal("PUBLISH_COMPLETED", (await store.AttemptsAsync(task.Id)).Single().Outcome);
        await using (var connection = await db.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<LeaseLostException>(() => db.CompleteInAsync(connection, transaction, lease, new TaskResult(8, null)));
        }
    }

    private static async Task<Lease> Downloaded(ITaskStore store, Lease lease)
    {
        await store.AdvanceAsync(lease, TaskStatus.Downloaded);
        return lease;
    }

    [Fact]
    public async Task Rescue_AfterLastAttempt_FailsTheStage()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var (_, lease) = (await store.ClaimNextAsync($"w{attempt}", LeaseTime))!;
            await store.AdvanceAsync(lease, TaskStatus.Downloaded);
            await store.AdvanceAsync(lease, TaskStatus.Processing);
            Clock.Advance(LeaseTime * 2);
            await store.RescueExpiredAsync(maxAttempts: 2);
        }
        var failed = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.ProcessingFailed, failed.Status);
        Assert.Equal("the worker (w2) stopped answering during PROCESSING, 2 attempt(s) of 2", failed.ErrorMessage);
        Assert.Null(await store.ClaimNextAsync("w3", LeaseTime));
    }

    [Fact]
    public async Task Retry_DownloadFailed_GoesBackToNotStarted_WithAttemptsReset()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        await store.AdvanceAsync(lease, TaskStatus.DownloadFailed, "timeout");
        var retried = await store.RetryAsync(task.Id, "alice");
        Assert.Equal(TaskStatus.NotStarted, retried.Status);
        Assert.Null(retried.ErrorMessage);
        Assert.Equal(0, retried.Attempts);
        Assert.Equal("alice", (await store.HistoryAsync(task.Id))[^1].Actor);
    }

    [Fact]
    public async Task Retry_PublishFailed_IsClaimedStraightIntoPublishing()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        foreach (var next in new[] { TaskStatus.Downloaded, TaskStatus.Processing, TaskStatus.ProcessingCompleted, TaskStatus.Publishing })
        {
            await store.AdvanceAsync(lease, next);
        }
        await store.AdvanceAsync(lease, TaskStatus.PublishFailed, "disk full");
        Assert.Equal(TaskStatus.ProcessingCompleted, (await store.RetryAsync(task.Id, "alice")).Status);

        var again = (await store.ClaimNextAsync("w2", LeaseTime))!;
        Assert.Equal(task.Id, again.Task.Id);
        Assert.Equal(TaskStatus.Publishing, again.Task.Status);
        Assert.Equal(TaskStatus.PublishCompleted, (await store.AdvanceAsync(again.Lease, TaskStatus.PublishCompleted)).Status);
    }

    [Fact]
    public async Task Retry_OfATaskThatDidNotFail_IsRefused()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var e = await Assert.ThrowsAsync<TaskException>(() => store.RetryAsync(task.Id, "alice"));
        Assert.Contains("only failed tasks can be retried", e.Message);
        await Assert.ThrowsAsync<TaskNotFoundException>(() => store.RetryAsync(999, "alice"));
    }

    [Fact]
    public async Task Delete_OnlyBeforeTheTaskStarts()
    {
        var store = await OpenEmptyAsync();
        var waiting = await store.CreateAsync(Ndvi("waiting"));
        var running = await store.CreateAsync(Ndvi("running"));
        Assert.True(await store.DeleteNotStartedAsync(waiting.Id));
        Assert.Null(await store.GetAsync(waiting.Id));
        Assert.Empty(await store.HistoryAsync(waiting.Id));

        await store.ClaimNextAsync("w", LeaseTime);
        Assert.False(await store.DeleteNotStartedAsync(running.Id));
        Assert.NotNull(await store.GetAsync(running.Id));
    }

    [Fact]
    public async Task Progress_IsStoredWithTheTask()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        await store.ReportProgressAsync(lease, new TaskProgress("compute", 12, 484));
        Assert.Equal(new TaskProgress("compute", 12, 484), (await store.GetAsync(task.Id))!.Progress);
    }

    [Fact]
    public async Task List_FiltersAndPagesNewestFirst()
    {
        var store = await OpenEmptyAsync();
        var created = new List<ProcessingTask>();
        foreach (var (name, type, owner) in new[]
                 {
                     ("ndvi spring", new TaskType(7), "alice"), ("evi spring", new TaskType(8), "alice"),
                     ("ndvi summer", new TaskType(7), "bob"), ("ndvi autumn", new TaskType(7), "alice"),
                 })
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            created.Add(await store.CreateAsync(new NewTask(name, type, owner, "{}")));
        }
        Clock.Advance(TimeSpan.FromMinutes(1));
        await store.ClaimNextAsync("w", LeaseTime); // the oldest, "ndvi spring", is now DOWNLOADING (and the last updated)

        var alice = await store.ListAsync(new TaskQuery(Owner: "alice"), 0, 2);
        Assert.Equal(3, alice.Total);
        Assert.Equal(["ndvi autumn", "evi spring"], alice.Items.Select(t => t.Name));
        Assert.Equal(["ndvi spring"], (await store.ListAsync(new TaskQuery(Owner: "alice"), 2, 2)).Items.Select(t => t.Name));
        Assert.Equal(3, (await store.ListAsync(new TaskQuery(Type: new TaskType(7)), 0, 10)).Total);
        Assert.Equal(["ndvi spring"], (await store.ListAsync(new TaskQuery(Status: TaskStatus.Downloading), 0, 10)).Items.Select(t => t.Name));
        Assert.Equal(["ndvi summer"], (await store.ListAsync(new TaskQuery(NameContains: "summ"), 0, 10)).Items.Select(t => t.Name));
        var window = new TaskQuery(CreatedFrom: created[1].CreatedAt, CreatedTo: created[3].CreatedAt);
        Assert.Equal(["ndvi summer", "evi spring"], (await store.ListAsync(window, 0, 10)).Items.Select(t => t.Name));
        Assert.Equal(4, (await store.ListAsync(new TaskQuery(), 0, 10)).Total);
        Assert.Equal(["ndvi spring", "evi spring", "ndvi summer", "ndvi autumn"],
            (await store.ListAsync(new TaskQuery(Sort: TaskSort.CreatedAscending), 0, 10)).Items.Select(t => t.Name));
        Assert.Equal("ndvi spring", (await store.ListAsync(new TaskQuery(Sort: TaskSort.UpdatedDescending), 0, 1)).Items[0].Name);
    }

    [Fact]
    public async Task ATasksLog_KeepsItsLinesInOrder_TheLastOnesWhenLimited_AndGoesWithTheTask()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi("logged"));
        var other = await store.CreateAsync(Ndvi("other"));
        for (var i = 1; i <= 5; i++)
        {
            await store.AppendLogAsync(task.Id, i == 5 ? "error" : "info", $"line {i}");
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        await store.AppendLogAsync(other.Id, "info", "not the first task's");
        await store.AppendLogAsync(99999, "info", "no such task: nothing is kept");

        var lines = await store.LogAsync(task.Id);
        Assert.Equal(["line 1", "line 2", "line 3", "line 4", "line 5"], lines.Select(l => l.Message));
        Assert.Equal(["info", "info", "info", "info", "error"], lines.Select(l => l.Level));
        Assert.True(lines.Zip(lines.Skip(1)).All(p => p.First.At < p.Second.At), "the lines' times go forward");
        Assert.Equal(["line 4", "line 5"], (await store.LogAsync(task.Id, limit: 2)).Select(l => l.Message));
        Assert.Empty(await store.LogAsync(99999));

        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        await store.AdvanceAsync(lease, TaskStatus.DownloadFailed, "gone");
        Clock.Advance(TimeSpan.FromDays(2));
        await store.DeleteFinishedAsync(Clock.GetUtcNow() - TimeSpan.FromDays(1), owner: null);
        Assert.Empty(await store.LogAsync(task.Id));
        Assert.Single(await store.LogAsync(other.Id));
    }

    [Fact]
    public async Task Cleanup_DeletesOnlyFinishedTasksOlderThanTheCutoff()
    {
        var store = await OpenEmptyAsync();
        var old = await store.CreateAsync(Ndvi("old, done"));
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        await store.AdvanceAsync(lease, TaskStatus.DownloadFailed, "gone");
        var waiting = await store.CreateAsync(Ndvi("old, waiting"));
        Clock.Advance(TimeSpan.FromDays(40));
        var recent = await store.CreateAsync(Ndvi("recent, done"));
        var (_, recentLease) = (await store.ClaimNextAsync("w", LeaseTime))!; // takes "old, waiting" first
        await store.AdvanceAsync(recentLease, TaskStatus.DownloadFailed, "gone");
        var (_, third) = (await store.ClaimNextAsync("w", LeaseTime))!;
        await store.AdvanceAsync(third, TaskStatus.DownloadFailed, "gone");

        // A dry run says what would go and deletes nothing.
        Assert.Equal([new FinishedTask(old.Id, null)], await store.DeleteFinishedAsync(Clock.GetUtcNow() - TimeSpan.FromDays(30), owner: null, dryRun: true));
        Assert.NotNull(await store.GetAsync(old.Id));
        var deleted = await store.DeleteFinishedAsync(Clock.GetUtcNow() - TimeSpan.FromDays(30), owner: null);
        Assert.Equal([new FinishedTask(old.Id, null)], deleted);
        Assert.Null(await store.GetAsync(old.Id));
        Assert.Empty(await store.HistoryAsync(old.Id));
        Assert.NotNull(await store.GetAsync(waiting.Id));
        Assert.NotNull(await store.GetAsync(recent.Id));
        Assert.Empty(await store.DeleteFinishedAsync(Clock.GetUtcNow() + TimeSpan.FromDays(1), owner: "someone else"));
    }

    [Fact]
    public async Task Cancel_IsRequestedOnlyForTasksInProgress_AndSeenByTheLeaseHolder()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        Assert.False(await store.RequestCancelAsync(task.Id));
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        Assert.False(await store.IsCancelRequestedAsync(lease));
        Assert.True(await store.RequestCancelAsync(task.Id));
        Assert.True(await store.IsCancelRequestedAsync(lease));
        await store.AdvanceAsync(lease, TaskStatus.DownloadFailed, "cancelled on request");
        Assert.False(await store.RequestCancelAsync(task.Id));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.IsCancelRequestedAsync(lease));
        await store.RetryAsync(task.Id, "alice");
        var (_, again) = (await store.ClaimNextAsync("w", LeaseTime))!;
        Assert.False(await store.IsCancelRequestedAsync(again)); // a new attempt starts without the old request
    }

    [Fact]
    public async Task ConcurrentWorkers_ClaimEachTaskExactlyOnce()
    {
        var store = await OpenEmptyAsync();
        const int tasks = 40;
        for (var i = 0; i < tasks; i++)
        {
            await store.CreateAsync(Ndvi($"t{i}"));
        }
        var claims = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            while (await store.ClaimNextAsync($"w{w}", LeaseTime) is { } claimed)
            {
                claims.Add(claimed.Task.Id);
            }
        })));
        Assert.Equal(tasks, claims.Count);
        Assert.Equal(tasks, claims.Distinct().Count());
    }

    [Fact]
    public async Task Release_GivesTheTaskBack_WithoutCountingTheAttempt()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("deploying", LeaseTime))!;
        var released = await store.ReleaseAsync(lease);
        Assert.Equal(TaskStatus.NotStarted, released.Status);
        Assert.Equal(0, released.Attempts);
        // Two graceful restarts and a crash leave a task with attempts to spare (the limit is 3).
        for (var i = 0; i < 2; i++)
        {
            var (_, again) = (await store.ClaimNextAsync("deploying", LeaseTime))!;
            await store.ReleaseAsync(again);
        }
        var (_, crashed) = (await store.ClaimNextAsync("crashing", LeaseTime))!;
        Assert.Equal(1, crashed.Attempt);
        Clock.Advance(LeaseTime + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await store.RescueExpiredAsync(maxAttempts: 3));
        var after = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.NotStarted, after.Status);
        Assert.Equal(1, after.Attempts);
    }

    [Fact]
    public async Task ReleaseUntilLater_IsNotClaimedBeforeThen_NorCountedAsAnAttempt_AndSaysWhy()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;

        var released = await store.ReleaseAsync(lease, TimeSpan.FromMinutes(10), "input not available yet", CancellationToken.None);

        Assert.Equal((TaskStatus.NotStarted, 0), (released.Status, released.Attempts));
        var later = await store.CreateAsync(Ndvi());
        Assert.Equal(later.Id, (await store.ClaimNextAsync("w", LeaseTime))!.Task.Id); // the waiting task is passed over
        Assert.Null(await store.ClaimNextAsync("w", LeaseTime));
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(task.Id, (await store.ClaimNextAsync("w", LeaseTime))!.Task.Id);
        var history = await store.HistoryAsync(task.Id);
        Assert.Contains(history, h => h.To == TaskStatus.NotStarted && h.ErrorMessage == "input not available yet");
    }

    [Fact]
    public async Task RescueWorker_TakesBackThatProcessesTasksAtOnce_AndNoOthers()
    {
        var store = await OpenEmptyAsync();
        var mine = await store.CreateAsync(Ndvi("a"));
        var alsoMine = await store.CreateAsync(Ndvi("b"));
        var other = await store.CreateAsync(Ndvi("c"));
        var lookalike = await store.CreateAsync(Ndvi("d"));
        await store.ClaimNextAsync("host:41:0", LeaseTime);
        await store.ClaimNextAsync("host:41:1", LeaseTime);
        await store.ClaimNextAsync("host:42:0", LeaseTime);
        await store.ClaimNextAsync("host:411:0", LeaseTime);

        Assert.Equal(2, await store.RescueWorkerAsync("host:41:", maxAttempts: 3)); // leases still run: no waiting
        Assert.Equal(TaskStatus.NotStarted, (await store.GetAsync(mine.Id))!.Status);
        Assert.Equal(TaskStatus.NotStarted, (await store.GetAsync(alsoMine.Id))!.Status);
        Assert.Equal(TaskStatus.Downloading, (await store.GetAsync(other.Id))!.Status);
        Assert.Equal(TaskStatus.Downloading, (await store.GetAsync(lookalike.Id))!.Status);
        Assert.Equal("worker process ended", (await store.AttemptsAsync(mine.Id)).Single().Outcome);
        Assert.Equal(0, await store.RescueWorkerAsync("host:41:", maxAttempts: 3));
    }

    [Fact]
    public async Task RescueWorker_FailsATaskThatSpentItsAttempts()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        for (var i = 0; i < 2; i++)
        {
            await store.ClaimNextAsync($"host:{i}:0", LeaseTime);
            Assert.Equal(1, await store.RescueWorkerAsync($"host:{i}:", maxAttempts: 2));
        }
        var failed = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.DownloadFailed, failed.Status);
        Assert.Equal("the worker (host:1:0) stopped answering during DOWNLOADING, 2 attempt(s) of 2", failed.ErrorMessage);
    }

    [Fact]
    public async Task Create_WithAnIdempotencyKey_GivesTheSameTaskAgain_AndRefusesTheKeyForAnotherRequest()
    {
        var store = await OpenEmptyAsync();
        var first = await store.CreateAsync(Ndvi() with { IdempotencyKey = "k-1", RequestDigest = "d1" });
        var again = await store.CreateAsync(Ndvi() with { IdempotencyKey = "k-1", RequestDigest = "d1" });
        Assert.Equal(first.Id, again.Id);
        var reused = await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            store.CreateAsync(Ndvi("other") with { IdempotencyKey = "k-1", RequestDigest = "d2" }));
        Assert.Equal(first.Id, reused.TaskId);
        var bobs = await store.CreateAsync(Ndvi() with { Owner = "bob", IdempotencyKey = "k-1", RequestDigest = "d1" });
        Assert.NotEqual(first.Id, bobs.Id); // keys are per owner
        Assert.Equal(2, (await store.ListAsync(new TaskQuery(), 0, 10)).Total);
    }

    [Fact]
    public async Task Create_TheSameIdempotencyKeyManyTimesAtOnce_MakesOneTask()
    {
        var store = await OpenEmptyAsync();
        var ids = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            (await store.CreateAsync(Ndvi() with { IdempotencyKey = "burst", RequestDigest = "d" })).Id)));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, (await store.ListAsync(new TaskQuery(), 0, 10)).Total);
    }

    [Fact]
    public async Task WorkToken_IsTheAttemptThatComputedTheResult_AndSurvivesAPublishFailure()
    {
        var store = await OpenEmptyAsync();
        var task = await store.CreateAsync(Ndvi());
        var (_, lease) = (await store.ClaimNextAsync("w", LeaseTime))!;
        await store.AdvanceThroughAsync(lease, [TaskStatus.Downloaded, TaskStatus.Processing]);
        Assert.Null((await store.GetAsync(task.Id))!.WorkToken);
        await store.AdvanceThroughAsync(lease, [TaskStatus.ProcessingCompleted, TaskStatus.Publishing]);
        await store.AdvanceAsync(lease, TaskStatus.PublishFailed, "disk gone");
        await store.RetryAsync(task.Id, "alice");
        var (publishing, second) = (await store.ClaimNextAsync("w2", LeaseTime))!;
        Assert.Equal(TaskStatus.Publishing, publishing.Status);
        Assert.Equal(lease.Token.ToString(), publishing.WorkToken);
        await store.AdvanceAsync(second, TaskStatus.PublishCompleted);
        Assert.Equal(lease.Token.ToString(), (await store.GetAsync(task.Id))!.WorkToken);
    }
}
