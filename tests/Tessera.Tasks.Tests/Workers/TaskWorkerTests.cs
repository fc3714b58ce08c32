using Tessera.Tasks.Stores;
using Tessera.Tasks.Stores.Sqlite;
using Tessera.Tasks.Workers;
using Tessera.TestSupport;

namespace Tessera.Tasks.Tests.Workers;

/// <summary>The worker loop on a real SQLite store, with a scripted handler standing in for an algorithm.</summary>
public sealed class TaskWorkerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>Records the stages it ran; a stage can be told to fail, or to wait until cancelled.</summary>
    private sealed class ScriptedHandler : ITaskHandler
    {
        public List<string> Calls { get; } = [];

        public string? FailIn { get; set; }

        public string? BlockIn { get; set; }

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? SeenFolder { get; private set; }

        public IReadOnlyCollection<TaskType> Types { get; } = [new TaskType(7)];

        public Task DownloadAsync(TaskContext context, CancellationToken cancellationToken) => Stage("download", context, cancellationToken);

        public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Stage("process", context, cancellationToken);

        public Func<Task>? DuringPublish { get; set; }

        public List<TaskResult> Discarded { get; } = [];

        public async Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken)
        {
            await Stage("publish", context, cancellationToken);
            if (DuringPublish is not null)
            {
                await DuringPublish();
            }
            return new TaskResult(100 + context.Task.Id, "-1,-2,3,4");
        }

        public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken)
        {
            Discarded.Add(result);
            return Task.CompletedTask;
        }

        private async Task Stage(string name, TaskContext context, CancellationToken cancellationToken)
        {
            Calls.Add(name);
            SeenFolder = context.WorkFolder;
            File.WriteAllText(Path.Combine(context.WorkFolder, name + ".txt"), name);
            context.Progress.Report(new TaskProgress(name, 1, 2));
            if (BlockIn == name)
            {
                Blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            if (FailIn == name)
            {
                throw new InvalidOperationException($"{name} went wrong: input band 3 missing");
            }
        }
    }

    private async Task<SqliteTaskStore> StoreAsync() => await SqliteTaskStore.OpenAsync(_folder.File("tasks.db"));

    private WorkerOptions Options(string id = "w1", TimeSpan? lease = null, TimeSpan? heartbeat = null) =>
        new(id, _folder.File("work"), lease ?? TimeSpan.FromSeconds(30), heartbeat ?? TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));

    private static NewTask Ndvi() => new("ndvi", new TaskType(7), "alice", "{}");

    [Fact]
    public async Task RunOnce_TakesATaskThroughEveryStage_AndCleansItsFolder()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        var handler = new ScriptedHandler();
        var worker = new TaskWorker(store, [handler], Options());

        Assert.True(await worker.RunOnceAsync(CancellationToken.None));

        Assert.Equal(["download", "process", "publish"], handler.Calls);
        var done = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.PublishCompleted, done.Status);
        Assert.Equal(new TaskProgress("publish", 1, 2), done.Progress);
        Assert.Equal(new TaskResult(100 + task.Id, "-1,-2,3,4"), done.Result);
        Assert.Equal(
            [TaskStatus.NotStarted, TaskStatus.Downloading, TaskStatus.Downloaded, TaskStatus.Processing,
             TaskStatus.ProcessingCompleted, TaskStatus.Publishing, TaskStatus.PublishCompleted],
            (await store.HistoryAsync(task.Id)).Select(h => h.To));
        Assert.False(Directory.Exists(handler.SeenFolder));
        Assert.False(await worker.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task FailingStage_FailsTheTaskThere_WithTheMessage()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        var handler = new ScriptedHandler { FailIn = "process" };
        await new TaskWorker(store, [handler], Options()).RunOnceAsync(CancellationToken.None);

        var failed = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.ProcessingFailed, failed.Status);
        Assert.Equal("process went wrong: input band 3 missing", failed.ErrorMessage);
        Assert.Null(failed.LeaseOwner);
        Assert.Equal(["download", "process"], handler.Calls);
        Assert.True(File.Exists(Path.Combine(handler.SeenFolder!, "process.txt"))); // kept for a resubmit or a look
    }

    [Fact]
    public async Task PublishRetry_RunsOnlyThePublishStage()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        await new TaskWorker(store, [new ScriptedHandler { FailIn = "publish" }], Options()).RunOnceAsync(CancellationToken.None);
        Assert.Equal(TaskStatus.PublishFailed, (await store.GetAsync(task.Id))!.Status);

        await store.RetryAsync(task.Id, "alice");
        var second = new ScriptedHandler();
        await new TaskWorker(store, [second], Options("w2")).RunOnceAsync(CancellationToken.None);
        Assert.Equal(["publish"], second.Calls);
        Assert.Equal(TaskStatus.PublishCompleted, (await store.GetAsync(task.Id))!.Status);
    }

    [Fact]
    public async Task LeaseLostWhilePublishing_DiscardsThePublishedResult()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        var handler = new ScriptedHandler();
        // While publishing, the lease runs out and the rescuer takes the task back.
        handler.DuringPublish = async () =>
        {
            await Task.Delay(500);
            Assert.Equal(1, await store.RescueExpiredAsync(maxAttempts: 3));
        };
        var worker = new TaskWorker(store, [handler], Options(lease: TimeSpan.FromMilliseconds(200), heartbeat: TimeSpan.FromSeconds(10)));
        await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal([new TaskResult(100 + task.Id, "-1,-2,3,4")], handler.Discarded);
        var back = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.NotStarted, back.Status);
        Assert.Null(back.Result);
    }

    [Theory]
    [InlineData("download", TaskStatus.Downloading, TaskStatus.DownloadFailed)]
    [InlineData("process", TaskStatus.Processing, TaskStatus.ProcessingFailed)]
    [InlineData("publish", TaskStatus.Publishing, TaskStatus.PublishFailed)]
    public async Task CancelledTask_StopsItsStage_AndFailsThere(string stage, TaskStatus running, TaskStatus failed)
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        var handler = new ScriptedHandler { BlockIn = stage };
        var work = new TaskWorker(store, [handler], Options()).RunOnceAsync(CancellationToken.None);
        await handler.Blocked.Task;
        Assert.Equal(running, (await store.GetAsync(task.Id))!.Status);

        var asked = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(await store.RequestCancelAsync(task.Id));
        await work.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(asked.Elapsed < TimeSpan.FromSeconds(3), $"stopped after {asked.Elapsed}");

        var cancelled = (await store.GetAsync(task.Id))!;
        Assert.Equal(failed, cancelled.Status);
        Assert.Equal("cancelled on request", cancelled.ErrorMessage);
        Assert.Null(cancelled.LeaseOwner);
        // Only a publish retry needs what the attempt made; any other retry starts over.
        Assert.Equal(stage == "publish", Directory.Exists(handler.SeenFolder));
        Assert.False(await store.RequestCancelAsync(task.Id)); // ended: nothing to cancel any more
    }

    [Fact]
    public async Task NoHandlerForTheType_FailsTheTaskWithAClearMessage()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(new NewTask("mosaic", new TaskType(2), "alice", "{}"));
        await new TaskWorker(store, [new ScriptedHandler()], Options()).RunOnceAsync(CancellationToken.None);
        var failed = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.DownloadFailed, failed.Status);
        Assert.Equal("no worker here handles tasks of type 2", failed.ErrorMessage);
    }

    [Fact]
    public async Task Heartbeats_KeepALongStageFromBeingRescued()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        var handler = new ScriptedHandler { BlockIn = "process" };
        using var stop = new CancellationTokenSource();
        var worker = new TaskWorker(store, [handler], Options(lease: TimeSpan.FromSeconds(3), heartbeat: TimeSpan.FromMilliseconds(200)));
        var running = worker.RunOnceAsync(stop.Token);
        await handler.Blocked.Task;

        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(500);
            Assert.Equal(0, await store.RescueExpiredAsync(maxAttempts: 3));
        }
        Assert.Equal(TaskStatus.Processing, (await store.GetAsync(task.Id))!.Status);
        stop.Cancel();
        await running;
    }

    [Fact]
    public async Task StoppedWorker_GivesTheTaskBack()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        var handler = new ScriptedHandler { BlockIn = "download" };
        using var stop = new CancellationTokenSource();
        var running = new TaskWorker(store, [handler], Options()).RunAsync(stop.Token);
        await handler.Blocked.Task;
        stop.Cancel();
        await running;

        var released = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.NotStarted, released.Status);
        Assert.Null(released.LeaseOwner);
        Assert.Equal("released by its worker", (await store.HistoryAsync(task.Id))[^1].ErrorMessage);
    }

    [Fact]
    public async Task StalledWorker_LosesTheTask_AndChangesNothingAfterwards()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        // A heartbeat slower than the lease: the lease runs out while the stage is still going.
        var stalled = new ScriptedHandler { BlockIn = "process" };
        var worker = new TaskWorker(store, [stalled], Options("stalled", lease: TimeSpan.FromMilliseconds(300), heartbeat: TimeSpan.FromSeconds(3)));
        var running = worker.RunOnceAsync(CancellationToken.None);
        await stalled.Blocked.Task;
        await Task.Delay(600);
        Assert.Equal(1, await store.RescueExpiredAsync(maxAttempts: 3));
        await running; // its next heartbeat finds the lease gone and stops the stage

        var history = await store.HistoryAsync(task.Id);
        Assert.Equal("rescuer", history[^1].Actor);
        Assert.Equal(TaskStatus.NotStarted, (await store.GetAsync(task.Id))!.Status);

        var healthy = new ScriptedHandler();
        await new TaskWorker(store, [healthy], Options("healthy")).RunOnceAsync(CancellationToken.None);
        var done = (await store.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.PublishCompleted, done.Status);
        Assert.Equal(2, done.Attempts);
    }

    [Fact]
    public async Task Rescuer_ReturnsACrashedWorkersTask_ForAnotherWorkerToFinish()
    {
        var store = await StoreAsync();
        var task = await store.CreateAsync(Ndvi());
        // A worker that claimed the task and died: nobody renews its lease.
        await store.ClaimNextAsync("crashed", TimeSpan.FromMilliseconds(200));
        var rescuer = new TaskRescuer(store, TimeSpan.FromMilliseconds(100), maxAttempts: 3);
        var rescued = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        rescuer.Rescued += n => rescued.TrySetResult(n);
        using var stop = new CancellationTokenSource();
        var running = rescuer.RunAsync(stop.Token);
        Assert.Equal(1, await rescued.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        stop.Cancel();
        await running;

        await new TaskWorker(store, [new ScriptedHandler()], Options("healthy")).RunOnceAsync(CancellationToken.None);
        Assert.Equal(TaskStatus.PublishCompleted, (await store.GetAsync(task.Id))!.Status);
    }

    [Fact]
    public async Task IdleWorker_WakesAtOnceWhenSignalled()
    {
        var store = await StoreAsync();
        var signal = new TaskSignal();
        var handler = new ScriptedHandler { BlockIn = "publish" };
        using var stop = new CancellationTokenSource();
        var running = new TaskWorker(store, [handler], Options(), signal).RunAsync(stop.Token);
        await Task.Delay(200); // idle now, polling only every hour

        await store.CreateAsync(Ndvi());
        signal.Notify();
        var woke = await Task.WhenAny(handler.Blocked.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(handler.Blocked.Task, woke);
        stop.Cancel();
        await running;
        // Stopped while publishing: the result is made, so only publishing remains to be done.
        Assert.Equal(TaskStatus.ProcessingCompleted, (await store.GetAsync(1))!.Status);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
