using Microsoft.Extensions.Hosting;
using Tessera.Tasks.Workers;

namespace Tessera.Server.Hosting;

/// <summary>Runs the embedded workers and the rescuer for as long as the host runs.</summary>
internal sealed class WorkerService(IReadOnlyList<TaskWorker> workers, TaskRescuer rescuer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(workers.Select(w => w.RunAsync(stoppingToken)).Append(rescuer.RunAsync(stoppingToken)));
}
