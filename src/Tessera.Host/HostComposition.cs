using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Host.Maintenance;
using Tessera.Host.Workers;
using Tessera.Tasks.Workers;

namespace Tessera.Host;

/// <summary>
/// The machinery any front (the HTTP API, or none) runs on, composed once: the stores and the file store of
/// <see cref="ServiceParts"/>, the workers (embedded, or in a supervised child process when the options say how to
/// start one), the rescuer, the leftover sweeper, the periodic cleanup, and the readiness check.
/// </summary>
public static class HostComposition
{
    public static IServiceCollection AddTesseraHost(this IServiceCollection services, ServiceParts parts, ServiceOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(_ => parts); // created by the container's factory: disposed with it
        services.AddSingleton(parts.Tasks);
        services.AddSingleton(parts.Files);
        services.AddSingleton(parts.Catalog);
        services.AddSingleton(parts.Signal);
        services.AddSingleton(parts.Metrics);
        services.AddSingleton(new Workers.WorkerProcessMetrics());
        services.AddSingleton(parts.Previews);
        var cleanup = new TaskCleanup(parts.Tasks, parts.Catalog, parts.Files, Path.Combine(options.DataFolder, "work"));
        services.AddSingleton(cleanup);
        services.AddSingleton(provider =>
        {
            var rescuer = new TaskRescuer(parts.Tasks, options.RescueInterval, options.MaxAttempts,
                log: provider.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Worker"));
            rescuer.Rescued += _ => parts.Signal.Notify(); // what was taken back is claimable now: wake the workers
            return rescuer;
        });
        services.AddSingleton(new Readiness(parts.Tasks, options.DataFolder, options.MinFreeBytes));
        var supervised = options.WorkerCommand is not null && options.Workers > 0;
        services.AddHostedService(provider =>
        {
            var logs = provider.GetRequiredService<ILoggerFactory>();
            var rescuer = provider.GetRequiredService<TaskRescuer>();
            return new WorkerService(parts, supervised ? [] : parts.Workers(options.Workers, options, logs), rescuer,
                new LeftoverSweeper(parts, options.DataFolder, rescuer, idle: options.LeftoverAge, log: logs.CreateLogger("Tessera.Worker")),
                cleanup, TimeSpan.FromDays(options.KeepFinishedDays), provider.GetRequiredService<IHostApplicationLifetime>(),
                provider.GetRequiredService<ILogger<WorkerService>>());
        });
        if (supervised)
        {
            services.AddHostedService<WorkerSupervisor>();
        }
        return services;
    }
}
