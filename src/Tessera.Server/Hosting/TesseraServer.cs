using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Catalog.Files;
using Tessera.Catalog.Files.Sqlite;
using Tessera.Server.Api;
using Tessera.Server.Handlers;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Stores.Sqlite;
using Tessera.Tasks.Workers;

namespace Tessera.Server.Hosting;

/// <summary>Builds the service: stores, file store, embedded workers, and the HTTP API.</summary>
public static class TesseraServer
{
    public static async Task<WebApplication> BuildAsync(ServerOptions options)
    {
        var uri = new Uri(options.Url);
        if (!IsLoopback(uri.Host))
        {
            throw new InvalidOperationException(
                $"refusing to listen on {uri.Host}: this version has no access tokens yet, so it serves loopback only (127.0.0.1)");
        }
        Directory.CreateDirectory(options.DataFolder);
        var database = Path.Combine(options.DataFolder, "tessera.db");
        var tasks = await SqliteTaskStore.OpenAsync(database);
        var files = new FileStore(new FileStoreOptions(options.DataFolder, options.MaxUploadBytes), await SqliteFileRegistry.OpenAsync(database));
        var signal = new TaskSignal();
        ITaskHandler[] handlers = [new IndexTaskHandler(files)];
        var workers = Enumerable.Range(0, options.Workers).Select(i => new TaskWorker(tasks, handlers,
            new WorkerOptions($"{Environment.MachineName}:{Environment.ProcessId}:{i}", Path.Combine(options.DataFolder, "work"),
                PollInterval: options.PollInterval), signal)).ToList();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes + (1 << 20));
        builder.Services.AddSingleton<ITaskStore>(tasks);
        builder.Services.AddSingleton(files);
        builder.Services.AddSingleton(signal);
        var cleanup = new TaskCleanup(tasks, Path.Combine(options.DataFolder, "work"));
        builder.Services.AddSingleton(cleanup);
        builder.Services.AddHostedService(_ => new WorkerService(workers, new TaskRescuer(tasks, TimeSpan.FromSeconds(15), maxAttempts: 3),
            cleanup, TimeSpan.FromDays(options.KeepFinishedDays)));
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseExceptionHandler(error => error.Run(ApiErrors.HandleAsync));
        app.MapHealthApi();
        app.MapFilesApi();
        app.MapProcessTaskApi();
        return app;
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
