using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Host.Catalog;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Evaluation;
using Tessera.Raster;
using Tessera.Raster.Rendering;
using Tessera.Raster.Tiles;
using Tessera.Server.Access;
using Tessera.Server.Tiles;
using Tessera.Tasks.Jobs;
using Tessera.Tasks.Stores;

namespace Tessera.Server.OpenEo;

/// <summary>
/// What map clients read, without an Authorization header (a key in the address instead, <see cref="ResultLinks.AccessKey"/>):
/// XYZ PNG tiles, WMTS 1.0.0 (KVP GetCapabilities, GetTile: <see cref="WmtsDocuments"/>) and WCS 2.0.1 (KVP
/// GetCapabilities, DescribeCoverage, GetCoverage: <see cref="WcsDocuments"/>) of a secondary web service (its graph
/// evaluated lazily: each request computes only its pixels, <see cref="CubeReader"/>) and of a finished batch job's
/// stored result. Tiles outside the data are transparent; rendered tiles are kept in the tile cache.
/// </summary>
public static class OgcMaps
{
    private static readonly string[] ConfigurationFields = ["colormap", "rescale", "bands"];

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

    private static IResult Xml(XDocument document) =>
        Results.Text(document.Declaration + "\n" + document.Root, "application/xml", Encoding.UTF8);

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
        return (lease, ServiceStyle.Of(service.Configuration, ConfigurationFields), cacheKey);
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
        var evaluator = new GraphEvaluator(new CatalogSceneSource(parts.Catalog, parts.Assets, service.Owner),
            new Progress(line => { lock (lines) { lines.Add(("info", line)); } }), folder);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var graph = OpenEoResults.Read(System.Text.Json.Nodes.JsonNode.Parse(service.Process));
            var saved = await evaluator.RunAsync(graph, CancellationToken.None);
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
            return await TileAsync(context, lease.Coverage, style, cacheKey, z, x, tile, cancellationToken);
        }
    }

    private static async Task<IResult> JobTileAsync(HttpContext context, string job_id, string key, string z, string x, string tile, CancellationToken cancellationToken)
    {
        var (lease, cacheKey) = await JobCoverageAsync(context, job_id, key, cancellationToken);
        using (lease)
        {
            return await TileAsync(context, lease.Coverage, ServiceStyle.None, cacheKey, z, x, tile, cancellationToken);
        }
    }

    private static async Task<IResult> ServiceWmtsAsync(HttpContext context, string service_id, string key, CancellationToken cancellationToken)
    {
        var (lease, style, cacheKey) = await ServiceCoverageAsync(context, service_id, key, cancellationToken);
        using (lease)
        {
            return await WmtsAsync(context, lease.Coverage, style, cacheKey, cancellationToken);
        }
    }

    private static async Task<IResult> JobWmtsAsync(HttpContext context, string job_id, string key, CancellationToken cancellationToken)
    {
        var (lease, cacheKey) = await JobCoverageAsync(context, job_id, key, cancellationToken);
        using (lease)
        {
            return await WmtsAsync(context, lease.Coverage, ServiceStyle.None, cacheKey, cancellationToken);
        }
    }

    private static async Task<IResult> ServiceWcsAsync(HttpContext context, string service_id, string key, CancellationToken cancellationToken)
    {
        var (lease, _, _) = await ServiceCoverageAsync(context, service_id, key, cancellationToken);
        using (lease)
        {
            return await WcsAsync(context, lease.Coverage, cancellationToken);
        }
    }

    private static async Task<IResult> JobWcsAsync(HttpContext context, string job_id, string key, CancellationToken cancellationToken)
    {
        var (lease, _) = await JobCoverageAsync(context, job_id, key, cancellationToken);
        using (lease)
        {
            return await WcsAsync(context, lease.Coverage, cancellationToken);
        }
    }

    // ----- protocols

    /// <summary>The KVP parameters by upper-case name (OGC's keys are compared without case), each with all its values.</summary>
    private static Func<string, IReadOnlyList<string>> Kvp(HttpContext context)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in context.Request.Query)
        {
            var list = values.TryGetValue(name, out var known) ? known : values[name] = [];
            list.AddRange(value.Where(v => v is not null)!);
        }
        return name => values.TryGetValue(name, out var list) ? list : [];
    }

    private static string Endpoint(HttpContext context) => $"{Base(context)}{context.Request.Path}";

    private static async Task<IResult> TileAsync(HttpContext context, Coverage coverage, ServiceStyle configured, string cacheKey, string z, string x, string tile,
        CancellationToken cancellationToken)
    {
        var dot = tile.LastIndexOf('.');
        if (!int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out var zi) || !int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var xi)
            || dot < 1 || !int.TryParse(tile[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var yi))
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "give a tile as {z}/{x}/{y}.png");
        }
        var format = ImageFormats.FromExtension(tile[(dot + 1)..]) is { } f && f != ImageFormat.Npy && ImageEncoder.CanEncode(f) ? f
            : throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"tiles are served as .png (or .jpg, .webp), not '{tile[(dot + 1)..]}'");
        var address = TileAddress.TryCreate(zi, xi, yi, out var error) ?? throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", error!);
        return await RenderAsync(context, coverage, configured, cacheKey, address, format, cancellationToken);
    }

    private static async Task<IResult> RenderAsync(HttpContext context, Coverage coverage, ServiceStyle configured, string cacheKey, TileAddress tile, ImageFormat format,
        CancellationToken cancellationToken)
    {
        var tiles = Get<TileService>(context.RequestServices).Cache;
        var key = $"{cacheKey}:{tile}.{format}:{context.Request.QueryString}";
        if (!tiles.TryGet(key, out var bytes))
        {
            var query = context.Request.Query;
            // The default style may need the coverage's stretch, itself computed (once) from an overview.
            bytes = await Get<CoverageCache>(context.RequestServices).ComputeAsync(() =>
            {
                var (style, resampling) = configured.For(coverage, query);
                return Render(coverage, tile, style, resampling, format, cancellationToken);
            }, cancellationToken);
            tiles.Add(key, bytes);
        }
        return Results.Bytes(bytes, format.MediaType());
    }

    private static byte[] Render(Coverage coverage, TileAddress tile, RenderStyle style, Raster.Alignment.Resampling resampling, ImageFormat format,
        CancellationToken cancellationToken)
    {
        var b = tile.Bounds;
        var pixel = b.Width / 256;
        var grid = new RasterGrid(256, 256, new GeoTransform(b.MinX, pixel, 0, b.MaxY, 0, -pixel), WebMercator.Wkt);
        var planes = CubeReader.Read(coverage.Cube, grid, resampling, cancellationToken);
        var rgba = planes is null ? new byte[256 * 256 * 4] : Renderer.Render(style, style.Bands.Select(band => planes[band - 1]).ToList(), 256, 256);
        return ImageEncoder.Encode(rgba, 256, 256, format);
    }

    /// <summary>
    /// A request OGC's protocol refuses (a parameter missing or wrong) as an OWS exception report, which WMTS and WCS
    /// clients show; the key and the resource were checked before, in openEO's shape.
    /// </summary>
    private static IResult ExceptionReport(OpenEoException e, string owsNamespace, string version)
    {
        XNamespace ows = owsNamespace;
        var code = e.Status == StatusCodes.Status404NotFound ? "NoSuchCoverage" : e.Message.Contains(" needs ", StringComparison.Ordinal) ? "MissingParameterValue"
            : e.Message.StartsWith("REQUEST=", StringComparison.Ordinal) ? "OperationNotSupported" : "InvalidParameterValue";
        var locator = e.Message.Split(['=', ':', ' '], 2)[0];
        var report = new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(ows + "ExceptionReport", new XAttribute("version", version), new XAttribute(XNamespace.Xmlns + "ows", ows),
                new XElement(ows + "Exception", new XAttribute("exceptionCode", code), new XAttribute("locator", locator),
                    new XElement(ows + "ExceptionText", e.Message))));
        return Results.Text(report.Declaration + "\n" + report.Root, "application/xml", Encoding.UTF8, e.Status);
    }

    private static async Task<IResult> WmtsAsync(HttpContext context, Coverage coverage, ServiceStyle configured, string cacheKey, CancellationToken cancellationToken)
    {
        try
        {
            return await WmtsRequestAsync(context, coverage, configured, cacheKey, cancellationToken);
        }
        catch (OpenEoException e) when (e.Status is StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound)
        {
            return ExceptionReport(e, "http://www.opengis.net/ows/1.1", "1.1.0");
        }
    }

    private static async Task<IResult> WcsAsync(HttpContext context, Coverage coverage, CancellationToken cancellationToken)
    {
        try
        {
            return await WcsRequestAsync(context, coverage, cancellationToken);
        }
        catch (OpenEoException e) when (e.Status is StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound)
        {
            return ExceptionReport(e, "http://www.opengis.net/ows/2.0", "2.0.0");
        }
    }

    private static async Task<IResult> WmtsRequestAsync(HttpContext context, Coverage coverage, ServiceStyle configured, string cacheKey, CancellationToken cancellationToken)
    {
        var kvp = Kvp(context);
        var service = kvp("SERVICE").FirstOrDefault();
        if (service is not null && !service.Equals("WMTS", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"SERVICE={service}: this address serves WMTS");
        }
        switch (kvp("REQUEST").FirstOrDefault()?.ToUpperInvariant())
        {
            case null or "GETCAPABILITIES":
                return Xml(WmtsDocuments.Capabilities(coverage, Endpoint(context)));
            case "GETTILE":
                string Required(string name) => kvp(name).FirstOrDefault() is { Length: > 0 } v ? v
                    : throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"GetTile needs {name}");
                if (!Required("LAYER").Equals(coverage.Id, StringComparison.Ordinal))
                {
                    throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"LAYER: the layer here is '{coverage.Id}'");
                }
                if (!Required("TILEMATRIXSET").Equals(WmtsDocuments.TileMatrixSet, StringComparison.Ordinal))
                {
                    throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"TILEMATRIXSET: the tile matrix set here is {WmtsDocuments.TileMatrixSet}");
                }
                var format = kvp("FORMAT").FirstOrDefault() ?? "image/png";
                if (!format.Equals("image/png", StringComparison.OrdinalIgnoreCase))
                {
                    throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "FORMAT: tiles are image/png");
                }
                int Number(string name) => int.TryParse(Required(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                    : throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"{name}: give a whole number");
                var tile = TileAddress.TryCreate(Number("TILEMATRIX"), Number("TILECOL"), Number("TILEROW"), out var error)
                    ?? throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", error!);
                return await RenderAsync(context, coverage, configured, cacheKey, tile, ImageFormat.Png, cancellationToken);
            case var other:
                throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"REQUEST={other}: WMTS here answers GetCapabilities and GetTile");
        }
    }

    private static async Task<IResult> WcsRequestAsync(HttpContext context, Coverage coverage, CancellationToken cancellationToken)
    {
        var kvp = Kvp(context);
        var service = kvp("SERVICE").FirstOrDefault();
        if (service is not null && !service.Equals("WCS", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"SERVICE={service}: this address serves WCS");
        }
        if (kvp("VERSION").FirstOrDefault() is { } version && version is not ("2.0.1" or "2.0.0"))
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"VERSION={version}: WCS here is 2.0.1");
        }
        void CheckCoverage()
        {
            var id = kvp("COVERAGEID").FirstOrDefault() ?? kvp("COVERAGE").FirstOrDefault();
            if (id is not null && !id.Split(',').All(i => i.Trim() == coverage.Id))
            {
                throw new OpenEoException(StatusCodes.Status404NotFound, "NotFound", $"COVERAGEID: the coverage here is '{coverage.Id}'");
            }
        }
        switch (kvp("REQUEST").FirstOrDefault()?.ToUpperInvariant())
        {
            case null or "GETCAPABILITIES":
                return Xml(WcsDocuments.Capabilities(coverage, Endpoint(context)));
            case "DESCRIBECOVERAGE":
                CheckCoverage();
                return Xml(WcsDocuments.Describe(coverage));
            case "GETCOVERAGE":
                CheckCoverage();
                var (grid, bands) = WcsDocuments.Request(coverage, kvp);
                if ((long)grid.Width * grid.Height > CubeReader.MaxPixels)
                {
                    throw new OpenEoException(StatusCodes.Status400BadRequest, "ComputationTooLarge",
                        $"{grid.Width} x {grid.Height} pixels are more than {CubeReader.MaxPixels} at once: ask for a smaller subset (or SCALESIZE)");
                }
                var options = Get<Tessera.Host.ServiceOptions>(context.RequestServices);
                var bytes = await Get<CoverageCache>(context.RequestServices).ComputeAsync(
                    () => GeoTiff(coverage, grid, bands, options.DataFolder, cancellationToken), cancellationToken);
                return Results.File(bytes, "image/tiff", $"{coverage.Id}.tif");
            case var other:
                throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"REQUEST={other}: WCS here answers GetCapabilities, DescribeCoverage and GetCoverage");
        }
    }

    /// <summary>The coverage's values on the grid as a Float32 GeoTIFF (NaN as nodata), one band per field asked for.</summary>
    private static byte[] GeoTiff(Coverage coverage, RasterGrid grid, IReadOnlyList<int> bands, string dataFolder, CancellationToken cancellationToken)
    {
        var planes = CubeReader.Read(coverage.Cube, grid, Raster.Alignment.Resampling.Nearest, cancellationToken);
        var folder = Directory.CreateDirectory(Path.Combine(dataFolder, "work", "openeo")).FullName;
        var path = Path.Combine(folder, $"wcs-{Guid.NewGuid():N}.tif");
        try
        {
            using (var output = RasterDataset.Create(path, "GTiff", grid, bands.Count, RasterDataType.Float32, ["COMPRESS=DEFLATE", "TILED=YES"]))
            {
                var empty = planes is null ? new float[grid.Width * grid.Height] : null;
                empty?.AsSpan().Fill(float.NaN);
                for (var i = 0; i < bands.Count; i++)
                {
                    output.SetNoData(i + 1, double.NaN);
                    output.SetDescription(i + 1, coverage.BandNames[bands[i]]);
                    output.Write<float>(i + 1, grid.FullWindow, planes is null ? empty! : planes[bands[i]]);
                }
                output.Close();
            }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
