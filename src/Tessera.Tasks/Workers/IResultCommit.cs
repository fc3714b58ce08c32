namespace Tessera.Tasks.Workers;

/// <summary>
/// How a worker makes a published result final: the held task's move to PUBLISH_COMPLETED and whatever must become
/// visible with it (the result file), as one transaction; <see cref="LeaseLostException"/> when the lease is gone.
/// Without one, the worker moves the task alone: fine for handlers that register nothing, but a result registered
/// pending by the file store then stays invisible (the service's workers get theirs from ServiceParts).
/// </summary>
public interface IResultCommit
{
    Task CommitAsync(Lease lease, TaskResult result, CancellationToken cancellationToken);
}
