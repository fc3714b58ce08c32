namespace Tessera.Tasks;

/// <summary>Base of the errors of the task layer; messages are meant for the API's callers as they are.</summary>
public class TaskException(string message) : Exception(message);

/// <summary>A status change the state machine does not allow.</summary>
public sealed class InvalidTransitionException(TaskStatus from, TaskStatus to)
    : TaskException($"a task cannot go from {from.SeedName()} to {to.SeedName()}")
{
    public TaskStatus From { get; } = from;

    public TaskStatus To { get; } = to;
}

/// <summary>A worker's lease on a task is gone (expired and rescued, or the task changed): it may change nothing.</summary>
public sealed class LeaseLostException(long taskId)
    : TaskException($"task {taskId}: this worker no longer holds the task (its lease expired or the task was changed)")
{
    public long TaskId { get; } = taskId;
}

/// <summary>No task with that id (or none the caller may see).</summary>
public sealed class TaskNotFoundException(long taskId) : TaskException($"task {taskId} does not exist")
{
    public long TaskId { get; } = taskId;
}

/// <summary>An Idempotency-Key that was first used with another request.</summary>
public sealed class IdempotencyKeyReusedException(string key, long taskId)
    : TaskException($"Idempotency-Key '{key}' was used for another request (task {taskId}); use a new key for a new task")
{
    public long TaskId { get; } = taskId;
}
