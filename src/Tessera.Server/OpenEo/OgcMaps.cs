using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Host.Catalog;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Evaluation;
using Tessera.Server.Access;
using Tessera.Tasks.Jobs;
using Tessera.Tasks.Stores;

namespace Tessera.Server.OpenEo;

/// <summary>
/// What map clients read, without an Authorization header (a key in the address instead, <see cref="ResultLinks.AccessKey"/>):
/// XYZ PNG tiles, WMTS 1.0.0 (KVP GetCapabilities, GetTile: <see cref="WmtsDocuments"/>) and WCS 2.0.1 (KVP
/// GetCapabilities, DescribeCoverage, GetCoverage: <see cref="WcsDocuments"/>) of a secondary web service (its graph
/// evaluated lazily: each request computes only its pixels, <see cref="CubeReader"/>) and of a finished batch job's
/// stored result. This resolves what an address reads (its key checked; a service's graph evaluated once and kept a
/// while: <see cref="CoverageCache"/>); <see cref="OgcRequests"/> answers the protocols.
/// </summary>
public static class OgcMaps
{
    public static void MapOgcMaps(this RouteGroupBuilder api)
    {
        api.MapGet("/services/{service_id}/{key}/xyz/{z}/{x}/{tile}", ServiceTileAsync).AllowAnyone();
        api.MapGet("/services/{service_id}/{key}/wmts", ServiceWmtsAsync).AllowAnyone();
        api.MapGet("/services/{service_id}/{key}/wcs", ServiceWcsAsync).AllowAnyone();
        api.MapGet("/jobs/{job_id}/results/{key}/xyz/{z}/{x}/{tile}", JobTileAsync).AllowAnyone();
        api.MapGet("/jobs/{job_id}/results/{key}/wmts", JobWmtsAsync).AllowAnyone();
        api.MapGet("/jobs/{job_id}/results/{key}/wcs", JobWcsAsync).AllowAnyone();
    }

    private static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    /// <summary>The addresses of a service start here.</summary>
    private static string ServicePrefix(string baseUrl, WebService service, ResultLinks links) =>
        $"{baseUrl}{OpenEoApi.Root}/services/{service.Id}/{links.AccessKey("service:" + service.Id)}";

    /// <summary>The addresses of a job's result start here; they expire with its download links.</summary>
    public static string JobPrefix(string baseUrl, string job, ResultLinks links, DateTimeOffset expires) =>
        $"{baseUrl}{OpenEoApi.Root}/jobs/{job}/results/{links.AccessKey("job:" + job, expires)}";

    /// <summary>A service's <c>url</c>: the XYZ template, or the WMTS KVP address.</summary>
    public static string ServiceUrl(string baseUrl, WebService service, ResultLinks links) =>
        ServicePrefix(baseUrl, service, links) + (service.Type == "XYZ" ? "/xyz/{z}/{x}/{y}.png" : "/wmts");

    /// <summary>All of a service's addresses, whatever its type.</summary>
    public static JsonObject ServiceAttributes(string baseUrl, WebService service, ResultLinks links)
    {
        var prefix = ServicePrefix(baseUrl, service, links);
        return new JsonObject
        {
            ["xyz"] = prefix + "/xyz/{z}/{x}/{y}.png",
            ["wmts"] = prefix + "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
            ["wmts_layer"] = service.Id,
            ["tile_matrix_set"] = WmtsDocuments.TileMatrixSet,
            ["wcs"] = prefix + "/wcs?SERVICE=WCS&REQUEST=GetCapabilities&VERSION=2.0.1",
            ["wcs_coverage"] = service.Id,
        };
    }

    /// <summary>Whether a job's stored result is one these addresses serve: a georeferenced raster in a GeoTIFF.</summary>
    public static bool Serves(Tessera.Catalog.Files.StoredFile file) =>
        file.Raster is not null && Path.GetExtension(file.RelativePath).ToLowerInvariant() is ".tif" or ".tiff";

    /// <summary>The key the coverage of a job's result is kept under starts so.</summary>
    public static string CacheKeyPrefix(string job) => $"job:{job}:";

    /// <summary>The key the coverages of a service are kept under start so.</summary>
    public static string CacheKeyPrefix(WebService service) => $"service:{service.Id}:";

