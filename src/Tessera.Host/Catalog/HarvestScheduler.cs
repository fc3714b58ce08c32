using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Catalog;
using Tessera.Catalog.Harvest;
using Tessera.Catalog.Scenes;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Catalog;

/// <summary>
/// Runs the harvest configuration's <c>schedule</c>: each scheduled harvest, when due, becomes start_harvest's harvest
/// tasks (one per search, over its look-back window), owned by the service. Which server queues a run is decided by
/// the database (<see cref="ISceneCatalog.ClaimScheduledRunAsync"/>), so that several servers queue it once.
/// </summary>
public sealed class HarvestScheduler(HarvestConfiguration configuration, ISceneCatalog catalog, ITaskStore tasks, TaskSignal signal,
    ILogger<HarvestScheduler> log, TimeProvider? time = null) : BackgroundService
{
    /// <summary>Who owns the tasks a schedule queues.</summary>
    public const string Owner = "scheduler";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.Schedule.Count == 0)
        {
            return;
        }
        // Often enough that a run starts within a quarter of its interval (and at least every 30 s).
        var tick = TimeSpan.FromTicks(Math.Clamp(configuration.Schedule.Min(s => s.Every.Ticks) / 4, TimeSpan.FromMilliseconds(250).Ticks,
            TimeSpan.FromSeconds(30).Ticks));
        using var timer = new PeriodicTimer(tick, _time);
        do
        {
            foreach (var harvest in configuration.Schedule)
            {
                try
                {
                    await RunIfDueAsync(harvest, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "scheduled harvest {Name} could not be queued", harvest.Name);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunIfDueAsync(ScheduledHarvest harvest, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!await catalog.ClaimScheduledRunAsync(harvest.Name, now, harvest.Every, cancellationToken))
        {
            return;
        }
        var requests = StartHarvest.Requests(harvest.Body(now), configuration);
        foreach (var request in requests)
        {
            await tasks.CreateAsync(new NewTask($"harvest {request.Source} (scheduled: {harvest.Name})", CatalogTaskTypes.Harvest, Owner, "{}",
                ParametersJson: request.ToJson().ToJsonString()), cancellationToken);
        }
        signal.Notify();
        log.LogInformation("scheduled harvest {Name}: {Count} harvest tasks queued", harvest.Name, requests.Count);
    }
}
