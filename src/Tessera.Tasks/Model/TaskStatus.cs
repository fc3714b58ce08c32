namespace Tessera.Tasks;

/// <summary>
/// Task statuses, numbered exactly as the seed's <c>TaskStatus</c>. Who moves a task in and out of each
/// is said per value; <see cref="TaskStateMachine"/> is the one place that allows or refuses a move.
/// </summary>
public enum TaskStatus
{
    /// <summary>Created (API) or sent back by a retry or the rescuer; left when a worker claims it.</summary>
    NotStarted = 0,

    /// <summary>A worker stages the inputs; left for DOWNLOADED or DOWNLOAD_FAILED (worker) or back to
    /// NOT_STARTED (rescuer, when the worker's lease expired).</summary>
    Downloading = 1,

    /// <summary>Inputs staged; the worker moves on to PROCESSING.</summary>
    Downloaded = 2,

    /// <summary>The algorithm finished; the worker moves on to PUBLISHING.</summary>
    ProcessingCompleted = 3,

    /// <summary>The algorithm failed (errorMessage says why); left by a resubmit (API).</summary>
    ProcessingFailed = 4,

    /// <summary>A worker runs the algorithm; left for PROCESSING_COMPLETED or PROCESSING_FAILED.</summary>
    Processing = 5,

    /// <summary>A worker writes the result into the file store; left for PUBLISH_COMPLETED or PUBLISH_FAILED.</summary>
    Publishing = 6,

    /// <summary>Done: the result can be queried, downloaded and previewed. Final.</summary>
    PublishCompleted = 7,

    /// <summary>Publishing failed; left by a publish retry (API).</summary>
    PublishFailed = 8,

    /// <summary>The inputs could not be staged; left by a download retry (API).</summary>
    DownloadFailed = 9,
}

/// <summary>The seed's names of <see cref="TaskStatus"/> values and groups of them.</summary>
public static class TaskStatuses
{
    public static string SeedName(this TaskStatus status) => status switch
    {
        TaskStatus.NotStarted => "NOT_STARTED",
        TaskStatus.Downloading => "DOWNLOADING",
        TaskStatus.Downloaded => "DOWNLOADED",
        TaskStatus.ProcessingCompleted => "PROCESSING_COMPLETED",
        TaskStatus.ProcessingFailed => "PROCESSING_FAILED",
        TaskStatus.Processing => "PROCESSING",
        TaskStatus.Publishing => "PUBLISHING",
        TaskStatus.PublishCompleted => "PUBLISH_COMPLETED",
        TaskStatus.PublishFailed => "PUBLISH_FAILED",
        TaskStatus.DownloadFailed => "DOWNLOAD_FAILED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a task status"),
    };

    /// <summary>Statuses in which a worker holds the task under a lease.</summary>
    public static readonly IReadOnlySet<TaskStatus> InProgress = new HashSet<TaskStatus>
    {
        TaskStatus.Downloading, TaskStatus.Downloaded, TaskStatus.Processing,
        TaskStatus.ProcessingCompleted, TaskStatus.Publishing,
    };

    /// <summary>Statuses a task stays in until a person acts (retry, delete, cleanup).</summary>
    public static readonly IReadOnlySet<TaskStatus> Failed = new HashSet<TaskStatus>
    {
        TaskStatus.DownloadFailed, TaskStatus.ProcessingFailed, TaskStatus.PublishFailed,
    };

    public static bool IsInProgress(this TaskStatus status) => InProgress.Contains(status);

    public static bool IsFailed(this TaskStatus status) => Failed.Contains(status);

    /// <summary>The failure a stage ends in when it cannot go on (used when the attempts run out).</summary>
    public static TaskStatus FailureOf(this TaskStatus status) => status switch
    {
        TaskStatus.Downloading => TaskStatus.DownloadFailed,
        TaskStatus.Downloaded or TaskStatus.Processing => TaskStatus.ProcessingFailed,
        TaskStatus.ProcessingCompleted or TaskStatus.Publishing => TaskStatus.PublishFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a stage in progress"),
    };
}
