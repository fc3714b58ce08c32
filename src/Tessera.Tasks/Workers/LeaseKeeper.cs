using Microsoft.Extensions.Logging;
using Tessera.Tasks.Stores;

namespace Tessera.Tasks.Workers;

/// <summary>
/// Holds a worker's lease while its stages run: renews it every heartbeat interval, stores the latest
/// progress and looks for a cancel request a few times a second, and cancels <see cref="Token"/> when the
/// lease is lost, the task is cancelled or the worker stops. Every change to the task goes through here,
/// carrying the lease.
/// The database may be away for a while (a restart, a dropped connection): renewals and changes are retried
/// until the lease would have run out by this worker's own count since its last renewal; only then is the
/// lease taken as lost (another worker may have the task by then).
/// </summary>
internal sealed class LeaseKeeper : IProgress<TaskProgress>, IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly ITaskStore _store;
    private readonly WorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _cancel;
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly TaskMetrics _metrics;
    private readonly IResultCommit? _commit;
    private Lease _lease;
    private TaskProgress? _pending;
    private long _renewedAt;
    private volatile bool _leaseLost;
    private volatile bool _cancelRequested;

    public LeaseKeeper(ITaskStore store, Lease lease, WorkerOptions options, TimeProvider time, CancellationToken stopping, TaskMetrics metrics,
        ILogger log, IResultCommit? commit = null)
    {
        _commit = commit;
        _metrics = metrics;
        _store = store;
        _lease = lease;
        _options = options;
        _time = time;
        _log = log;
        _renewedAt = time.GetTimestamp();
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _loop = Task.Run(KeepAsync);
    }

    /// <summary>Cancelled when the lease is lost or the worker stops: stages stop at their next check.</summary>
    public CancellationToken Token => _cancel.Token;

    public bool LeaseLost => _leaseLost;

    /// <summary>Someone asked for the task to be cancelled; <see cref="Token"/> is cancelled too.</summary>
    public bool CancelRequested => _cancelRequested;

    public void Report(TaskProgress value)
    {
        lock (_gate)
        {
            _pending = value;
        }
    }

    /// <summary>Moves the task on; false (and nothing changed) when the lease is gone.</summary>
    public Task<bool> AdvanceAsync(TaskStatus to, string? error = null, TaskResult? result = null) => AdvanceAsync([to], error, result);

    /// <summary>Moves the task along <paramref name="path"/> in one change; false (and nothing changed) when the lease is gone.</summary>
    public async Task<bool> AdvanceAsync(TaskStatus[] path, string? error = null, TaskResult? result = null)
    {
        try
        {
            await PersistAsync(async () =>
            {
                await FlushProgressAsync();
                if (result is not null && path is [TaskStatus.PublishCompleted] && _commit is not null)
                {
                    await _commit.CommitAsync(_lease, result, CancellationToken.None);
                }
                else if (path.Length == 1)
                {
                    await _store.AdvanceAsync(_lease, path[0], error, CancellationToken.None, result);
                }
                else
                {
                    await _store.AdvanceThroughAsync(_lease, path, CancellationToken.None);
                }
            }, $"moving task {_lease.TaskId} to {path[^1].SeedName()}");
            return true;
        }
        catch (LeaseLostException)
        {
            Lose();
            return false;
        }
    }

    /// <summary>Hands a downloaded task over to a process worker (its lease ended); false (and nothing changed) when the lease is gone.</summary>
    public async Task<bool> HandOverAsync()
    {
        try
        {
            await PersistAsync(async () =>
            {
                await FlushProgressAsync();
                await _store.HandOverAsync(_lease, CancellationToken.None);
            }, $"handing task {_lease.TaskId} over for processing");
            return true;
        }
        catch (LeaseLostException)
        {
            Lose();
            return false;
        }
    }

    /// <summary>Gives the task back without counting the attempt (the worker is stopping, or its database or disk failed).</summary>
    public async Task ReleaseAsync(TimeSpan? notBefore = null, string? why = null)
    {
        try
        {
            await PersistAsync(() => _store.ReleaseAsync(_lease, notBefore, why, CancellationToken.None), $"giving task {_lease.TaskId} back");
        }
        catch (LeaseLostException)
        {
            Lose();
        }
    }

    /// <summary>
    /// Runs a change of the task, again and again while the database is away and the lease may still hold
    /// (the change is fenced by the lease token: one that went through before its answer was lost fails the next
    /// time with <see cref="LeaseLostException"/>, which is then the truth).
    /// </summary>
    private async Task PersistAsync(Func<Task> change, string what)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        while (true)
        {
            try
            {
                await change();
                return;
            }
            catch (Exception e) when (e is not LeaseLostException && Outages.IsOutage(e) && !LeaseRanOut)
            {
                var delay = backoff.Next();
                _log.LogWarning("{What}: {Kind} failed ({Message}); trying again in {Delay:0.0} s", what, Outages.Kind(e), e.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, CancellationToken.None);
            }
        }
    }

    /// <summary>Whether, by this worker's own count, its lease has run out since the last renewal the store accepted.</summary>
    private bool LeaseRanOut => _time.GetElapsedTime(Interlocked.Read(ref _renewedAt)) >= _options.Lease;

    private async Task KeepAsync()
    {
        var nextHeartbeat = _time.GetUtcNow() + _options.Heartbeat;
        var failing = false;
        while (!_cancel.IsCancellationRequested)
        {
            // Ended by the cancellation without an exception: most tasks end before the first tick.
            await Task.Delay(Tick, _time, _cancel.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_cancel.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await FlushProgressAsync();
                if (await _store.IsCancelRequestedAsync(_lease, CancellationToken.None))
                {
                    _cancelRequested = true;
                    _cancel.Cancel();
                    return;
                }
                if (_time.GetUtcNow() >= nextHeartbeat)
                {
                    var started = _time.GetTimestamp();
                    _lease = await _store.HeartbeatAsync(_lease, _options.Lease, CancellationToken.None);
                    Interlocked.Exchange(ref _renewedAt, started);
                    _metrics.Heartbeat(_options.WorkerId, _time.GetUtcNow());
                    nextHeartbeat = _time.GetUtcNow() + _options.Heartbeat;
                }
                if (failing)
                {
                    _log.LogInformation("task {Task}: the database answers again; the lease is kept", _lease.TaskId);
                    failing = false;
                }
            }
            catch (LeaseLostException)
            {
                Lose();
                return;
            }
            catch (Exception e)
            {
                if (LeaseRanOut)
                {
                    _log.LogWarning("task {Task}: the lease could not be renewed for {Seconds:0} s ({Message}); stopping the task, another worker may hold it now",
                        _lease.TaskId, _options.Lease.TotalSeconds, e.Message);
                    Lose();
                    return;
                }
                if (!failing)
                {
                    _log.LogWarning("task {Task}: renewing the lease failed ({Message}); trying again", _lease.TaskId, e.Message);
                    failing = true;
                }
            }
        }
    }

    /// <summary>
    /// Stores the latest report. One flush at a time: the loop's flush of an older report must not land after a
    /// change's flush of the final one (the task would end showing the older progress).
    /// </summary>
    private async Task FlushProgressAsync()
    {
        await _flushing.WaitAsync(CancellationToken.None);
        try
        {
            TaskProgress? progress;
            lock (_gate)
            {
                progress = _pending;
            }
            if (progress is null)
            {
                return;
            }
            await _store.ReportProgressAsync(_lease, progress, CancellationToken.None);
            lock (_gate)
            {
                if (ReferenceEquals(_pending, progress))
                {
                    _pending = null; // stored; a newer report stays pending
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private void Lose()
    {
        if (!_leaseLost)
        {
            _log.LogWarning("task {Task}: {Worker} no longer holds the task (its lease ran out, or it was taken over); it changes nothing more",
                _lease.TaskId, _options.WorkerId);
        }
        _leaseLost = true;
        _cancel.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_cancel.IsCancellationRequested)
        {
            _cancel.Cancel();
        }
        await _loop;
        _cancel.Dispose();
    }
}
