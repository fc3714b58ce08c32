using System.Reflection;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Stores.Sqlite;
using Tessera.Tasks.Workers;
using Tessera.TestSupport;

namespace Tessera.Tasks.Tests.Workers;

/// <summary>
/// Whoever reads a task as soon as it has ended sees its last word: the final progress the stage reported (not an
/// older report stored late by the lease's loop) and, for a failure, the failure's line in its log. The worker runs on
/// a real SQLite store, seen through a proxy that holds a call back at the moment that decides the order.
/// </summary>
public sealed class TaskEndOrderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    /// <summary>
    /// Passes every call to the real store. <see cref="Before"/> runs first on every call; <see cref="Around"/> wraps
    /// the calls that return a plain <see cref="Task"/> and may delay them.
    /// </summary>
    public class Interceptor : DispatchProxy
    {
        public ITaskStore Target { get; set; } = null!;

        public Action<MethodInfo, object?[]>? Before { get; set; }

        public Func<MethodInfo, object?[], Func<Task>, Task>? Around { get; set; }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            Before?.Invoke(method!, args!);
            return Around is not null && method!.ReturnType == typeof(Task)
                ? Around(method, args!, () => (Task)Call(method, args)!)
                : Call(method!, args);
        }

        private object? Call(MethodInfo method, object?[]? args)
        {
            try
            {
                return method.Invoke(Target, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }

    private static (ITaskStore Store, Interceptor Proxy) Intercepted(ITaskStore store)
    {
        var proxy = DispatchProxy.Create<ITaskStore, Interceptor>();
        var interceptor = (Interceptor)(object)proxy;
        interceptor.Target = store;
        return (proxy, interceptor);
    }

    /// <summary>Download: reports "early", waits until the lease's loop is storing it, reports "final" (or fails).</summary>
    private sealed class TwoReports(TaskCompletionSource earlyStoring, bool fail) : ITaskHandler
    {
        public IReadOnlyCollection<TaskType> Types { get; } = [new TaskType(7)];

        public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
        {
            context.Progress.Report(new TaskProgress("early", 1, 2));
            await earlyStoring.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            context.Progress.Report(new TaskProgress("final", 2, 2));
            if (fail)
            {
                throw new InvalidOperationException("the provider refused the download");
            }
        }

        public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(new TaskResult(1, "0,0,1,1"));

        public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private WorkerOptions Options() => new("w1", _folder.File("work"), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));

    [Fact]
    public async Task AnOlderReport_StoredLate_DoesNotOverwriteTheFinalProgress()
    {
        var real = await SqliteTaskStore.OpenAsync(_folder.File("tasks.db"));
        var (store, proxy) = Intercepted(real);
        var task = await real.CreateAsync(new NewTask("ndvi", new TaskType(7), "alice", "{}"));
        var earlyStoring = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finalStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var earlyStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        proxy.Around = async (method, args, call) =>
        {
            if (method.Name != nameof(ITaskStore.ReportProgressAsync))
            {
                await call();
                return;
            }
            var stage = ((TaskProgress)args[1]!).Stage;
            if (stage == "early")
            {
                // The loop's store of the older report is slow: it waits for the final one to be stored (or 2 s).
                earlyStoring.TrySetResult();
                await Task.WhenAny(finalStored.Task, Task.Delay(TimeSpan.FromSeconds(2)));
                await call();
                earlyStored.TrySetResult();
            }
            else
            {
                await call();
                finalStored.TrySetResult();
                // The older report lands now, if it may: after the final one, before the task moves on.
                await Task.WhenAny(earlyStored.Task, Task.Delay(TimeSpan.FromSeconds(5)));
            }
        };

        Assert.True(await new TaskWorker(store, [new TwoReports(earlyStoring, fail: false)], Options()).RunOnceAsync(CancellationToken.None));

        var done = (await real.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.PublishCompleted, done.Status);
        Assert.Equal(new TaskProgress("final", 2, 2), done.Progress);
    }

    [Fact]
    public async Task AFailedStage_HasItsLineInTheLog_BeforeTheFailedStatusIsStored()
    {
        var real = await SqliteTaskStore.OpenAsync(_folder.File("tasks.db"));
        var (store, proxy) = Intercepted(real);
        var task = await real.CreateAsync(new NewTask("ndvi", new TaskType(7), "alice", "{}"));
        var earlyStoring = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        earlyStoring.SetResult();
        IReadOnlyList<TaskLogLine>? logWhenFailed = null;
        proxy.Before = (method, args) =>
        {
            if (method.Name == nameof(ITaskStore.AdvanceAsync) && args[1] is TaskStatus.DownloadFailed)
            {
                logWhenFailed = real.LogAsync(task.Id).GetAwaiter().GetResult();
            }
        };

        await new TaskWorker(store, [new TwoReports(earlyStoring, fail: true)], Options()).RunOnceAsync(CancellationToken.None);

        var failed = (await real.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.DownloadFailed, failed.Status);
        Assert.Equal("the provider refused the download", failed.ErrorMessage);
        Assert.NotNull(logWhenFailed);
        Assert.Equal("download failed (invalid_operation): the provider refused the download", logWhenFailed.Last().Message);
        Assert.Equal("error", logWhenFailed.Last().Level);
    }
}
