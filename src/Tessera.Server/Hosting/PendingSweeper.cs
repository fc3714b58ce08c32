using Microsoft.Extensions.Logging;
using Tessera.Tasks.Workers;

namespace Tessera.Server.Hosting;

/// <summary>
/// Removes result files that attempts registered but never published (see <see cref="ServiceParts.SweepAsync"/>):
/// right after the rescuer takes tasks back from workers that stopped answering, and every few minutes.
/// </summary>
public sealed class PendingSweeper
{
    private readonly ServiceParts _parts;
    private readonly TimeSpan _interval;
    private readonly ILogger? _log;
    private readonly SemaphoreSlim _kick = new(0);

    public PendingSweeper(ServiceParts parts, TaskRescuer rescuer, TimeSpan? interval = null, ILogger? log = null)
    {
        _parts = parts;
        _interval = interval ?? TimeSpan.FromMinutes(10);
        _log = log;
        rescuer.Rescued += _ => _kick.Release(); // counted: a rescue during a sweep is not missed
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var removed = await _parts.SweepAsync(stopping);
                if (removed > 0)
                {
                    _log?.LogInformation("removed {Count} unpublished result file(s) of attempts that are over", removed);
                }
                await _kick.WaitAsync(_interval, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log?.LogWarning(e, "sweeping unpublished result files failed; trying again later");
                await Task.Delay(TimeSpan.FromSeconds(30), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
