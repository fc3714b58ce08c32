using Tessera.Tasks.Workers;

namespace Tessera.Server.Hosting;

/// <summary>
/// <c>tessera worker</c>: workers and a rescuer without the HTTP API, for scale-out — any number of these on
/// any number of machines, sharing one PostgreSQL database and one data folder (NFS or similar).
/// </summary>
public static class WorkerHost
{
    /// <param name="wakeUps">Lines read from here (a supervising server's pipe) wake the workers; its end stops them.</param>
    public static async Task RunAsync(ServerOptions options, CancellationToken stopping, TextReader? wakeUps = null)
    {
        await using var parts = await ServiceParts.OpenAsync(options.DataFolder, options.Database, options.MaxUploadBytes, options.PreviewSize);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var rescuer = new TaskRescuer(parts.Tasks, options.RescueInterval, options.MaxAttempts);
        var sweeper = new PendingSweeper(parts, rescuer);
        var running = parts.Workers(Math.Max(1, options.Workers), options)
            .Select(w => w.RunAsync(stop.Token))
            .Append(rescuer.RunAsync(stop.Token))
            .Append(sweeper.RunAsync(stop.Token))
            .Append(parts.ListenAsync(stop.Token))
            .ToList();
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
        await Task.WhenAll(running);
    }
}
