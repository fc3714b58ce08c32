namespace Tessera.Tasks;

/// <summary>A filter over tasks; null members do not filter. <see cref="NameContains"/> matches anywhere in the name.</summary>
public sealed record TaskQuery(string? Owner = null, TaskStatus? Status = null, TaskType? Type = null, string? NameContains = null,
    DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null, TaskSort Sort = TaskSort.CreatedDescending);

/// <summary>Orders of a task listing.</summary>
public enum TaskSort
{
    CreatedDescending,
    CreatedAscending,
    UpdatedDescending,
    UpdatedAscending,
}

/// <summary>A page of tasks in the asked order, and how many match in all.</summary>
public sealed record TaskPage(IReadOnlyList<ProcessingTask> Items, long Total, int Offset, int Limit);
