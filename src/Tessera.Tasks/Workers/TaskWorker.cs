using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Tasks.Stores;

namespace Tessera.Tasks.Workers;

/// <summary>
/// Claims tasks one at a time and runs their stages through the handler of their type, holding a lease
/// that a keeper renews while a stage runs. A stage that throws fails the task in that stage, unless what failed
/// is the machinery (the database, the disk): then the task is given back, its attempt not counted, and the
/// worker waits before claiming again. When the lease is lost (the worker stalled and was rescued) the worker
/// stops the stage and changes nothing more; when someone cancels the task, the stage stops (between blocks) and
/// the task ends in that stage's failure with "cancelled on request"; when the worker is stopped it cancels the
/// stage and gives the task back. Idle, it waits for a <see cref="TaskSignal"/> or the poll interval. Whatever
/// fails, the loop logs it, waits longer after each failure in a row and goes on; after failing for
/// <see cref="WorkerOptions.GiveUp"/> it stops with <see cref="WorkerFailedException"/>.
/// Every attempt works in a folder of its own, <c>work/TASK/TOKEN</c>.
/// </summary>
public sealed class TaskWorker
{
    private readonly ITaskStore _store;
    private readonly Dictionary<TaskType, ITaskHandler> _handlers;
    private readonly WorkerOptions _options;
    private readonly TaskSignal _signal;
    private readonly TimeProvider _time;
    private readonly TaskMetrics _metrics;
    private readonly ILogger _log;
    private readonly IResultCommit? _commit;

