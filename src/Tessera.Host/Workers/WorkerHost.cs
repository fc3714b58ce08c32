using Microsoft.Extensions.Logging;
using Tessera.Host.Maintenance;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Workers;

/// <summary>
/// <c>tessera worker</c>: workers and a rescuer without the HTTP API, for scale-out — any number of these on
/// any number of machines, sharing one PostgreSQL database and one data folder (NFS or similar). Logs one JSON
/// object a line on standard error. When a worker gives up (its database or disk failed for minutes), the others
/// are stopped too and the error ends the process, for its supervisor to see.
/// </summary>
public static class WorkerHost
{
    /// <summary>The worker process's logs: JSON lines on standard error (standard output stays free).</summary>
    public static ILoggerFactory Logs() => LoggerFactory.Create(logging => logging
        .AddJsonConsole(json => json.IncludeScopes = true)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddFilter("Npgsql", LogLevel.Warning)
        .SetMinimumLevel(LogLevel.Information));

    /// <param name="wakeUps">Lines read from here (a supervising server's pipe) wake the workers; its end stops them.</param>
    /// <param name="reports">Where the workers' measurements are written for a supervising server (<see cref="WorkerReport"/>), or null.</param>
    public static async Task RunAsync(ServiceOptions options, CancellationToken stopping, TextReader? wakeUps = null, ILoggerFactory? logs = null,
        TextWriter? reports = null)
    {
        // What tasks open comes from callers: GeoTIFFs only, nothing that names other files or addresses.
        Tessera.Raster.RasterFilePolicy.Apply(Tessera.Raster.RasterFilePolicy.Service);
        using var ownLogs = logs is null ? Logs() : null;
        logs ??= ownLogs!;
        var log = logs.CreateLogger("Tessera.Worker");
        await using var parts = await ServiceParts.OpenAsync(options.DataFolder, options.Database, options.MaxUploadBytes, options.PreviewSize,
            options.AllowedHosts, options.ProviderSettings, options.CatalogFolders, options.TaskRetryDelay, options.Publish, options.SplitTile);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var rescuer = new TaskRescuer(parts.Tasks, options.RescueInterval, options.MaxAttempts, log: log);
        rescuer.Rescued += _ => parts.Signal.Notify(); // what was taken back is claimable now: wake the workers
        var sweeper = new LeftoverSweeper(parts, options.DataFolder, rescuer, idle: options.LeftoverAge, log: log);
        var workers = parts.Workers(Math.Max(1, options.Workers), options, logs);
        log.LogInformation("worker process {Pid} started: {Count} worker(s), database {Database}, data {Data}", Environment.ProcessId, workers.Count,
            options.Database is null ? "SQLite" : "PostgreSQL", options.DataFolder);
        var running = workers.Select(w => w.RunAsync(stop.Token))
            .Append(rescuer.RunAsync(stop.Token))
            .Append(sweeper.RunAsync(stop.Token))
            .Append(parts.ListenAsync(stop.Token))
            .ToList();
        if (reports is not null)
        {
            running.Add(WorkerReport.WriteAsync(parts.Metrics, reports, stop.Token));
        }
        if (wakeUps is not null)
        {
            running.Add(Task.Run(async () =>
            {
                while (await wakeUps.ReadLineAsync(stop.Token) is not null)
                {
                    parts.Signal.Notify();
                }
                stop.Cancel(); // the supervisor closed the pipe: stop, giving back the task in hand
            }, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default));
        }
        // The first loop to fail stops the others (each gives back the task in hand), then the failure ends the process.
        var pending = running.ToList();
        while (pending.Count > 0)
        {
            var ended = await Task.WhenAny(pending);
            pending.Remove(ended);
            if (ended.IsFaulted)
            {
                stop.Cancel();
                await Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default);
                log.LogCritical(ended.Exception!.GetBaseException(), "worker process {Pid} stops with an error", Environment.ProcessId);
                await ended;
            }
        }
        log.LogInformation("worker process {Pid} stopped", Environment.ProcessId);
    }
}
