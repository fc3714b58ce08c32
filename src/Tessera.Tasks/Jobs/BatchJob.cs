namespace Tessera.Tasks.Jobs;

/// <summary>
/// An openEO batch job: a user's process graph (<paramref name="Process"/>, the API's JSON) with its title and
/// description, and the task that runs it once it was started (<paramref name="TaskId"/>, null until then).
/// </summary>
/// <param name="UserProcesses">The user-defined processes the graph calls, as they were when the graph was given (JSON,
/// an object of their documents by id; null: none), so that the job runs what was asked for even when they change.</param>
public sealed record BatchJob(string Id, string Owner, string? Title, string? Description, string Process, string? Plan, double? Budget,
    DateTimeOffset Created, DateTimeOffset Updated, long? TaskId, string? UserProcesses = null);

/// <summary>A line of a job's log.</summary>
public sealed record JobLogEntry(long Sequence, string Level, string Message, DateTimeOffset Time);
