namespace Tessera.Tasks.Jobs;

/// <summary>
/// An openEO batch job: a user's process graph (<paramref name="Process"/>, the API's JSON) with its title and
/// description, and the task that runs it once it was started (<paramref name="TaskId"/>, null until then).
/// </summary>
public sealed record BatchJob(string Id, string Owner, string? Title, string? Description, string Process, string? Plan, double? Budget,
    DateTimeOffset Created, DateTimeOffset Updated, long? TaskId);

/// <summary>A line of a job's log.</summary>
public sealed record JobLogEntry(long Sequence, string Level, string Message, DateTimeOffset Time);
