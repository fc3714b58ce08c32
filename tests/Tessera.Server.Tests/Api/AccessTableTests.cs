using System.Net.Http.Json;
using System.Net;
using Microsoft.AspNetCore.Routing;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Tasks.Workers;
using Tessera.Tasks;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// Every route of the server, called as nobody, a reader, a writer (the owner of the files and tasks used), an
/// administrator and another user, against the status each must answer: one table, driven by one test, which
/// also checks that the table names every route the server maps (a new route must say who may call it).
/// </summary>
public sealed class AccessTableTests : IAsyncLifetime
{
    private static readonly string[] Who = ["nobody", "reader", "alice", "admin", "bob"];

    private RunningServer? _server;
    private long _file;
    private long _published;
    private long _waiting;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url),
            ("reader", "alice", Role.Read), ("alice", "alice", Role.Write), ("admin", "root", Role.Admin), ("bob", "bob", Role.Write));
        _file = await UploadAsync();
        var parts = _server.Get<ServiceParts>();
        _published = await AddTaskAsync();
        var worker = new TaskWorker(parts.Tasks, parts.Handlers, new WorkerOptions("by-hand", _server.Data.File("work")), commit: parts.Commit);
        Assert.True(await worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal(TaskStatus.PublishCompleted, (await parts.Tasks.GetAsync(_published))!.Status);
        _waiting = await AddTaskAsync();
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private int _uploads;

    private async Task<long> UploadAsync()
    {
        // Different bytes each time: the same bytes would be the file already stored.
        var salt = Interlocked.Increment(ref _uploads);
        var raster = SyntheticRaster.Write<ushort>(_server!.Data.File($"{Guid.NewGuid():N}.src"), SyntheticRaster.Grid(32, 32), (c, r) => (ushort)(100 + c + r + salt));
        return await _server.Client("alice").UploadAsync(raster, "r.tif");
    }

    private async Task<long> AddTaskAsync() =>
        (await ApiCalls.Data(await _server!.Client("alice").PostAsJsonAsync("/processtask/addTask", NdviOf(_file)))).GetProperty("taskId").GetInt64();

    private static object NdviOf(long file) => new { name = "ndvi", type = 7, inputs = new { nir = new { fileId = file }, red = new { fileId = file } } };

    /// <summary>A call of a route: its method and pattern (as mapped), and how to make the request (fresh resources where it changes them).</summary>
    private sealed record Call(string Method, string Pattern, Func<Task<HttpRequestMessage>> Request, int[] Expected);

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    private IEnumerable<Call> Table()
    {
        Task<HttpRequestMessage> Now(HttpRequestMessage m) => Task.FromResult(m);
        int[] open = [200, 200, 200, 200, 200];
        int[] reading = [401, 200, 200, 200, 200];
        int[] alicesToRead = [401, 200, 200, 200, 404];
        var f = _file;
        yield return new("GET", "/health", () => Now(Get("/health")), open);
        yield return new("GET", "/ready", () => Now(Get("/ready")), open);
        yield return new("GET", "/metrics", () => Now(Get("/metrics")), open);
        yield return new("GET", "/openapi.json", () => Now(Get("/openapi.json")), open);
        yield return new("GET", "/", () => Now(Get("/")), open);
        yield return new("GET", "/index.html", () => Now(Get("/index.html")), open);
        yield return new("GET", "/web/{**path}", () => Now(Get("/web/app.css")), open);
        yield return new("GET", "/web-settings.json", () => Now(Get("/web-settings.json")), open);
        yield return new("POST", "/files/", async () =>
        {
            var raster = SyntheticRaster.Write<byte>(_server!.Data.File($"{Guid.NewGuid():N}.src"), SyntheticRaster.Grid(8, 8), (c, r) => 1);
            return new HttpRequestMessage(HttpMethod.Post, "/files") { Content = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(raster)), "file", "u.tif" } } };
        }, [401, 403, 201, 201, 201]);
        yield return new("GET", "/files/", () => Now(Get("/files")), reading);
        yield return new("GET", "/files/{id:long}", () => Now(Get($"/files/{f}")), alicesToRead);
        yield return new("GET", "/files/{id:long}/download", () => Now(Get($"/files/{f}/download")), alicesToRead);
        yield return new("DELETE", "/files/{id:long}", async () => new HttpRequestMessage(HttpMethod.Delete, $"/files/{await UploadAsync()}"), [401, 403, 200, 200, 404]);
        yield return new("GET", "/files/{id:long}/preview.png", () => Now(Get($"/files/{f}/preview.png")), alicesToRead);
        yield return new("GET", "/files/{id:long}/legend.json", () => Now(Get($"/files/{f}/legend.json")), alicesToRead);
        yield return new("GET", "/files/{id:long}/report.json", () => Now(Get($"/files/{f}/report.json")), [401, 404, 404, 404, 404]);
        yield return new("GET", "/files/{id:long}/point", () => Now(Get($"/files/{f}/point?lon=15.00183&lat=36.14323")), alicesToRead);
        yield return new("GET", "/files/{id:long}/statistics", () => Now(Get($"/files/{f}/statistics")), alicesToRead);
        yield return new("GET", "/colormaps", () => Now(Get("/colormaps")), reading);
        yield return new("GET", "/catalog/collections/{id}/point", () => Now(Get("/catalog/collections/ndvi/point?lon=15&lat=36&asset=data")), reading);
        yield return new("GET", "/tiles/{fileId:long}/{z}/{x}/{tile}", () => Now(Get($"/tiles/{f}/0/0/0.png")), alicesToRead);
        yield return new("GET", "/tiles/{fileId:long}/tilejson.json", () => Now(Get($"/tiles/{f}/tilejson.json")), alicesToRead);
        yield return new("POST", "/processtask/query/file/bandInfo", () => Now(Post("/processtask/query/file/bandInfo", new { fileId = f })), alicesToRead);
        // An administrator's or another user's task cannot read alice's file: it is theirs to see, not to use.
        yield return new("POST", "/processtask/addTask", () => Now(Post("/processtask/addTask", NdviOf(f))), [401, 403, 200, 400, 400]);
        yield return new("GET", "/processtask/query/task/detail", () => Now(Get($"/processtask/query/task/detail?id={_waiting}")), alicesToRead);
        yield return new("POST", "/processtask/query/page", () => Now(Post("/processtask/query/page", new { pageNum = 1 })), reading);
        yield return new("DELETE", "/processtask/delete", async () => new HttpRequestMessage(HttpMethod.Delete, $"/processtask/delete?id={await AddTaskAsync()}"),
            [401, 403, 200, 200, 404]);
        yield return new("POST", "/processtask/retry", () => Now(Post("/processtask/retry", new { taskId = _waiting })), [401, 403, 409, 409, 404]);
        yield return new("POST", "/processtask/restart", () => Now(Post("/processtask/restart", new { taskIds = new[] { _waiting } })), [401, 403, 200, 200, 200]);
        yield return new("POST", "/processtask/cancel", () => Now(Post("/processtask/cancel", new { taskId = _waiting })), [401, 403, 409, 409, 404]);
        yield return new("POST", "/processtask/cleanup", () => Now(Post("/processtask/cleanup", new { olderThanDays = 3650 })), [401, 403, 403, 200, 403]);
        yield return new("GET", "/processtask/types", () => Now(Get("/processtask/types")), reading);
        yield return new("GET", "/metadata/query/raster/publishUrl", () => Now(Get($"/metadata/query/raster/publishUrl?taskId={_published}")), alicesToRead);
        yield return new("GET", "/stac", () => Now(Get("/stac")), reading);
        yield return new("GET", "/stac/conformance", () => Now(Get("/stac/conformance")), reading);
        yield return new("GET", "/stac/collections", () => Now(Get("/stac/collections")), reading);
        yield return new("GET", "/stac/collections/{id}", () => Now(Get("/stac/collections/ndvi")), reading);
        yield return new("GET", "/stac/collections/{id}/items", () => Now(Get("/stac/collections/ndvi/items")), reading);
        yield return new("GET", "/stac/collections/{id}/items/{itemId}", () => Now(Get($"/stac/collections/ndvi/items/{_published}")), alicesToRead);
        yield return new("GET", "/stac/search", () => Now(Get("/stac/search?collections=ndvi")), reading);
        yield return new("POST", "/stac/search", () => Now(Post("/stac/search", new { collections = new[] { "ndvi" } })), reading);
        yield return new("POST", "/catalog/harvest", () => Now(Post("/catalog/harvest", new { source = "http://127.0.0.1:9/stac" })), [401, 403, 200, 200, 200]);
        yield return new("POST", "/catalog/harvests", () => Now(Post("/catalog/harvests", new { searches = new[] { new { provider_name = "none" } } })),
            [401, 403, 400, 400, 400]);
        yield return new("POST", "/catalog/harvests/retry", () => Now(Post("/catalog/harvests/retry", new { })), [401, 403, 200, 200, 200]);
        yield return new("POST", "/catalog/add", () => Now(Post("/catalog/add", new { folder = "/nowhere", collection = "c" })), [401, 403, 403, 400, 403]);
        yield return new("POST", "/catalog/download", () => Now(Post("/catalog/download", new { ids = new[] { "none" } })), [401, 403, 200, 200, 200]);
        yield return new("POST", "/catalog/copy", () => Now(Post("/catalog/copy", new { ids = new[] { "none" }, destination = "/nowhere" })), [401, 403, 403, 400, 403]);
        yield return new("POST", "/catalog/remove_downloaded", () => Now(Post("/catalog/remove_downloaded", new { ids = new[] { "none" } })), [401, 403, 403, 200, 403]);
        yield return new("POST", "/catalog/archive", () => Now(Post("/catalog/archive", new { ids = new[] { "none" } })), [401, 403, 200, 200, 200]);
        // No publishing server in this configuration: refused once the caller may ask.
        yield return new("POST", "/catalog/publish", () => Now(Post("/catalog/publish", new { ids = new[] { "none" } })), [401, 403, 409, 409, 409]);
        yield return new("POST", "/catalog/cleanup", () => Now(Post("/catalog/cleanup", new { before = "2000-01-01" })), [401, 403, 403, 200, 403]);
        yield return new("POST", "/api/radcor", () => Now(Post("/api/radcor", new { tiles = new[] { "23LLF" }, catalog = "none", action = "preview" })),
            [401, 400, 400, 400, 400]);
        yield return new("GET", "/api/radcor/restart", () => Now(Get("/api/radcor/restart?ids=987654")), [401, 403, 404, 404, 404]);
        yield return new("GET", "/api/radcor/activities", () => Now(Get("/api/radcor/activities")), [401, 200, 200, 200, 200]);
        yield return new("POST", "/ingest", () => Now(Post("/ingest", new { tile = 1 })), [401, 403, 400, 400, 400]);
        yield return new("GET", "/ingest", () => Now(Get("/ingest")), [401, 200, 200, 200, 200]);
        yield return new("GET", "/ingest/{id:long}", () => Now(Get("/ingest/987654")), [401, 404, 404, 404, 404]);
        yield return new("POST", "/ingest/{id:long}/retry", () => Now(Post("/ingest/987654/retry", new { })), [401, 403, 404, 404, 404]);
        yield return new("POST", "/catalog/convert", () => Now(Post("/catalog/convert", new { ids = new[] { "none" } })), [401, 403, 200, 200, 200]);
        yield return new("GET", "/stac/collections/{id}/items/{itemId}/assets/{key}", () => Now(Get($"/stac/collections/ndvi/items/{_published}/assets/data")),
            alicesToRead);
        yield return new("GET", "/.well-known/openeo", () => Now(Get("/.well-known/openeo")), open);
        yield return new("GET", "/openeo/1.2/", () => Now(Get("/openeo/1.2/")), open);
        yield return new("GET", "/openeo/1.2/conformance", () => Now(Get("/openeo/1.2/conformance")), open);
        yield return new("GET", "/openeo/1.2/file_formats", () => Now(Get("/openeo/1.2/file_formats")), open);
        yield return new("GET", "/openeo/1.2/service_types", () => Now(Get("/openeo/1.2/service_types")), open);
        yield return new("GET", "/openeo/1.2/udf_runtimes", () => Now(Get("/openeo/1.2/udf_runtimes")), open);
        // Basic credentials only: a bearer token is the wrong scheme there.
        yield return new("GET", "/openeo/1.2/credentials/basic", () => Now(Get("/openeo/1.2/credentials/basic")), [401, 403, 403, 403, 403]);
        yield return new("GET", "/openeo/1.2/me", () => Now(Get("/openeo/1.2/me")), reading);
        yield return new("GET", "/openeo/1.2/collections", () => Now(Get("/openeo/1.2/collections")), reading);
        yield return new("GET", "/openeo/1.2/collections/{collection_id}", () => Now(Get("/openeo/1.2/collections/ndvi")), [401, 404, 404, 404, 404]);
        yield return new("GET", "/openeo/1.2/processes", () => Now(Get("/openeo/1.2/processes")), open);
        // A graph with no nodes: refused (400) for /result, a list of its errors (200) for /validation.
        yield return new("POST", "/openeo/1.2/result", () => Now(Post("/openeo/1.2/result", new { process = new { process_graph = new { } } })), [401, 403, 400, 400, 400]);
        yield return new("POST", "/openeo/1.2/validation", () => Now(Post("/openeo/1.2/validation", new { process_graph = new { } })), [401, 200, 200, 200, 200]);
        // Jobs of nobody's: 404 once the caller may ask; a job with no graph is refused (400); a link not signed here, 403.
        yield return new("POST", "/openeo/1.2/jobs", () => Now(Post("/openeo/1.2/jobs", new { title = "none" })), [401, 403, 400, 400, 400]);
        yield return new("GET", "/openeo/1.2/jobs", () => Now(Get("/openeo/1.2/jobs")), reading);
        yield return new("GET", "/openeo/1.2/jobs/{job_id}", () => Now(Get("/openeo/1.2/jobs/j-none")), [401, 404, 404, 404, 404]);
        yield return new("PATCH", "/openeo/1.2/jobs/{job_id}", () => Now(new HttpRequestMessage(HttpMethod.Patch, "/openeo/1.2/jobs/j-none")
            { Content = JsonContent.Create(new { title = "x" }) }), [401, 403, 404, 404, 404]);
        yield return new("DELETE", "/openeo/1.2/jobs/{job_id}", () => Now(new HttpRequestMessage(HttpMethod.Delete, "/openeo/1.2/jobs/j-none")), [401, 403, 404, 404, 404]);
        yield return new("POST", "/openeo/1.2/jobs/{job_id}/results", () => Now(Post("/openeo/1.2/jobs/j-none/results", new { })), [401, 403, 404, 404, 404]);
        yield return new("GET", "/openeo/1.2/jobs/{job_id}/results", () => Now(Get("/openeo/1.2/jobs/j-none/results")), [401, 404, 404, 404, 404]);
        yield return new("DELETE", "/openeo/1.2/jobs/{job_id}/results", () => Now(new HttpRequestMessage(HttpMethod.Delete, "/openeo/1.2/jobs/j-none/results")),
            [401, 403, 404, 404, 404]);
        yield return new("GET", "/openeo/1.2/jobs/{job_id}/estimate", () => Now(Get("/openeo/1.2/jobs/j-none/estimate")), [401, 404, 404, 404, 404]);
        yield return new("GET", "/openeo/1.2/jobs/{job_id}/logs", () => Now(Get("/openeo/1.2/jobs/j-none/logs")), [401, 404, 404, 404, 404]);
        yield return new("GET", "/openeo/1.2/jobs/{job_id}/results/{file}", () => Now(Get("/openeo/1.2/jobs/j-none/results/result.tif?expires=1&signature=0")),
            [403, 403, 403, 403, 403]);
        yield return new("POST", "/openeo/1.2/services", () => Now(Post("/openeo/1.2/services", new { type = "XYZ" })), [401, 403, 400, 400, 400]);
        yield return new("GET", "/openeo/1.2/services", () => Now(Get("/openeo/1.2/services")), reading);
        yield return new("GET", "/openeo/1.2/services/{service_id}", () => Now(Get("/openeo/1.2/services/s-none")), [401, 404, 404, 404, 404]);
        yield return new("PATCH", "/openeo/1.2/services/{service_id}", () => Now(new HttpRequestMessage(HttpMethod.Patch, "/openeo/1.2/services/s-none")
            { Content = JsonContent.Create(new { title = "x" }) }), [401, 403, 404, 404, 404]);
        yield return new("DELETE", "/openeo/1.2/services/{service_id}", () => Now(new HttpRequestMessage(HttpMethod.Delete, "/openeo/1.2/services/s-none")),
            [401, 403, 404, 404, 404]);
        yield return new("GET", "/openeo/1.2/services/{service_id}/logs", () => Now(Get("/openeo/1.2/services/s-none/logs")), [401, 404, 404, 404, 404]);
        // Map clients send no Authorization header: the key in the address decides (a wrong one here).
        int[] keyed = [403, 403, 403, 403, 403];
        yield return new("GET", "/openeo/1.2/services/{service_id}/{key}/xyz/{z}/{x}/{tile}", () => Now(Get("/openeo/1.2/services/s-none/0/xyz/0/0/0.png")), keyed);
        yield return new("GET", "/openeo/1.2/services/{service_id}/{key}/wmts", () => Now(Get("/openeo/1.2/services/s-none/0/wmts?REQUEST=GetCapabilities")), keyed);
        yield return new("GET", "/openeo/1.2/services/{service_id}/{key}/wcs", () => Now(Get("/openeo/1.2/services/s-none/0/wcs?REQUEST=GetCapabilities")), keyed);
        yield return new("GET", "/openeo/1.2/jobs/{job_id}/results/{key}/xyz/{z}/{x}/{tile}", () => Now(Get("/openeo/1.2/jobs/j-none/results/0/xyz/0/0/0.png")), keyed);
        yield return new("GET", "/openeo/1.2/jobs/{job_id}/results/{key}/wmts", () => Now(Get("/openeo/1.2/jobs/j-none/results/0/wmts?REQUEST=GetCapabilities")), keyed);
        yield return new("GET", "/openeo/1.2/jobs/{job_id}/results/{key}/wcs", () => Now(Get("/openeo/1.2/jobs/j-none/results/0/wcs?REQUEST=GetCapabilities")), keyed);
        // User-defined processes are each user's own: nobody else's is found; storing one needs the write role.
        yield return new("GET", "/openeo/1.2/process_graphs", () => Now(Get("/openeo/1.2/process_graphs")), reading);
        yield return new("GET", "/openeo/1.2/process_graphs/{process_graph_id}", () => Now(Get("/openeo/1.2/process_graphs/none")), [401, 404, 404, 404, 404]);
        yield return new("PUT", "/openeo/1.2/process_graphs/{process_graph_id}", () => Now(new HttpRequestMessage(HttpMethod.Put, "/openeo/1.2/process_graphs/double")
            {
                Content = JsonContent.Create(new
                {
                    parameters = new[] { new { name = "x", description = "A number.", schema = new { type = "number" } } },
                    process_graph = new { m = new { process_id = "multiply", arguments = new { x = new { from_parameter = "x" }, y = 2 }, result = true } },
                }),
            }), [401, 403, 200, 200, 200]);
        yield return new("DELETE", "/openeo/1.2/process_graphs/{process_graph_id}", () => Now(new HttpRequestMessage(HttpMethod.Delete, "/openeo/1.2/process_graphs/none")),
            [401, 403, 404, 404, 404]);
        yield return new("POST", "/execute", () => Now(Post("/execute", new { output = new { format = "GTiff" } })), [401, 403, 400, 400, 400]);
        yield return new("GET", "(no route)", () => Now(Get("/no/such/route")), [401, 404, 404, 404, 404]);
    }

    [Fact]
    public async Task EveryRoute_AnswersEachKindOfCaller_AsTheTableSays()
    {
        var table = Table().ToList();
        var mapped = ((IEndpointRouteBuilder)_server!.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();
        Assert.Equal(mapped.Order(), table.Where(c => c.Pattern != "(no route)").Select(c => $"{c.Method} {c.Pattern}").Order());

        var failures = new List<string>();
        var checks = 0;
        foreach (var call in table)
        {
            for (var i = 0; i < Who.Length; i++)
            {
                using var request = await call.Request();
                var client = _server.Client(Who[i] == "nobody" ? null : Who[i]);
                using var response = await client.SendAsync(request);
                checks++;
                if ((int)response.StatusCode != call.Expected[i])
                {
                    failures.Add($"{call.Method} {call.Pattern} as {Who[i]}: {(int)response.StatusCode}, expected {call.Expected[i]} ({await response.Content.ReadAsStringAsync()})");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {checks} checks failed:\n" + string.Join("\n", failures));
        Assert.Equal(table.Count * Who.Length, checks);
    }
}
