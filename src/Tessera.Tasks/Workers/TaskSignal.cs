namespace Tessera.Tasks.Workers;

/// <summary>
/// Wakes idle workers of this process at once when a task is created, instead of at their next poll.
/// (Workers in other processes are woken by the database: PostgreSQL LISTEN/NOTIFY.)
/// </summary>
public sealed class TaskSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = NewSource();

    /// <summary>Wakes every worker waiting now.</summary>
    public void Notify()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _next;
            _next = NewSource();
        }
        fired.TrySetResult();
    }

    /// <summary>Waits for a notification or the timeout, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task next;
        lock (_gate)
        {
            next = _next.Task;
        }
        try
        {
            await next.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