    // ----- resolving what is read

    private static async Task<(CoverageLease Lease, ServiceStyle Style, string Key)> ServiceCoverageAsync(HttpContext context, string id, string key,
        CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var links = Get<ResultLinks>(services);
        if (!links.CheckAccessKey("service:" + id, key, DateTimeOffset.UtcNow))
        {
            throw new OpenEoException(StatusCodes.Status403Forbidden, "CredentialsInvalid", "this address is not one of the service's: describe the service again (GET /services/{id})");
        }
        var store = Get<DbJobStore>(services);
        var service = await store.GetServiceAsync(id, null, cancellationToken) is { Enabled: true } found ? found
            : throw new OpenEoException(StatusCodes.Status404NotFound, "ServiceNotFound", $"service '{id}' does not exist or is disabled");
        var cacheKey = CacheKeyPrefix(service) + service.Updated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        // What the evaluation needs is taken now: it may outlive this request (and its services' scope) when the caller goes.
        var (parts, options) = (Get<Tessera.Host.ServiceParts>(services), Get<Tessera.Host.ServiceOptions>(services));
        var lease = await Get<CoverageCache>(services).LeaseAsync(cacheKey, () => EvaluateAsync(parts, options, store, service), cancellationToken);
        return (lease, ServiceStyle.Of(service.Configuration), cacheKey);
    }

