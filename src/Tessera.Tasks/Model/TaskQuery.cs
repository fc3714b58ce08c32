namespace Tessera.Tasks;

/// <summary>A filter over tasks; null members do not filter. <see cref="NameContains"/> matches anywhere in the name.</summary>
public sealed record TaskQuery(string? Owner = null, TaskStatus? Status = null, TaskType? Type = null, string? NameContains = null,
    DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null);

/// <summary>A page of tasks, newest first, and how many match in all.</summary>
public sealed record TaskPage(IReadOnlyList<ProcessingTask> Items, long Total, int Offset, int Limit);
