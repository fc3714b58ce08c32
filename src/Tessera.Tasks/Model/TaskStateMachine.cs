namespace Tessera.Tasks;

/// <summary>
/// The seed's status machine, in one place. Forward: NOT_STARTED → DOWNLOADING → DOWNLOADED → PROCESSING →
/// PROCESSING_COMPLETED → PUBLISHING → PUBLISH_COMPLETED; each stage may fail into its *_FAILED status.
/// Back: a retry sends DOWNLOAD_FAILED and PROCESSING_FAILED to NOT_STARTED (download again, resubmit) and
/// PUBLISH_FAILED to PROCESSING_COMPLETED (publish again); the rescuer sends a task whose worker lost its
/// lease from any stage in progress back to NOT_STARTED, or into that stage's failure when the attempts are
/// spent; a worker that stops gives its task back the same way, except that a task being published goes
/// back to PROCESSING_COMPLETED (its result is made; only publishing remains). Every other move is refused.
/// </summary>
public static class TaskStateMachine
{
    private static readonly Dictionary<TaskStatus, TaskStatus[]> Moves = new()
    {
        [TaskStatus.NotStarted] = [TaskStatus.Downloading],
        [TaskStatus.Downloading] = [TaskStatus.Downloaded, TaskStatus.DownloadFailed, TaskStatus.NotStarted],
        [TaskStatus.Downloaded] = [TaskStatus.Processing, TaskStatus.ProcessingFailed, TaskStatus.NotStarted],
        [TaskStatus.Processing] = [TaskStatus.ProcessingCompleted, TaskStatus.ProcessingFailed, TaskStatus.NotStarted],
        [TaskStatus.ProcessingCompleted] = [TaskStatus.Publishing, TaskStatus.PublishFailed, TaskStatus.NotStarted],
        [TaskStatus.Publishing] = [TaskStatus.PublishCompleted, TaskStatus.PublishFailed, TaskStatus.NotStarted, TaskStatus.ProcessingCompleted],
        [TaskStatus.PublishCompleted] = [],
        [TaskStatus.DownloadFailed] = [TaskStatus.NotStarted],
        [TaskStatus.ProcessingFailed] = [TaskStatus.NotStarted],
        [TaskStatus.PublishFailed] = [TaskStatus.ProcessingCompleted],
    };

    public static bool CanMove(TaskStatus from, TaskStatus to) =>
        Moves.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>Throws <see cref="InvalidTransitionException"/> unless the move is allowed.</summary>
    public static void EnsureCanMove(TaskStatus from, TaskStatus to)
    {
        if (!CanMove(from, to))
        {
            throw new InvalidTransitionException(from, to);
        }
    }

    /// <summary>
    /// The one status a task held by a worker (in progress) can be in to move to <paramref name="to"/>, or
    /// null when there are several (a store then reads the task's status first).
    /// </summary>
    public static TaskStatus? HeldPredecessor(TaskStatus to)
    {
        TaskStatus? only = null;
        foreach (var from in TaskStatuses.InProgress)
        {
            if (CanMove(from, to))
            {
                if (only is not null)
                {
                    return null;
                }
                only = from;
            }
        }
        return only;
    }

    /// <summary>The statuses a task may move to from <paramref name="from"/>.</summary>
    public static IReadOnlyList<TaskStatus> Targets(TaskStatus from) => Moves[from];
}