    /// <summary>A service's graph evaluated (its catalog search as its owner sees the catalog) into a lazy cube; what it found logged.</summary>
    private static async Task<Coverage> EvaluateAsync(Tessera.Host.ServiceParts parts, Tessera.Host.ServiceOptions options, DbJobStore store, WebService service)
    {
        var level = WebService.LogLevels.ToList().IndexOf(service.LogLevel);
        var lines = new List<(string Level, string Message)>();
        async Task LogAsync(string lineLevel, string message)
        {
            if (WebService.LogLevels.ToList().IndexOf(lineLevel) >= level)
            {
                await store.LogServiceAsync(service.Id, lineLevel, message);
            }
        }
        var folder = Directory.CreateDirectory(Path.Combine(options.DataFolder, "work", "openeo")).FullName;
        // Tessera's operations in the graph run now, on files, within what a synchronous request may compute.
        var evaluator = new GraphEvaluator(new CatalogSceneSource(parts.Catalog, parts.Assets, service.Owner),
            new Progress(line => { lock (lines) { lines.Add(("info", line)); } }), folder)
        {
            OperationBudget = new PixelBudget(options.OpenEoSyncMegapixels * 1_000_000L),
        };
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // The user's processes as they were when the service's graph was given, not as they are now.
            var graph = Tessera.Processing.Graphs.UserDefined.UserProcessExpander.Prepare(GraphParser.ParseProcess(JsonNode.Parse(service.Process)),
                Tessera.Processing.Graphs.UserDefined.UserProcesses.FromSnapshot(service.UserProcesses));
            var saved = await evaluator.RunAsync(graph, CancellationToken.None);
            if (saved.Vector is not null)
            {
                throw new GraphException("ProcessGraphInvalid", "the graph saves a vector cube (aggregate_spatial's): a map shows a raster cube", graph.ResultNode);
            }
            if (saved.Cube.TimeCount > 1)
            {
                throw new GraphException("DataCubeDimensionsUnsupported",
                    $"the cube still has {saved.Cube.TimeCount} times; a map shows one: reduce the dimension t first (reduce_dimension)", graph.ResultNode);
            }
            var coverage = new Coverage(service.Id, service.Title ?? service.Id, saved.Cube, evaluator);
            foreach (var (l, m) in lines)
            {
                await LogAsync(l, m);
            }
            await LogAsync("info", string.Create(CultureInfo.InvariantCulture,
                $"graph evaluated in {clock.Elapsed.TotalMilliseconds:0} ms: a cube of {saved.Cube.Grid.Width} x {saved.Cube.Grid.Height} pixels, {saved.Cube.BandCount} band(s) over {saved.Cube.Inputs.Count} band file(s); tiles up to zoom {coverage.MaxZoom}"));
            return coverage;
        }
        catch (Exception e)
        {
            evaluator.Dispose();
            await LogAsync("error", $"the graph could not be evaluated: {e.Message}");
            throw;
        }
    }

    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    private static async Task<(CoverageLease Lease, string Key)> JobCoverageAsync(HttpContext context, string id, string key,
        CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        if (!Get<ResultLinks>(services).CheckAccessKey("job:" + id, key, DateTimeOffset.UtcNow))
        {
            throw new OpenEoException(StatusCodes.Status403Forbidden, "CredentialsInvalid", "the address is not signed by this server, or it has expired: list the job's results again");
        }
        var job = await Get<DbJobStore>(services).GetAsync(id, null, cancellationToken);
        var task = job?.TaskId is { } taskId ? await Get<ITaskStore>(services).GetAsync(taskId, cancellationToken) : null;
        if (task is not { Status: Tessera.Tasks.TaskStatus.PublishCompleted, Result: { } result })
        {
            throw new OpenEoException(StatusCodes.Status404NotFound, "JobNotFinished", $"job '{id}' has no stored result");
        }
        var files = Get<Tessera.Catalog.Files.FileStore>(services);
        if (await files.GetAsync(result.OutputFileId, null, cancellationToken) is not { } stored || !Serves(stored))
        {
            throw new OpenEoException(StatusCodes.Status404NotFound, "NotFound", $"the result of job '{id}' is not a GeoTIFF: no map of it is served");
        }
        var path = await files.PathOfAsync(stored.Id, null, cancellationToken);
        var cacheKey = CacheKeyPrefix(id) + result.OutputFileId.ToString(CultureInfo.InvariantCulture);
        var lease = await Get<CoverageCache>(services).LeaseAsync(cacheKey,
            () => Task.FromResult(new Coverage(id, job!.Title ?? id, CubeReader.OfFile(path))), cancellationToken);
        return (lease, cacheKey);
    }

    private static T Get<T>(IServiceProvider services) where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"no {typeof(T).Name} registered"));

    // ----- handlers

    private static async Task<IResult> ServiceTileAsync(HttpContext context, string service_id, string key, string z, string x, string tile, CancellationToken cancellationToken)
    {
        var (lease, style, cacheKey) = await ServiceCoverageAsync(context, service_id, key, cancellationToken);
        using (lease)
        {
            return await OgcRequests.TileAsync(context, lease.Coverage, style, cacheKey, z, x, tile, cancellationToken);
        }
    }

    private static async Task<IResult> JobTileAsync(HttpContext context, string job_id, string key, string z, string x, string tile, CancellationToken cancellationToken)
    {
        var (lease, cacheKey) = await JobCoverageAsync(context, job_id, key, cancellationToken);
        using (lease)
        {
            return await OgcRequests.TileAsync(context, lease.Coverage, ServiceStyle.None, cacheKey, z, x, tile, cancellationToken);
        }
    }

    private static async Task<IResult> ServiceWmtsAsync(HttpContext context, string service_id, string key, CancellationToken cancellationToken)
    {
        var (lease, style, cacheKey) = await ServiceCoverageAsync(context, service_id, key, cancellationToken);
        using (lease)
        {
            return await OgcRequests.WmtsAsync(context, lease.Coverage, style, cacheKey, cancellationToken);
        }
    }

    private static async Task<IResult> JobWmtsAsync(HttpContext context, string job_id, string key, CancellationToken cancellationToken)
    {
        var (lease, cacheKey) = await JobCoverageAsync(context, job_id, key, cancellationToken);
        using (lease)
        {
            return await OgcRequests.WmtsAsync(context, lease.Coverage, ServiceStyle.None, cacheKey, cancellationToken);
        }
    }

    private static async Task<IResult> ServiceWcsAsync(HttpContext context, string service_id, string key, CancellationToken cancellationToken)
    {
        var (lease, _, _) = await ServiceCoverageAsync(context, service_id, key, cancellationToken);
        using (lease)
        {
            return await OgcRequests.WcsAsync(context, lease.Coverage, cancellationToken);
        }
    }

    private static async Task<IResult> JobWcsAsync(HttpContext context, string job_id, string key, CancellationToken cancellationToken)
    {
        var (lease, _) = await JobCoverageAsync(context, job_id, key, cancellationToken);
        using (lease)
        {
            return await OgcRequests.WcsAsync(context, lease.Coverage, cancellationToken);
        }
    }
}
