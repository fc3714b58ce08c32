using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Maintenance;

/// <summary>
/// Removes what crashes and lost attempts leave behind, right after the rescuer takes tasks back from workers
/// that stopped answering and every few minutes: result files that attempts registered but never published,
/// uploads that stopped arriving, and work folders no attempt needs. A failing pass is logged and tried later.
/// </summary>
public sealed class LeftoverSweeper
{
    private readonly ServiceParts _parts;
    private readonly WorkFolders _work;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _idle;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _kick = new(0);

    /// <param name="idle">How long an upload or a work folder stays unchanged before it counts as left over (default 1 hour).</param>
    public LeftoverSweeper(ServiceParts parts, string dataFolder, TaskRescuer rescuer, TimeSpan? interval = null, TimeSpan? idle = null,
        ILogger? log = null)
    {
        _parts = parts;
        _work = new WorkFolders(Path.Combine(dataFolder, "work"), parts.Tasks);
        _idle = idle ?? TimeSpan.FromHours(1);
        // Looked for at least twice as often as they become leftovers, at most every 10 minutes.
        _interval = interval ?? TimeSpan.FromTicks(Math.Clamp(_idle.Ticks / 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(10).Ticks));
        _log = log ?? NullLogger.Instance;
        rescuer.Rescued += _ => _kick.Release(); // counted: a rescue during a sweep is not missed
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wait = _interval;
            try
            {
                var results = await _parts.SweepAsync(stopping);
                var uploads = _parts.Files.SweepIncoming(_idle);
                var folders = await _work.SweepAsync(_idle, stopping);
                if (results + uploads + folders > 0)
                {
                    _log.LogInformation("removed leftovers: {Results} unpublished result(s), {Uploads} unfinished upload(s), {Folders} work folder(s)",
                        results, uploads, folders);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                wait = TimeSpan.FromSeconds(30);
                _log.LogWarning("removing leftovers failed ({Message}); trying again in {Seconds} s", e.Message, wait.TotalSeconds);
            }
            try
            {
                await _kick.WaitAsync(wait, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
