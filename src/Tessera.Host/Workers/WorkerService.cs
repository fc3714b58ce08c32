using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Host.Maintenance;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Workers;

/// <summary>Runs the embedded workers, the rescuer, the leftover sweeper, the periodic cleanup and the database's
/// wake-ups for as long as the host runs. A worker that gives up stops the whole server with an error.</summary>
public sealed class WorkerService(ServiceParts parts, IReadOnlyList<TaskWorker> workers, TaskRescuer rescuer, LeftoverSweeper sweeper, TaskCleanup cleanup,
    TimeSpan keepFinished, IHostApplicationLifetime lifetime, ILogger<WorkerService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // What tasks open comes from callers: GeoTIFFs only, nothing that names other files or addresses.
        Tessera.Raster.RasterFilePolicy.Apply(Tessera.Raster.RasterFilePolicy.Service);
        await Task.WhenAll(workers.Select(w => WatchAsync(w.RunAsync(stoppingToken)))
            .Append(rescuer.RunAsync(stoppingToken))
            .Append(sweeper.RunAsync(stoppingToken))
            .Append(CleanAsync(stoppingToken))
            .Append(parts.ListenAsync(stoppingToken)));
    }

    private async Task WatchAsync(Task worker)
    {
        try
        {
            await worker;
        }
        catch (WorkerFailedException e)
        {
            log.LogCritical(e, "an embedded worker gave up; the server stops");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task CleanAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                var report = await cleanup.RunAsync(keepFinished, owner: null, stoppingToken);
                if (report.Tasks.Count + report.Files.Count > 0)
                {
                    log.LogInformation("cleanup: {Tasks} finished task(s) deleted, {Files} result file(s) no task uses removed ({Bytes} bytes)",
                        report.Tasks.Count, report.Files.Count, report.Bytes);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("deleting old finished tasks failed ({Message}); trying again in an hour", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }
}
