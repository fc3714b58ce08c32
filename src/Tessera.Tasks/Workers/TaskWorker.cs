using Tessera.Tasks.Stores;

namespace Tessera.Tasks.Workers;

/// <summary>
/// Claims tasks one at a time and runs their stages through the handler of their type, holding a lease
/// that a keeper renews while a stage runs. A stage that throws fails the task in that stage. When the lease
/// is lost (the worker stalled and was rescued) the worker stops the stage and changes nothing more; when
/// someone cancels the task, the stage stops (between blocks) and the task ends in that stage's failure
/// with "cancelled on request"; when the worker is stopped it cancels the stage and gives the task back. Idle, it waits for a
/// <see cref="TaskSignal"/> or the poll interval.
/// </summary>
public sealed class TaskWorker
{
    private readonly ITaskStore _store;
    private readonly Dictionary<TaskType, ITaskHandler> _handlers;
    private readonly WorkerOptions _options;
    private readonly TaskSignal _signal;
    private readonly TimeProvider _time;
    private readonly TaskMetrics _metrics;

    public TaskWorker(ITaskStore store, IEnumerable<ITaskHandler> handlers, WorkerOptions options,
        TaskSignal? signal = null, TimeProvider? time = null, TaskMetrics? metrics = null)
    {
        _metrics = metrics ?? new TaskMetrics();
        _store = store;
        _handlers = handlers.SelectMany(h => h.Types.Select(t => (Type: t, Handler: h))).ToDictionary(p => p.Type, p => p.Handler);
        _options = options;
        _signal = signal ?? new TaskSignal();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Works until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!await RunOnceAsync(stopping))
                {
                    await _signal.WaitAsync(_options.Poll, _time, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Claims one task and runs it as far as it goes; false when there was nothing to claim.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken stopping)
    {
        stopping.ThrowIfCancellationRequested();
        var claimed = await _store.ClaimNextAsync(_options.WorkerId, _options.Lease, stopping);
        if (claimed is null)
        {
            return false;
        }
        await RunClaimedAsync(claimed.Task, claimed.Lease, stopping);
        return true;
    }

    private async Task RunClaimedAsync(ProcessingTask task, Lease lease, CancellationToken stopping)
    {
        var folder = Path.Combine(_options.WorkRoot, task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (task.Status == TaskStatus.Downloading)
        {
            // What an earlier attempt left (it died, or lost its lease): this attempt starts from nothing.
            DeleteFolder(folder);
        }
        await using var keeper = new LeaseKeeper(_store, lease, _options, _time, stopping, _metrics);
        var context = new TaskContext(task, folder, keeper, lease.Token);
        try
        {
            if (!_handlers.TryGetValue(task.Type, out var handler))
            {
                await keeper.AdvanceAsync(task.Status.FailureOf(), $"no worker here handles {task.Type.SeedName()} tasks");
                return;
            }
            if (task.Status == TaskStatus.Downloading)
            {
                // A stage's end and the next stage's start are one change of the task.
                if (!await StageAsync(keeper, "download", () => handler.DownloadAsync(context, keeper.Token),
                        [TaskStatus.Downloaded, TaskStatus.Processing], TaskStatus.DownloadFailed)
                    || !await StageAsync(keeper, "process", () => handler.ProcessAsync(context, keeper.Token),
                        [TaskStatus.ProcessingCompleted, TaskStatus.Publishing], TaskStatus.ProcessingFailed))
                {
                    return;
                }
            }
            TaskResult? result = null;
            if (await StageAsync(keeper, "publish", async () => result = await handler.PublishAsync(context, keeper.Token),
                    [TaskStatus.PublishCompleted], TaskStatus.PublishFailed, () => result))
            {
                DeleteFolder(folder);
            }
            else if (result is not null && keeper.LeaseLost)
            {
                // Published, but the task was taken from this worker before the result was recorded: the
                // next attempt publishes again, so this copy must not stay behind.
                await handler.DiscardAsync(context, result, CancellationToken.None);
            }
        }
        catch (LeaseLostException)
        {
            // Rescued while stalled: the task is someone else's now; touch nothing.
        }
        catch (OperationCanceledException) when (keeper.LeaseLost)
        {
        }
        catch (OperationCanceledException) when (keeper.CancelRequested)
        {
            var current = await _store.GetAsync(task.Id, CancellationToken.None);
            if (current is not null && current.Status.IsInProgress()
                && await keeper.AdvanceAsync(current.Status.FailureOf(), "cancelled on request"))
            {
                DeleteFolder(folder);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await keeper.ReleaseAsync();
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs one stage; true when it succeeded and the task moved along <paramref name="done"/>.</summary>
    private async Task<bool> StageAsync(LeaseKeeper keeper, string name, Func<Task> stage, TaskStatus[] done, TaskStatus failed,
        Func<TaskResult?>? result = null)
    {
        var started = _time.GetTimestamp();
        try
        {
            await stage();
        }
        catch (OperationCanceledException) when (keeper.Token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            _metrics.StageFinished(name, _time.GetElapsedTime(started), failed: true);
            await keeper.AdvanceAsync(failed, string.IsNullOrWhiteSpace(e.Message) ? e.GetType().Name : e.Message);
            return false;
        }
        _metrics.StageFinished(name, _time.GetElapsedTime(started), failed: false);
        return await keeper.AdvanceAsync(done, result: result?.Invoke());
    }
}
