using Tessera.Tasks.Stores;
using Tessera.Tasks;

namespace Tessera.Host.Maintenance;

/// <summary>
/// Whether the service can do its work now: its database answers, and its data folder's disk can take files
/// (free space above a floor, and a small write succeeds). What <c>/ready</c> reports.
/// </summary>
public sealed class Readiness(ITaskStore tasks, string dataFolder, long minFreeBytes)
{
    /// <summary>Null when ready; otherwise what is not.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            await tasks.ListAsync(new TaskQuery(), 0, 1, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"the database does not answer ({Tessera.Tasks.Workers.ErrorText.ForCaller(e.Message)})";
        }
        try
        {
            var free = new DriveInfo(Path.GetFullPath(dataFolder)).AvailableFreeSpace;
            if (free < minFreeBytes)
            {
                return $"the data folder's disk is full ({free >> 20} MiB free, {minFreeBytes >> 20} MiB needed)";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "the data folder's disk cannot be read";
        }
        return Tessera.Tasks.Workers.Outages.IsDiskFull(Path.Combine(dataFolder, "incoming")) ? "the data folder's disk is full" : null;
    }
}
