using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Tasks.Stores;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// AOI ingestion over 3 tiles x 4 dates of synthetic scenes in the catalog, their bands served by a real HTTP server on
/// loopback and computed by the server's own workers: the graph has the previous and reference edges the tiles and
/// dates call for; no processing task starts before its prerequisites end (from the recorded attempts); a download that
/// fails (its file not there yet) keeps its tile's later processing waiting while the other tiles finish, and the
/// ingestion's retry completes it; the NDVI of every scene equals its formula.
/// </summary>
public sealed class IngestApiTests : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private StaticHttpServer? _source;
    private RunningServer? _server;
    private HttpClient _http = new();

    private static readonly DateTimeOffset First = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Tile k's grid: 32 x 32 pixels of 10 m in UTM 33N, the tiles 150 km apart (three 100 km squares).</summary>
    private static RasterGrid TileGrid(int k) => SyntheticRaster.Grid(32, 32, 10, 300_000 + k * 150_000, 5_100_000);

    private static ushort Nir(int k, int d, int c, int r) => (ushort)(2000 + 100 * k + 50 * d + c);

    private static ushort Red(int k, int d, int c, int r) => (ushort)(500 + 20 * d + r);

    private string BandPath(int k, int d, string band) => Path.Combine(_www.Path, $"T{k}_D{d}", band + ".tif");

    private void WriteBand(int k, int d, string band) => SyntheticRaster.Write(BandPath(k, d, band), TileGrid(k),
        (c, r) => band == "B08" ? Nir(k, d, c, r) : Red(k, d, c, r));

    public async Task InitializeAsync()
    {
        _source = StaticHttpServer.Serve(_www.Path);
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 2, PollInterval: TimeSpan.FromMilliseconds(500),
            AllowedHosts: "127.0.0.1"), url), ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
        var items = new List<CatalogItem>();
        using var wgs84 = SpatialReference.Wgs84();
        for (var k = 0; k < 3; k++)
        {
            using var utm = SpatialReference.FromWkt(TileGrid(k).CrsWkt);
            var box = utm.TransformBounds(wgs84, TileGrid(k).Bounds);
            for (var d = 0; d < 4; d++)
            {
                Directory.CreateDirectory(Path.Combine(_www.Path, $"T{k}_D{d}"));
                WriteBand(k, d, "B04");
                if (!(k == 1 && d == 1))
                {
                    WriteBand(k, d, "B08"); // tile 1's second date has no near-infrared file yet: its download fails
                }
                var time = First.AddDays(3 * d);
                items.Add(new CatalogItem("synthetic", $"T{k}_D{d}", time, time, time, Tessera.Catalog.Stac.StacItems.Polygon(box.MinX, box.MinY, box.MaxX, box.MaxY),
                    box, 5, "test", null, [],
                    [
                        new CatalogAsset("B04", new Uri(_source.Address, $"T{k}_D{d}/B04.tif").ToString(), "image/tiff; application=geotiff", Roles: ["data"], Band: "red"),
                        new CatalogAsset("B08", new Uri(_source.Address, $"T{k}_D{d}/B08.tif").ToString(), "image/tiff; application=geotiff", Roles: ["data"], Band: "nir"),
                    ]));
            }
        }
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("synthetic", "Synthetic", "3 tiles x 4 dates", "CC0-1.0", CollectionKind.Harvested,
            [new CatalogBand("B04", "red", 0.665), new CatalogBand("B08", "nir", 0.842)], []));
        await catalog.UpsertItemsAsync(items);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _source!.Dispose();
        _www.Dispose();
    }

    private async Task<JsonElement> GraphAsync(long id) => await ApiCalls.Data(await _http.GetAsync($"/ingest/{id}"));

    private async Task<JsonElement> WaitForAsync(long id, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonElement graph;
        do
        {
            await Task.Delay(300);
            graph = await GraphAsync(id);
        }
        while (!done(graph.GetProperty("summary")) && DateTime.UtcNow < deadline);
        Assert.True(done(graph.GetProperty("summary")), $"{what}: {graph.GetProperty("summary")}");
        return graph;
    }

    [Fact]
    public async Task AnAoi_BecomesAGraphOfDownloadAndProcessingTasks_RunInTheOrderItsEdgesSay_AndARetryCompletesIt()
    {
        var response = await _http.PostAsJsonAsync("/ingest", JsonNode.Parse("""
            {"name": "three tiles", "aoi": {"type": "Polygon", "coordinates": [[[10, 40], [20, 40], [20, 50], [10, 50], [10, 40]]]},
             "start": "2026-05-01", "end": "2026-05-10", "collections": ["synthetic"], "cloud": 20,
             "operation": {"type": 7, "inputs": {"nir": "B08", "red": "B04"}}}
            """));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ApiCalls.Data(response);
        var id = created.GetProperty("id").GetInt64();
        // The tiles are the 100 km squares of UTM zone 33N the scenes' centres fall in, worked out here from the grids.
        var expectedTiles = Enumerable.Range(0, 3).Select(k => $"33N-E{(int)((300_000 + k * 150_000 + 160) / 100_000)}N{(int)((5_100_000 - 160) / 100_000)}").Order().ToList();
        Assert.Equal(expectedTiles, created.GetProperty("tiles").EnumerateArray().Select(t => t.GetString()!).ToList());
        Assert.Equal((12, 24), (created.GetProperty("scenes").GetInt32(), created.GetProperty("taskCount").GetInt32()));

        // Everything but tile 1 from its second date on: the failed download, and three processing tasks waiting.
        var stalled = await WaitForAsync(id, s => s.GetProperty("DONE").GetInt32() == 20 && s.GetProperty("FAILED").GetInt32() == 1,
            "the other tiles did not finish");
        Assert.Equal(3, stalled.GetProperty("summary").GetProperty("NEW").GetInt32());
        var nodes = stalled.GetProperty("tasks").EnumerateArray().ToList();
        var process = nodes.Where(n => n.GetProperty("step").GetString() == "process").ToDictionary(n => n.GetProperty("scene").GetString()!);
        var download = nodes.Where(n => n.GetProperty("step").GetString() == "download").ToDictionary(n => n.GetProperty("scene").GetString()!);
        Assert.Equal("DOWNLOAD_FAILED", download["synthetic/T1_D1"].GetProperty("status").GetString());
        Assert.All(new[] { "T1_D1", "T1_D2", "T1_D3" }, s => Assert.Equal(("NEW", "NOT_STARTED"),
            (process["synthetic/" + s].GetProperty("state").GetString(), process["synthetic/" + s].GetProperty("status").GetString())));

        // The edges: each scene's processing takes its input from its download, and waits for its tile's previous and first dates.
        for (var k = 0; k < 3; k++)
        {
            for (var d = 0; d < 4; d++)
            {
                var after = process[$"synthetic/T{k}_D{d}"].GetProperty("after").EnumerateArray()
                    .Select(a => (a.GetProperty("taskId").GetInt64(), a.GetProperty("kind").GetString())).ToHashSet();
                var expected = new HashSet<(long, string?)> { (download[$"synthetic/T{k}_D{d}"].GetProperty("taskId").GetInt64(), "input") };
                if (d > 0)
                {
                    expected.Add((process[$"synthetic/T{k}_D{d - 1}"].GetProperty("taskId").GetInt64(), "previous"));
                    expected.Add((process[$"synthetic/T{k}_D0"].GetProperty("taskId").GetInt64(), "reference"));
                }
                Assert.Equal(expected, after);
            }
        }

        WriteBand(1, 1, "B08");
        var retried = await ApiCalls.Data(await _http.PostAsync($"/ingest/{id}/retry", null));
        Assert.Equal([download["synthetic/T1_D1"].GetProperty("taskId").GetInt64()], retried.GetProperty("retried").EnumerateArray().Select(r => r.GetInt64()));
        var done = await WaitForAsync(id, s => s.GetProperty("DONE").GetInt32() == 24, "the retry did not complete the ingestion");

        // No processing task started before each of its prerequisites had ended (the attempts' recorded times).
        var tasks = _server!.Get<ITaskStore>();
        foreach (var node in done.GetProperty("tasks").EnumerateArray().Where(n => n.GetProperty("step").GetString() == "process"))
        {
            var started = (await tasks.AttemptsAsync(node.GetProperty("taskId").GetInt64()))[0].StartedAt;
            foreach (var prerequisite in node.GetProperty("after").EnumerateArray())
            {
                var ended = (await tasks.AttemptsAsync(prerequisite.GetProperty("taskId").GetInt64()))[^1].EndedAt!.Value;
                Assert.True(started >= ended, $"task {node.GetProperty("taskId")} started {started:O}, before {prerequisite} ended {ended:O}");
            }
        }
        // Every scene's NDVI equals (nir - red) / (nir + red) of its formula.
        var files = _server.Get<FileStore>();
        foreach (var node in done.GetProperty("tasks").EnumerateArray().Where(n => n.GetProperty("step").GetString() == "process"))
        {
            var scene = node.GetProperty("scene").GetString()!;
            var (k, d) = (scene[^4] - '0', scene[^1] - '0');
            var task = (await tasks.GetAsync(node.GetProperty("taskId").GetInt64()))!;
            var values = SyntheticRaster.ReadAll(await files.PathOfAsync(task.Result!.OutputFileId, null));
            for (var i = 0; i < values.Length; i += 37)
            {
                var (c, r) = (i % 32, i / 32);
                double nir = Nir(k, d, c, r), red = Red(k, d, c, r);
                Assert.Equal((nir - red) / (nir + red), values[i], 5);
            }
        }
    }

    [Fact]
    public async Task EachDateComparedWithItsTilesPreviousDate_AndNormalisedToItsFirst_FromTheirResults()
    {
        // Tile 0 alone (its four dates): NDVI per date, then the built-in uses of the previous and reference results.
        const string Aoi = """{"type": "Polygon", "coordinates": [[[12, 45.5], [12.8, 45.5], [12.8, 46.5], [12, 46.5], [12, 45.5]]]}""";
        var ids = new Dictionary<string, long>();
        foreach (var compare in new[] { "difference", "normalise" })
        {
            var response = await _http.PostAsJsonAsync("/ingest", JsonNode.Parse("""
                {"aoi": AOI, "start": "2026-05-01", "end": "2026-05-10", "collections": ["synthetic"], "compare": "COMPARE",
                 "operation": {"type": 7, "inputs": {"nir": "B08", "red": "B04"}}}
                """.Replace("AOI", Aoi).Replace("COMPARE", compare)));
            var created = await ApiCalls.Data(response);
            Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToString());
            Assert.Equal((4, 4 * 2 + 3), (created.GetProperty("scenes").GetInt32(), created.GetProperty("taskCount").GetInt32()));
            ids[compare] = created.GetProperty("id").GetInt64();
        }
        var tasks = _server!.Get<ITaskStore>();
        var files = _server.Get<FileStore>();
        async Task<float[]> ResultAsync(JsonElement node) =>
            SyntheticRaster.ReadAll(await files.PathOfAsync((await tasks.GetAsync(node.GetProperty("taskId").GetInt64()))!.Result!.OutputFileId, null));
        static double Ndvi(int d, int i) => (Nir(0, d, i % 32, i / 32) - (double)Red(0, d, i % 32, i / 32)) / (Nir(0, d, i % 32, i / 32) + (double)Red(0, d, i % 32, i / 32));

        var difference = await WaitForAsync(ids["difference"], s => s.GetProperty("DONE").GetInt32() == 11, "the differences did not finish");
        var nodes = difference.GetProperty("tasks").EnumerateArray().ToList();
        var process = nodes.Where(n => n.GetProperty("step").GetString() == "process").ToDictionary(n => n.GetProperty("scene").GetString()![^1] - '0');
        foreach (var node in nodes.Where(n => n.GetProperty("step").GetString() == "difference"))
        {
            var d = node.GetProperty("scene").GetString()![^1] - '0';
            Assert.True(d > 0, "the first date has no previous one to differ from");
            Assert.Equal(new[] { process[d].GetProperty("taskId").GetInt64(), process[d - 1].GetProperty("taskId").GetInt64() }.Order(),
                node.GetProperty("after").EnumerateArray().Select(a => a.GetProperty("taskId").GetInt64()).Order());
            var values = await ResultAsync(node);
            for (var i = 0; i < values.Length; i += 13)
            {
                Assert.Equal(Ndvi(d, i) - Ndvi(d - 1, i), values[i], 1e-6);
            }
        }

        // Normalised to the tile's first date: the same mean and standard deviation as it, and a linear map of its own date.
        var normalise = await WaitForAsync(ids["normalise"], s => s.GetProperty("DONE").GetInt32() == 11, "the normalisations did not finish");
        nodes = normalise.GetProperty("tasks").EnumerateArray().ToList();
        var reference = Enumerable.Range(0, 32 * 32).Select(i => Ndvi(0, i)).ToArray();
        foreach (var node in nodes.Where(n => n.GetProperty("step").GetString() == "normalise"))
        {
            var d = node.GetProperty("scene").GetString()![^1] - '0';
            var values = (await ResultAsync(node)).Select(v => (double)v).ToArray();
            var own = Enumerable.Range(0, values.Length).Select(i => Ndvi(d, i)).ToArray();
            Assert.Equal(reference.Average(), values.Average(), 1e-5);
            Assert.Equal(Sd(reference), Sd(values), 1e-5);
            var gain = Sd(values) / Sd(own);
            Assert.All(Enumerable.Range(0, values.Length), i => Assert.Equal(reference.Average() + gain * (own[i] - own.Average()), values[i], 1e-5));
        }
    }

    [Fact]
    public async Task AnOpenEoProcess_RunsAsABatchJobPerScene_NarrowedToItsFootprintAndDay()
    {
        const string Aoi = """{"type": "Polygon", "coordinates": [[[12, 45.5], [12.8, 45.5], [12.8, 46.5], [12, 46.5], [12, 45.5]]]}""";
        var response = await _http.PostAsJsonAsync("/ingest", JsonNode.Parse("""
            {"name": "openEO", "aoi": AOI, "start": "2026-05-01", "end": "2026-05-10", "collections": ["synthetic"],
             "operation": {"process": {"process_graph": {
               "load": {"process_id": "load_collection", "arguments": {"id": "synthetic", "spatial_extent": null, "temporal_extent": null, "bands": ["B04", "B08"]}},
               "ndvi": {"process_id": "ndvi", "arguments": {"data": {"from_node": "load"}}},
               "save": {"process_id": "save_result", "arguments": {"data": {"from_node": "ndvi"}, "format": "GTiff"}, "result": true}}}}}
            """.Replace("AOI", Aoi)));
        var created = await ApiCalls.Data(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToString());
        var done = await WaitForAsync(created.GetProperty("id").GetInt64(), s => s.GetProperty("DONE").GetInt32() == 8, "the jobs did not finish");
        var tasks = _server!.Get<ITaskStore>();
        var files = _server.Get<FileStore>();
        var jobs = _server.Get<Tessera.Tasks.Jobs.DbJobStore>();
        foreach (var node in done.GetProperty("tasks").EnumerateArray().Where(n => n.GetProperty("step").GetString() == "process"))
        {
            var d = node.GetProperty("scene").GetString()![^1] - '0';
            var task = (await tasks.GetAsync(node.GetProperty("taskId").GetInt64()))!;
            Assert.Equal(Tessera.Host.Catalog.CatalogTaskTypes.OpenEoJob, task.Type);
            // Each scene's job reads that scene alone: its day's NDVI, (nir - red) / (nir + red) of its own bands.
            // The footprint's lon/lat box, on the scene's own UTM grid, holds the scene and a margin of no data around it.
            var path = await files.PathOfAsync(task.Result!.OutputFileId, null);
            var values = SyntheticRaster.ReadAll(path);
            using var result = RasterDataset.Open(path);
            var scene = TileGrid(0).Transform;
            var (colOff, rowOff) = ((int)Math.Round((scene.OriginX - result.GeoTransform.OriginX) / 10), (int)Math.Round((scene.OriginY - result.GeoTransform.OriginY) / -10));
            Assert.True(result.Width >= 32 + colOff && result.Height >= 32 + rowOff && colOff >= 0 && rowOff >= 0, $"{result.Width} x {result.Height}, scene at {colOff},{rowOff}");
            for (var i = 0; i < 32 * 32; i += 29)
            {
                var (c, r) = (i % 32, i / 32);
                double nir = Nir(0, d, c, r), red = Red(0, d, c, r);
                Assert.Equal((nir - red) / (nir + red), values[(r + rowOff) * result.Width + c + colOff], 1e-6);
            }
            Assert.Equal(result.Width * result.Height - 32 * 32, values.Count(float.IsNaN));
            var job = JsonNode.Parse((await jobs.ListAsync("alice", 1000)).Single(j => j.Description == $"scene {node.GetProperty("scene").GetString()}").Process)!;
            Assert.Equal(First.AddDays(3 * d).ToString("yyyy-MM-dd"), job["process_graph"]!["load"]!["arguments"]!["temporal_extent"]![0]!.GetValue<string>());
        }
        var refused = await _http.PostAsJsonAsync("/ingest", JsonNode.Parse("""
            {"aoi": AOI, "start": "2026-05-01", "end": "2026-05-10", "collections": ["synthetic"], "operation": {"type": 7, "process": {"process_graph": {}}}}
            """.Replace("AOI", Aoi)));
        Assert.Contains("give an openEO process, or a type with its inputs and params, not both", await refused.Content.ReadAsStringAsync());
    }

    private static double Sd(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    [Fact]
    public async Task BadIngestions_AreRefusedNamingTheField_AndAnotherUsersIngestionIsNotFound()
    {
        async Task<string> Refused(string json)
        {
            var response = await _http.PostAsJsonAsync("/ingest", JsonNode.Parse(json));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        }
        const string Aoi = """{"type": "Polygon", "coordinates": [[[10, 40], [20, 40], [20, 50], [10, 50], [10, 40]]]}""";
        Assert.Equal("'tile' is not a field of an ingestion (known: name, aoi, start, end, collections, cloud, operation, compare)",
            await Refused($$"""{"tile": 1, "aoi": {{Aoi}}}"""));
        Assert.Equal("no scene meets the area, times and filters", await Refused("""
            {"aoi": AOI, "start": "2020-01-01", "end": "2020-01-02", "collections": ["synthetic"], "operation": {"type": 7, "inputs": {"nir": "B08", "red": "B04"}}}
            """.Replace("AOI", Aoi)));
        Assert.StartsWith("operation, scene synthetic/T0_D0: ", await Refused("""
            {"aoi": AOI, "start": "2026-05-01", "end": "2026-05-10", "collections": ["synthetic"], "operation": {"type": 7, "inputs": {"nir": "B08", "red": "B99"}}}
            """.Replace("AOI", Aoi)));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/ingest/987654")).StatusCode);
    }
}
