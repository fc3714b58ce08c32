using Tessera.Tasks.Workers;

namespace Tessera.Server.Hosting;

/// <summary>
/// <c>tessera worker</c>: workers and a rescuer without the HTTP API, for scale-out — any number of these on
/// any number of machines, sharing one PostgreSQL database and one data folder (NFS or similar).
/// </summary>
public static class WorkerHost
{
    public static async Task RunAsync(ServerOptions options, CancellationToken stopping)
    {
        await using var parts = await ServiceParts.OpenAsync(options.DataFolder, options.Database, options.MaxUploadBytes);
        var rescuer = new TaskRescuer(parts.Tasks, TimeSpan.FromSeconds(15), maxAttempts: 3);
        await Task.WhenAll(parts.Workers(Math.Max(1, options.Workers), options.DataFolder, options.PollInterval)
            .Select(w => w.RunAsync(stopping))
            .Append(rescuer.RunAsync(stopping))
            .Append(parts.ListenAsync(stopping)));
    }
}
