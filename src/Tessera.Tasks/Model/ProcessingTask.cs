namespace Tessera.Tasks;

/// <summary>A processing task as stored: what to do, where it is in the status machine, and who holds it.</summary>
/// <param name="InputsJson">Input files and band mapping (role → file id + band), as JSON.</param>
/// <param name="ParametersJson">Type-specific parameters, as JSON.</param>
/// <param name="Attempts">Claims so far; counted when a worker claims the task.</param>
/// <param name="LeaseOwner">The worker holding the task, while it is in progress.</param>
/// <param name="WorkToken">The lease token of the attempt that computed the result: its work folder holds the
/// result until the task is published.</param>
/// <param name="Warnings">What the caller was told when the task was added (inputs that look unscaled), one per line.</param>
public sealed record ProcessingTask(
    long Id,
    string Name,
    TaskType Type,
    string Owner,
    string InputsJson,
    string? OutputFolder,
    string? OutputName,
    string ParametersJson,
    TaskStatus Status,
    string? ErrorMessage,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    TaskProgress? Progress,
    TaskResult? Result = null,
    string? WorkToken = null,
    string? Warnings = null);

/// <summary>
/// A task that must end before another may start, and why: <see cref="Input"/> (the other takes its input from it: it
/// must be done), or any other kind (<c>previous</c>, <c>reference</c>, <c>part</c>: done or failed).
/// </summary>
public sealed record TaskDependency(long TaskId, string Kind)
{
    /// <summary>The kind of a prerequisite that must be done, not merely ended.</summary>
    public const string Input = "input";

    /// <summary>The kind of a task computing a part of the other's result.</summary>
    public const string Part = "part";
}

/// <summary>What a published task produced.</summary>
/// <param name="OutputFileId">The result, registered in the file store (usable as an input of new tasks).</param>
/// <param name="Bounds">Its footprint in WGS 84 as "west,south,east,north", when it has a CRS.</param>
public sealed record TaskResult(long OutputFileId, string? Bounds);

/// <summary>Progress of the current stage: blocks (or other units) done of total.</summary>
public sealed record TaskProgress(string Stage, long Done, long Total);

/// <summary>What a caller gives to create a task.</summary>
/// <param name="IdempotencyKey">The client's key for this request (HTTP <c>Idempotency-Key</c>): creating again with
/// the same key and owner gives the task made the first time.</param>
/// <param name="RequestDigest">A digest of the request the key came with: the same key with another request is refused.</param>
/// <param name="Warnings">What validation found worth saying about the request, one per line; kept with the task.</param>
/// <param name="After">Tasks that must end before this one may start (<see cref="TaskDependency"/>).</param>
/// <param name="Parts">Tasks that each compute a part of this one's result, created with it (in the same transaction,
/// before it) and ended before it starts (prerequisites of kind <see cref="TaskDependency.Part"/>).</param>
public sealed record NewTask(
    string Name,
    TaskType Type,
    string Owner,
    string InputsJson,
    string? OutputFolder = null,
    string? OutputName = null,
    string ParametersJson = "{}",
    string? IdempotencyKey = null,
    string? RequestDigest = null,
    string? Warnings = null,
    IReadOnlyList<TaskDependency>? After = null,
    IReadOnlyList<NewTask>? Parts = null);

/// <summary>
/// A worker's hold on a task for one attempt. Every change the worker makes carries the token; once the
/// lease is rescued or the task changed otherwise, the token matches nothing and the change is refused.
/// </summary>
public sealed record Lease(long TaskId, Guid Token, string WorkerId, int Attempt, DateTimeOffset ExpiresAt);

/// <summary>A task just claimed, with the lease that lets the worker move it on.</summary>
public sealed record ClaimedTask(ProcessingTask Task, Lease Lease);

/// <summary>One entry of a task's status history.</summary>
/// <param name="From">Null for the creation entry.</param>
/// <param name="Actor">Who moved it: a worker id, "rescuer", or the API caller.</param>
public sealed record StatusChange(long TaskId, TaskStatus? From, TaskStatus To, DateTimeOffset At, int Attempt, string? ErrorMessage, string Actor);

/// <summary>One claim of a task by a worker.</summary>
/// <param name="Attempt">The task's attempt count at the claim (starts over after a retry by a person).</param>
/// <param name="EndedAt">Null while the worker holds the task.</param>
/// <param name="Outcome">How it ended: the status the worker left the task in (seed name), "released", or "lease expired".</param>
public sealed record TaskAttempt(int Attempt, string WorkerId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Outcome);

/// <summary>A finished task that cleanup deletes, and its result file (if it published one).</summary>
public sealed record FinishedTask(long Id, long? ResultFileId);

/// <summary>One line of a task's log: when, how serious ("info", "warning", "error"), what.</summary>
public sealed record TaskLogLine(DateTimeOffset At, string Level, string Message);
