namespace Tessera.Tasks.Stores;

/// <summary>
/// Where tasks live. Implementations (SQLite, PostgreSQL) pass one contract test suite. Every status change
/// goes through <see cref="TaskStateMachine"/> and is recorded in the task's history in the same transaction.
/// </summary>
public interface ITaskStore
{
    /// <summary>Stores a new task in NOT_STARTED; with <see cref="NewTask.After"/>, it is not claimed before those tasks have
    /// ended (done or failed); with <see cref="NewTask.Parts"/>, those are created first, in the same transaction, and it
    /// waits for them too. <see cref="TaskException"/> when a prerequisite does not exist.</summary>
    Task<ProcessingTask> CreateAsync(NewTask task, CancellationToken cancellationToken = default);

    /// <summary>
    /// Splits task <paramref name="id"/> (held, or not started): <paramref name="parts"/> are created and made its
    /// prerequisites (kind <see cref="TaskDependency.Part"/>) in one transaction, so it is not claimed again before they
    /// end. Returns their ids.
    /// </summary>
    Task<IReadOnlyList<long>> SplitAsync(long id, IReadOnlyList<NewTask> parts, CancellationToken cancellationToken = default);

    /// <summary>The tasks that must end before task <paramref name="id"/> may start.</summary>
    Task<IReadOnlyList<TaskDependency>> DependenciesAsync(long id, CancellationToken cancellationToken = default);

    Task<ProcessingTask?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically claims the earliest claimable task (NOT_STARTED, or PROCESSING_COMPLETED waiting for a
    /// publish retry), moves it to its first stage (DOWNLOADING or PUBLISHING), counts the attempt and gives
    /// the worker a lease; null when there is nothing to do.
    /// </summary>
    Task<ClaimedTask?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// The claim of a worker of a <paramref name="role"/>: a download worker takes only tasks not started (to
    /// DOWNLOADING); a process worker takes only tasks DOWNLOADED by a download worker (to PROCESSING, in the work folder the
    /// download left) and results waiting to be published; a worker of all roles takes any of them, the earliest first.
    /// </summary>
    Task<ClaimedTask?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, Workers.WorkerRole role, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a download worker's part of a held task: DOWNLOADING to DOWNLOADED, the lease and the attempt ended, its work
    /// folder (the lease's token) recorded as the one holding the inputs, for a process worker to claim.
    /// <see cref="LeaseLostException"/> when the lease is gone.
    /// </summary>
    Task<ProcessingTask> HandOverAsync(Lease lease, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease; <see cref="LeaseLostException"/> when the worker no longer holds the task.</summary>
    Task<Lease> HeartbeatAsync(Lease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a held task to its next status (fenced by the lease token), storing <paramref name="result"/> with
    /// it when given (the one update that publishes a task). A final or failed status ends the lease. <see cref="InvalidTransitionException"/> for a move the machine refuses,
    /// <see cref="LeaseLostException"/> when the lease is gone.
    /// </summary>
    Task<ProcessingTask> AdvanceAsync(Lease lease, TaskStatus to, string? errorMessage = null, CancellationToken cancellationToken = default,
        TaskResult? result = null);

    /// <summary>
    /// Moves a held task through several statuses in one transaction, each recorded in the history (a stage
    /// that ends and the next that begins: DOWNLOADED then PROCESSING). Only the last may end the lease.
    /// </summary>
    Task<ProcessingTask> AdvanceThroughAsync(Lease lease, IReadOnlyList<TaskStatus> path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a held task back (a worker shutting down, or one whose database or disk failed under it): it returns to
    /// NOT_STARTED, or to PROCESSING_COMPLETED waiting for publishing when that is all that remains, the lease ends,
    /// and the attempt is not counted.
    /// </summary>
    Task<ProcessingTask> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default);

    /// <summary>Gives a held task back not to be claimed again before <paramref name="notBefore"/> from now (none: at once),
    /// its history saying <paramref name="why"/>; the attempt is not counted.</summary>
    Task<ProcessingTask> ReleaseAsync(Lease lease, TimeSpan? notBefore, string? why, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the worker holding a task in progress to stop it; false when the task is not in progress. The
    /// worker ends the task in its stage's failure status with "cancelled" as the error.
    /// </summary>
    Task<bool> RequestCancelAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Whether someone asked to cancel the held task; <see cref="LeaseLostException"/> when the lease is gone.</summary>
    Task<bool> IsCancelRequestedAsync(Lease lease, CancellationToken cancellationToken = default);

    /// <summary>Records the progress of the current stage (fenced by the lease token).</summary>
    Task ReportProgressAsync(Lease lease, TaskProgress progress, CancellationToken cancellationToken = default);

    /// <summary>
    /// Retry of a failed task by a person: DOWNLOAD_FAILED and PROCESSING_FAILED go back to NOT_STARTED,
    /// PUBLISH_FAILED to PROCESSING_COMPLETED (to be published again). The attempt count starts over.
    /// </summary>
    Task<ProcessingTask> RetryAsync(long id, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns tasks whose lease expired to NOT_STARTED, or, when they have used
    /// <paramref name="maxAttempts"/> attempts, fails them in their stage. Returns how many were rescued.
    /// </summary>
    Task<int> RescueExpiredAsync(int maxAttempts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes back at once the tasks held by the workers of a process known to have ended (a supervisor saw its
    /// child die): their worker ids start with <paramref name="ownerPrefix"/>. Counted as attempts, as an expired
    /// lease is. Returns how many were taken back.
    /// </summary>
    Task<int> RescueWorkerAsync(string ownerPrefix, int maxAttempts, CancellationToken cancellationToken = default);

    /// <summary>Deletes a task that has not started (the seed allows no other); false if there is none.</summary>
    Task<bool> DeleteNotStartedAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes finished tasks (PUBLISH_COMPLETED and the failed statuses) last changed before
    /// <paramref name="before"/>, of one owner or (null) everyone's; returns them with their result files. With
    /// <paramref name="dryRun"/>, deletes nothing and returns what it would delete.
    /// </summary>
    Task<IReadOnlyList<FinishedTask>> DeleteFinishedAsync(DateTimeOffset before, string? owner, CancellationToken cancellationToken = default, bool dryRun = false);

    /// <summary>How many tasks there are of each status and type (for metrics).</summary>
    Task<IReadOnlyList<(TaskStatus Status, TaskType Type, long Count)>> CountByStatusAndTypeAsync(CancellationToken cancellationToken = default);

    /// <summary>Tasks matching <paramref name="query"/>, newest first.</summary>
    Task<TaskPage> ListAsync(TaskQuery query, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>The task's attempts (one per claim: worker, start, end, outcome), oldest first.</summary>
    Task<IReadOnlyList<TaskAttempt>> AttemptsAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Whether a task is still held with this lease token (its attempt runs, or has not been rescued yet).</summary>
    Task<bool> IsLeaseHeldAsync(Guid token, CancellationToken cancellationToken = default);

    /// <summary>The task's status changes, oldest first.</summary>
    Task<IReadOnlyList<StatusChange>> HistoryAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Adds a line to a task's log, at the database's time (nothing when the task is gone).</summary>
    Task AppendLogAsync(long id, string level, string message, CancellationToken cancellationToken = default);

    /// <summary>A task's log, oldest first: its last <paramref name="limit"/> lines.</summary>
    Task<IReadOnlyList<TaskLogLine>> LogAsync(long id, int limit = 1000, CancellationToken cancellationToken = default);
}
