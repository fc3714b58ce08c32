using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Tasks.Stores;

namespace Tessera.Tasks.Workers;

/// <summary>
/// Periodically returns tasks whose worker stopped renewing its lease (crashed, killed, cut off) to the
/// queue, or fails them once they have used their attempts. Any number may run: the store fences every
/// rescue by the lease token, so a task is rescued once. A failing pass is logged and tried again later.
/// </summary>
public sealed class TaskRescuer(ITaskStore store, TimeSpan interval, int maxAttempts, TimeProvider? time = null, ILogger? log = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _log = log ?? NullLogger.Instance;

    /// <summary>Called after each pass that rescued something, with how many.</summary>
    public event Action<int>? Rescued;

    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = new Backoff(interval, TimeSpan.FromMinutes(1));
        while (!stopping.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                var count = await store.RescueExpiredAsync(maxAttempts, stopping);
                if (count > 0)
                {
                    _log.LogInformation("took back {Count} task(s) whose worker stopped renewing its lease", count);
                    Rescued?.Invoke(count);
                }
                backoff.Reset();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                wait = backoff.Next();
                _log.LogWarning("looking for expired leases failed ({Message}); trying again in {Delay:0.0} s", e.Message, wait.TotalSeconds);
            }
            await Task.Delay(wait, _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Takes back at once the tasks of a worker process known to have ended (prefix of its worker ids).</summary>
    public async Task RescueWorkerAsync(string ownerPrefix, CancellationToken cancellationToken)
    {
        var count = await store.RescueWorkerAsync(ownerPrefix, maxAttempts, cancellationToken);
        if (count > 0)
        {
            _log.LogInformation("took back {Count} task(s) of the ended worker process {Prefix}", count, ownerPrefix);
            Rescued?.Invoke(count);
        }
    }
}
