using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Server.Access;
using Tessera.Server.Api;
using Tessera.Server.Publishing;
using Tessera.Server.Tiles;
using Tessera.Tasks.Workers;

namespace Tessera.Server.Hosting;

/// <summary>Builds the service: stores, file store, embedded workers, and the HTTP API. The stores are
/// disposed with the application.</summary>
public static class TesseraServer
{
    /// <param name="announce">Told the admin token made on a first start on loopback (shown once).</param>
    public static async Task<WebApplication> BuildAsync(ServerOptions options, Action<string>? announce = null)
    {
        var uri = new Uri(options.Url);
        Directory.CreateDirectory(options.DataFolder);
        var tokens = new TokenStore(options.DataFolder);
        if (options.AdminToken is { } chosen)
        {
            tokens.EnsureKnown(chosen, "admin", Role.Admin);
        }
        if (tokens.IsEmpty)
        {
            if (!IsLoopback(uri.Host))
            {
                throw new InvalidOperationException(
                    $"refusing to listen on {uri.Host} without API tokens: create one first with 'tessera token create --role admin --user NAME --data {options.DataFolder}'");
            }
            // The local default stays easy: a first start on loopback makes an admin token and says it once.
            announce?.Invoke(tokens.Create("local", Role.Admin));
        }
        var parts = await ServiceParts.OpenAsync(options.DataFolder, options.Database, options.MaxUploadBytes, options.PreviewSize);
        var supervised = options.WorkerCommand is not null && options.Workers > 0;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Every handled error would be logged there with its stack; ApiErrors logs the server's own failures (5xx) itself.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None);
        // Structured logs: one JSON object a line, for journald, Loki and the like.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes + (1 << 20));
        builder.Services.AddSingleton(_ => parts); // created by the container's factory: disposed with it
        builder.Services.AddSingleton(parts.Tasks);
        builder.Services.AddSingleton(parts.Files);
        builder.Services.AddSingleton(parts.Signal);
        builder.Services.AddSingleton(parts.Metrics);
        builder.Services.AddSingleton(parts.Previews);
        builder.Services.AddSingleton(new StacCatalog(parts.Tasks, parts.Files));
        builder.Services.AddSingleton(new TileService(options.Tiles ?? new TileOptions()));
        var cleanup = new TaskCleanup(parts.Tasks, Path.Combine(options.DataFolder, "work"));
        builder.Services.AddSingleton(cleanup);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton(services =>
        {
            var rescuer = new TaskRescuer(parts.Tasks, options.RescueInterval, options.MaxAttempts,
                log: services.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Worker"));
            rescuer.Rescued += _ => parts.Signal.Notify(); // what was taken back is claimable now: wake the workers
            return rescuer;
        });
        builder.Services.AddSingleton(new Readiness(parts.Tasks, options.DataFolder, options.MinFreeBytes));
        builder.Services.AddHostedService(services =>
        {
            var logs = services.GetRequiredService<ILoggerFactory>();
            var rescuer = services.GetRequiredService<TaskRescuer>();
            return new WorkerService(parts, supervised ? [] : parts.Workers(options.Workers, options, logs), rescuer,
                new LeftoverSweeper(parts, options.DataFolder, rescuer, idle: options.LeftoverAge, log: logs.CreateLogger("Tessera.Worker")),
                cleanup, TimeSpan.FromDays(options.KeepFinishedDays), services.GetRequiredService<IHostApplicationLifetime>(),
                services.GetRequiredService<ILogger<WorkerService>>());
        });
        if (supervised)
        {
            builder.Services.AddSingleton(options);
            builder.Services.AddHostedService<WorkerSupervisor>();
        }
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        // A body or query that cannot be bound is an error of the documented shape naming the field, not an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();

        var app = builder.Build();
        app.Use((context, next) =>
        {
            // What requests open comes from callers: GeoTIFFs only, nothing that names other files or addresses.
            Tessera.Raster.RasterFilePolicy.Apply(Tessera.Raster.RasterFilePolicy.Service);
            return next(context);
        });
        app.UseExceptionHandler(error => error.Run(ApiErrors.HandleAsync));
        app.UseProblemBodies();
        app.UseRouting();
        app.UseBodyLimits();
        app.UseMiddleware<TokenAuthentication>();
        app.MapHealthApi();
        app.MapFilesApi(options.MaxUploadBytes);
        app.MapProcessTaskApi();
        app.MapPublishApi();
        app.MapTilesApi();
        app.MapStacApi();
        app.MapWebPage();
        app.MapMetricsApi();
        app.MapOpenApi("/openapi.json").AllowAnyone();
        return app;
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
