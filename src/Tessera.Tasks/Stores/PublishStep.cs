using System.Data.Common;

namespace Tessera.Tasks.Stores;

/// <summary>
/// Work done in the same database transaction that moves a task to PUBLISH_COMPLETED with its result, for
/// example making the result file visible. Throwing rolls the whole publish back: the task stays in
/// PUBLISHING under its lease, and nothing of the result is visible.
/// </summary>
public delegate Task PublishStep(DbConnection connection, DbTransaction transaction, Lease lease, TaskResult result,
    CancellationToken cancellationToken);
