using Tessera.Tasks.Stores;

namespace Tessera.Tasks.Workers;

/// <summary>
/// Holds a worker's lease while its stages run: renews it every heartbeat interval, stores the latest
/// progress and looks for a cancel request a few times a second, and cancels <see cref="Token"/> when the
/// lease is lost, the task is cancelled or the worker stops.
/// Every change to the task goes through here, carrying the lease.
/// </summary>
internal sealed class LeaseKeeper : IProgress<TaskProgress>, IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly ITaskStore _store;
    private readonly WorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cancel;
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private Lease _lease;
    private TaskProgress? _pending;
    private volatile bool _leaseLost;
    private volatile bool _cancelRequested;

    private readonly TaskMetrics _metrics;

    public LeaseKeeper(ITaskStore store, Lease lease, WorkerOptions options, TimeProvider time, CancellationToken stopping, TaskMetrics metrics)
    {
        _metrics = metrics;
        _store = store;
        _lease = lease;
        _options = options;
        _time = time;
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
            await FlushProgressAsync();
            if (path.Length == 1)
            {
                await _store.AdvanceAsync(_lease, path[0], error, CancellationToken.None, result);
            }
            else
            {
                await _store.AdvanceThroughAsync(_lease, path, CancellationToken.None);
            }
            return true;
        }
        catch (LeaseLostException)
        {
            Lose();
            return false;
        }
    }

    /// <summary>Gives the task back (the worker is stopping).</summary>
    public async Task ReleaseAsync()
    {
        try
        {
            await _store.ReleaseAsync(_lease, CancellationToken.None);
        }
        catch (LeaseLostException)
        {
            Lose();
        }
    }

    private async Task KeepAsync()
    {
        var nextHeartbeat = _time.GetUtcNow() + _options.Heartbeat;
        try
        {
            while (!_cancel.IsCancellationRequested)
            {
                // Ended by the cancellation without an exception: most tasks end before the first tick.
                await Task.Delay(Tick, _time, _cancel.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_cancel.IsCancellationRequested)
                {
                    return;
                }
                await FlushProgressAsync();
                if (await _store.IsCancelRequestedAsync(_lease, CancellationToken.None))
                {
                    _cancelRequested = true;
                    _cancel.Cancel();
                    return;
                }
                if (_time.GetUtcNow() >= nextHeartbeat)
                {
                    _lease = await _store.HeartbeatAsync(_lease, _options.Lease, CancellationToken.None);
                    _metrics.Heartbeat(_options.WorkerId, _time.GetUtcNow());
                    nextHeartbeat = _time.GetUtcNow() + _options.Heartbeat;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (LeaseLostException)
        {
            Lose();
        }
    }

    private async Task FlushProgressAsync()
    {
        TaskProgress? progress;
        lock (_gate)
        {
            progress = _pending;
            _pending = null;
        }
        if (progress is not null)
        {
            await _store.ReportProgressAsync(_lease, progress, CancellationToken.None);
        }
    }

    private void Lose()
    {
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