    /// <param name="commit">How a published result becomes final with its task (see <see cref="IResultCommit"/>).</param>
    public TaskWorker(ITaskStore store, IEnumerable<ITaskHandler> handlers, WorkerOptions options,
        TaskSignal? signal = null, TimeProvider? time = null, TaskMetrics? metrics = null, ILogger? log = null, IResultCommit? commit = null)
    {
        _commit = commit;
        _metrics = metrics ?? new TaskMetrics();
        _store = store;
        _handlers = handlers.SelectMany(h => h.Types.Select(t => (Type: t, Handler: h))).ToDictionary(p => p.Type, p => p.Handler);
        _options = options;
        _signal = signal ?? new TaskSignal();
        _time = time ?? TimeProvider.System;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>Works until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        long? failingSince = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var worked = await RunOnceAsync(stopping);
                if (failingSince is not null)
                {
                    _log.LogInformation("worker {Worker} works again after {Failures} failure(s)", _options.WorkerId, backoff.Failures);
                }
                backoff.Reset();
                failingSince = null;
                if (!worked)
                {
                    await _signal.WaitAsync(_options.Poll, _time, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failingSince ??= _time.GetTimestamp();
                if (_time.GetElapsedTime(failingSince.Value) >= _options.GiveUp)
                {
                    _log.LogCritical(e, "worker {Worker} stops: it has failed for {Minutes:0.#} minutes ({Message})", _options.WorkerId,
                        _options.GiveUp.TotalMinutes, e.Message);
                    throw new WorkerFailedException(_options.WorkerId, _options.GiveUp, e);
                }
                var delay = backoff.Next();
                _log.LogWarning("worker {Worker}: {Message}; trying again in {Delay:0.0} s", _options.WorkerId,
                    e is OutageException ? e.Message : $"{Outages.Kind(e) ?? "an unexpected error"} failed: {e.Message}", delay.TotalSeconds);
                await Task.Delay(delay, _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Claims one task and runs it as far as it goes; false when there was nothing to claim.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken stopping)
    {
        stopping.ThrowIfCancellationRequested();
        var claimed = await _store.ClaimNextAsync(_options.WorkerId, _options.Lease, _options.Role, stopping);
        _metrics.Heartbeat(_options.WorkerId, _time.GetUtcNow()); // alive and reaching the database, busy or not
        if (claimed is null)
        {
            return false;
        }
        _log.LogInformation("task {Task} (type {Type}) claimed by {Worker} at {Status}, attempt {Attempt}", claimed.Task.Id, claimed.Task.Type,
            _options.WorkerId, claimed.Task.Status.SeedName(), claimed.Lease.Attempt);
        await NoteAsync(claimed.Task.Id, "info", $"claimed by {_options.WorkerId} at {claimed.Task.Status.SeedName()}, attempt {claimed.Lease.Attempt}");
        await RunClaimedAsync(claimed.Task, claimed.Lease, stopping);
        return true;
    }

    /// <summary>Where a task's attempts keep their folders.</summary>
    private string TaskFolder(long taskId) => Path.Combine(_options.WorkRoot, taskId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The work folder of one attempt (lease token <paramref name="token"/>) of a task.</summary>
    public static string AttemptFolder(string workRoot, long taskId, Guid token) =>
        Path.Combine(workRoot, taskId.ToString(System.Globalization.CultureInfo.InvariantCulture), token.ToString("N"));

    private async Task RunClaimedAsync(ProcessingTask task, Lease lease, CancellationToken stopping)
    {
        // A publish-only attempt reads the result where the attempt that computed it left it.
        var folderToken = task.Status == TaskStatus.Downloading || task.WorkToken is null ? lease.Token : Guid.Parse(task.WorkToken);
        var folder = AttemptFolder(_options.WorkRoot, task.Id, folderToken);
        await using var keeper = new LeaseKeeper(_store, lease, _options, _time, stopping, _metrics, _log, _commit);
        var context = new TaskContext(task, folder, keeper, lease.Token, (level, message) => NoteAsync(task.Id, level, message));
        try
        {
            if (!_handlers.TryGetValue(task.Type, out var handler))
            {
                await keeper.AdvanceAsync(task.Status.FailureOf(), $"no worker here handles tasks of type {task.Type}");
                return;
            }
            if (task.Status == TaskStatus.Downloading && _options.Role == WorkerRole.Download)
            {
                // A download worker's part ends here: the inputs stay in the folder for a process worker.
                if (await StageAsync(keeper, context, "download", () => handler.DownloadAsync(context, keeper.Token),
                        [TaskStatus.Downloaded], TaskStatus.DownloadFailed, handOver: true))
                {
                    _log.LogInformation("task {Task} downloaded and handed over for processing", task.Id);
                }
                return;
            }
            if (task.Status == TaskStatus.Downloading)
            {
                // A stage's end and the next stage's start are one change of the task.
                if (!await StageAsync(keeper, context, "download", () => handler.DownloadAsync(context, keeper.Token),
                        [TaskStatus.Downloaded, TaskStatus.Processing], TaskStatus.DownloadFailed)
                    || !await ProcessStageAsync(keeper, context, handler))
                {
                    return;
                }
            }
            else if (!Directory.Exists(folder))
            {
                // The downloaded inputs or the computed result are gone (the folder was removed by hand, or lives on another
                // machine's disk): the task starts again.
                var inputs = task.Status == TaskStatus.Processing;
                _log.LogWarning("task {Task}: the work folder of its {What} is missing; starting it again", task.Id, inputs ? "downloaded inputs" : "computed result");
                await keeper.AdvanceAsync(TaskStatus.NotStarted, inputs
                    ? "its downloaded inputs were no longer in the work folder: downloading them again"
                    : "its computed result was no longer in the work folder: computing it again");
                return;
            }
            else if (task.Status == TaskStatus.Processing && !await ProcessStageAsync(keeper, context, handler))
            {
                return; // a download handed over by a download worker: processed here
            }
            TaskResult? result = null;
            if (await StageAsync(keeper, context, "publish", async () => result = await handler.PublishAsync(context, keeper.Token),
                    [TaskStatus.PublishCompleted], TaskStatus.PublishFailed, () => result))
            {
                DeleteFolder(TaskFolder(task.Id));
                _log.LogInformation("task {Task} published as file {File}", task.Id, result?.OutputFileId);
                await NoteAsync(task.Id, "info", $"published as file {result?.OutputFileId}");
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
            // said by the keeper
        }
        catch (OperationCanceledException) when (keeper.CancelRequested)
        {
            var current = await _store.GetAsync(task.Id, CancellationToken.None);
            if (current is not null && current.Status.IsInProgress()
                && await keeper.AdvanceAsync(current.Status.FailureOf(), "cancelled on request"))
            {
                if (current.Status.FailureOf() != TaskStatus.PublishFailed)
                {
                    DeleteFolder(folder);
                }
                _log.LogInformation("task {Task} cancelled on request", task.Id);
                await NoteAsync(task.Id, "info", "cancelled on request");
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await keeper.ReleaseAsync();
            var current = await _store.GetAsync(task.Id, CancellationToken.None);
            if (current?.WorkToken is not { } kept || Guid.Parse(kept) != folderToken)
            {
                DeleteFolder(folder); // nothing of this attempt is needed again: the task starts over
            }
            _log.LogInformation("task {Task} given back: worker {Worker} is stopping", task.Id, _options.WorkerId);
            await NoteAsync(task.Id, "info", $"given back: worker {_options.WorkerId} is stopping");
        }
    }

    /// <summary>A line of the task's log; a database that does not answer loses the line, never the task.</summary>
    private async Task NoteAsync(long taskId, string level, string message)
    {
        try
        {
            await _store.AppendLogAsync(taskId, level, message, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.LogDebug("task {Task}: the line '{Message}' was not added to its log ({Error})", taskId, message, e.Message);
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private Task<bool> ProcessStageAsync(LeaseKeeper keeper, TaskContext context, ITaskHandler handler) =>
        StageAsync(keeper, context, "process", () => handler.ProcessAsync(context, keeper.Token),
            [TaskStatus.ProcessingCompleted, TaskStatus.Publishing], TaskStatus.ProcessingFailed);

    /// <summary>Runs one stage; true when it succeeded and the task moved along <paramref name="done"/> (or, with
    /// <paramref name="handOver"/>, was handed over DOWNLOADED).</summary>
    private async Task<bool> StageAsync(LeaseKeeper keeper, TaskContext context, string name, Func<Task> stage, TaskStatus[] done, TaskStatus failed,
        Func<TaskResult?>? result = null, bool handOver = false)
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
        catch (RetryLaterException later)
        {
            // Not the task's fault, nor a failure: it waits, its attempt not counted, and runs again after the delay.
            _metrics.StageFinished(name, _time.GetElapsedTime(started));
            if (failed != TaskStatus.PublishFailed)
            {
                DeleteFolder(context.Folder);
            }
            var why = ErrorText.ForCaller(later.Message, context.Names);
            await keeper.ReleaseAsync(later.Delay, why);
            _log.LogInformation("task {Task}: {Stage} waits {Delay:0} s: {Message}", context.Task.Id, name, later.Delay.TotalSeconds, why);
            await NoteAsync(context.Task.Id, "info", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} waits {later.Delay.TotalSeconds:0} s: {why}"));
            return false;
        }
        catch (Exception e)
        {
            var kind = ErrorKinds.Of(e);
            _metrics.StageFinished(name, _time.GetElapsedTime(started), kind);
            var outage = Outages.Kind(e) ?? (Outages.IsDiskFull(_options.WorkRoot) ? "the disk" : null);
            if (outage is not null)
            {
                // Not the task's fault: give it back (its attempt not counted) and let the loop wait before claiming again.
                _log.LogWarning(e, "task {Task}: {Stage} stopped because {Outage} failed; giving the task back", context.Task.Id, name, outage);
                if (failed != TaskStatus.PublishFailed)
                {
                    // First: on a full disk, what this attempt wrote may be all the room the database needs to record the release.
                    // (A publish still needs the computed result; nothing else does.)
                    DeleteFolder(context.Folder);
                }
                await keeper.ReleaseAsync();
                throw new OutageException($"{outage} failed during the {name} of task {context.Task.Id} ({e.Message}); the task was given back", e);
            }
            var message = ErrorText.ForCaller(string.IsNullOrWhiteSpace(e.Message) ? e.GetType().Name : e.Message, context.Names);
            // The task's log says it before its status does: whoever sees the failed status finds the line.
            await NoteAsync(context.Task.Id, "error", $"{name} failed ({kind}): {message}");
            if (await keeper.AdvanceAsync(failed, message))
            {
                // One line an operator can search and count: which task, of which type and owner, failed where, of what.
                _log.LogWarning("task {Task} failed: type {Type}, owner {Owner}, stage {Stage}, error kind {ErrorKind}: {Error}", context.Task.Id,
                    context.Task.Type.Number, context.Task.Owner, name, kind, message);
            }
            return false; // its folder stays for a look (or a publish retry) until the task is retried or the sweeper removes it
        }
        var took = _time.GetElapsedTime(started);
        _metrics.StageFinished(name, took);
        await NoteAsync(context.Task.Id, "info", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} done in {took.TotalSeconds:0.00} s"));
        return handOver ? await keeper.HandOverAsync() : await keeper.AdvanceAsync(done, result: result?.Invoke());
    }
}

/// <summary>A worker failed for longer than it is meant to keep trying; its process should end with an error.</summary>
public sealed class WorkerFailedException(string workerId, TimeSpan after, Exception last)
    : Exception($"worker {workerId} has failed for {after.TotalMinutes:0.#} minutes: {last.Message}", last);

/// <summary>The database or a disk failed under a task, which was given back.</summary>
internal sealed class OutageException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// What a stage throws when the task cannot go on yet through nobody's fault (a provider says an input is not
/// available yet): the task is given back, its attempt not counted, and not claimed again before <paramref name="delay"/>.
/// </summary>
public sealed class RetryLaterException(string message, TimeSpan delay) : Exception(message)
{
    public TimeSpan Delay { get; } = delay;
}
