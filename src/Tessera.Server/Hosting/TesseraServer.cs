using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Api;
using Tessera.Server.OpenEo;
using Tessera.Server.Tiles;

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
        var host = options.Host;
        var parts = await ServiceParts.OpenAsync(host.DataFolder, host.Database, host.MaxUploadBytes, host.PreviewSize, host.AllowedHosts,
            host.ProviderSettings, host.CatalogFolders, host.TaskRetryDelay, host.Publish, host.SplitTile);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Every handled error would be logged there with its stack; ApiErrors logs the server's own failures (5xx) itself.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None);
        // Structured logs: one JSON object a line, for journald, Loki and the like.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = host.MaxUploadBytes + (1 << 20));
        builder.Services.AddTesseraHost(parts, host);
        builder.Services.AddSingleton(host.HarvestConfig is { } harvests
            ? Tessera.Catalog.Harvest.HarvestConfiguration.Load(harvests) : Tessera.Catalog.Harvest.HarvestConfiguration.Empty);
        builder.Services.AddHostedService<Tessera.Host.Catalog.HarvestScheduler>();
        builder.Services.AddSingleton(parts.Jobs);
        builder.Services.AddSingleton(new Tessera.Server.OpenEo.ResultLinks(host.DataFolder));
        builder.Services.AddSingleton(_ => new Tessera.Server.OpenEo.CoverageCache()); // made by the container: disposed with it
        builder.Services.AddSingleton(new TileService(options.Tiles ?? new TileOptions()));
        builder.Services.AddSingleton(tokens);
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
        app.UseOpenEoCors();
        app.UseExceptionHandler(error => error.Run(ApiErrors.HandleAsync));
        app.UseProblemBodies();
        app.UseRouting();
        app.UseBodyLimits();
        app.UseMiddleware<TokenAuthentication>();
        app.MapHealthApi();
        app.MapFilesApi(host.MaxUploadBytes);
        app.MapProcessTaskApi();
        app.MapPublishApi();
        app.MapTilesApi();
        app.MapRasterQueriesApi();
        app.MapCollectionSeriesApi();
        app.MapStacApi();
        app.MapCatalogApi();
        app.MapDownloadApi();
        app.MapRadcorApi();
        app.MapIngestApi();
        app.MapOpenEoApi();
        app.MapSeedExecute();
        app.MapWebPage();
        app.MapMetricsApi();
        app.MapOpenApi("/openapi.json").AllowAnyone();
        return app;
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
