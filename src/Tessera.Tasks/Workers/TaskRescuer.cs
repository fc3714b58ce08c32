using Tessera.Tasks.Stores;

namespace Tessera.Tasks.Workers;

/// <summary>
/// Periodically returns tasks whose worker stopped renewing its lease (crashed, killed, cut off) to the
/// queue, or fails them once they have used their attempts. Any number may run: the store fences every
/// rescue by the lease token, so a task is rescued once.
/// </summary>
public sealed class TaskRescuer(ITaskStore store, TimeSpan interval, int maxAttempts, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Called after each pass that rescued something, with how many.</summary>
    public event Action<int>? Rescued;

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var count = await store.RescueExpiredAsync(maxAttempts, stopping);
                if (count > 0)
                {
                    Rescued?.Invoke(count);
                }
                await Task.Delay(interval, _time, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }
    }
}
