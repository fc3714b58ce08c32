using Microsoft.Extensions.Hosting;
using Tessera.Tasks.Workers;

namespace Tessera.Server.Hosting;

/// <summary>Runs the embedded workers, the rescuer, the periodic cleanup and the database's wake-ups for as
/// long as the host runs.</summary>
internal sealed class WorkerService(ServiceParts parts, IReadOnlyList<TaskWorker> workers, TaskRescuer rescuer, PendingSweeper sweeper, TaskCleanup cleanup,
    TimeSpan keepFinished) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(workers.Select(w => w.RunAsync(stoppingToken))
            .Append(rescuer.RunAsync(stoppingToken))
            .Append(sweeper.RunAsync(stoppingToken))
            .Append(CleanAsync(stoppingToken))
            .Append(parts.ListenAsync(stoppingToken)));

    private async Task CleanAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        try
        {
            do
            {
                await cleanup.RunAsync(keepFinished, owner: null, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
