using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// The real server (Kestrel on a free loopback port, GDAL, an embedded worker) driven over HTTP, on each
/// store: SQLite in the data folder, and a real PostgreSQL server.
/// </summary>
public abstract class ApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();

    /// <summary>The database of the server under test: null for SQLite, else a PostgreSQL connection string.</summary>
    protected abstract string? Database();

    public async Task InitializeAsync()
    {
        var database = Database();
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1), Database: database), url),
            ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
    }

    public virtual async Task DisposeAsync() => await _server!.DisposeAsync();

    private async Task<long> UploadAsync(string path, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/tiff");
        form.Add(file, "file", name);
        var response = await _http.PostAsync("/files", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, body.GetProperty("code").GetInt32());
        return body.GetProperty("data").GetProperty("id").GetInt64();
    }

    private static Task<JsonElement> Data(HttpResponseMessage response) => ApiCalls.Data(response);

    private static async Task<string> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        // Both shapes: the envelope (non-zero code, message, data) and RFC 7807 (status, title, detail).
        Assert.Equal((int)expected, body.GetProperty("code").GetInt32());
        Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
        Assert.Equal(body.GetProperty("detail").GetString(), body.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        return body.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task Health_AndReady_Answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/ready")).StatusCode);
    }

    [SampleDataFact]
    public async Task NdviTask_OverHttp_FromUploadToDownload()
    {
        var nir = await UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B08.tif"), "B08.tif");
        var red = await UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "B04.tif");

        var bandInfo = await Data(await _http.PostAsJsonAsync("/processtask/query/file/bandInfo", new { fileId = red }));
        Assert.Equal(1098, bandInfo.GetProperty("width").GetInt32());
        Assert.Equal(32629, bandInfo.GetProperty("epsg").GetInt32());

        // The request shape scripts rely on: inputs as a list of {role, fileId, band}, outputPath, outputName, params.
        var created = await Data(await _http.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "ndvi 29RKH", type = 7, outputPath = "results/2020", outputName = "ndvi.tif", @params = new { resampling = "nearest" },
            inputs = new object[] { new { role = "nir", fileId = nir, band = 1 }, new { role = "red", fileId = red, band = 1 } },
        }));
        var taskId = created.GetProperty("taskId").GetInt64();

        JsonElement detail = default;
        for (var i = 0; i < 240; i++)
        {
            detail = await Data(await _http.GetAsync($"/processtask/query/task/detail?id={taskId}"));
            if (detail.GetProperty("status").GetInt32() is 7 or 4 or 8 or 9)
            {
                break;
            }
            await Task.Delay(250);
        }
        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        Assert.Equal("NDVI", detail.GetProperty("typeName").GetString());
        Assert.Equal(["NOT_STARTED", "DOWNLOADING", "DOWNLOADED", "PROCESSING", "PROCESSING_COMPLETED", "PUBLISHING", "PUBLISH_COMPLETED"],
            detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("statusName").GetString()));

        Assert.Equal([0, 1, 2, 5, 3, 6, 7], detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetInt32()));
        var attempt = Assert.Single(detail.GetProperty("attemptHistory").EnumerateArray());
        Assert.Equal(1, attempt.GetProperty("attempt").GetInt32());
        Assert.Equal("PUBLISH_COMPLETED", attempt.GetProperty("outcome").GetString());
        Assert.Equal(detail.GetProperty("history")[1].GetProperty("actor").GetString(), attempt.GetProperty("workerId").GetString());
        Assert.Equal("results/2020", detail.GetProperty("outputFolder").GetString());
        var result = detail.GetProperty("result");
        var fileId = result.GetProperty("outputFileId").GetInt64();
        Assert.Equal($"/tiles/{fileId}/{{z}}/{{x}}/{{y}}.png", result.GetProperty("tileUrl").GetString());
        Assert.Equal($"/files/{fileId}/preview.png", result.GetProperty("previewUrl").GetString());
        // The preview was made at publishing, with the diverging ramp of an index and its legend.
        var preview = await _http.GetAsync(result.GetProperty("previewUrl").GetString());
        Assert.Equal("image/png", preview.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, (await preview.Content.ReadAsByteArrayAsync())[..4]);
        // A map tile of the result holds the NDVI values GDAL's own warp of the result gives.
        var tile = Tessera.Raster.Tiles.WebMercator.TileAt(-11.4, 24.8, 11);
        var npy = _server!.Data.File("result-tile.npy");
        await File.WriteAllBytesAsync(npy, await _http.GetByteArrayAsync($"/tiles/{fileId}/{tile.Z}/{tile.X}/{tile.Y}.npy"));
        var tileReference = PythonReference.Run("tile_reference.py", new
        {
            source = await _server.Get<Tessera.Catalog.Files.FileStore>().PathOfAsync(fileId, "alice"), tile = npy, z = tile.Z, x = tile.X, y = tile.Y,
        });
        Assert.True(tileReference.GetProperty("maskEqual").GetBoolean(), tileReference.ToString());
        Assert.Equal(256 * 256, tileReference.GetProperty("validCount").GetInt64());
        Assert.Equal(0, tileReference.GetProperty("maxAbsDiff").GetDouble());
        var legend = JsonDocument.Parse(await _http.GetStringAsync(result.GetProperty("legendUrl").GetString())).RootElement;
        Assert.Equal(("colormap", "rdylgn", -1.0, 1.0, "NDVI"), (legend.GetProperty("kind").GetString(), legend.GetProperty("colormap").GetString(),
            legend.GetProperty("min").GetDouble(), legend.GetProperty("max").GetDouble(), legend.GetProperty("title").GetString()));
        Assert.Equal(-11.979, result.GetProperty("bounds")[0].GetDouble(), 3);
        var download = result.GetProperty("downloadUrl").GetString()!;
        var bytes = await _http.GetByteArrayAsync(download);
        Assert.Equal("II*\0"u8.ToArray(), bytes[..4]); // a little-endian TIFF
        // What was downloaded is the NDVI of the two uploads, by the independent reference.
        var downloaded = _server!.Data.File("downloaded-ndvi.tif");
        await File.WriteAllBytesAsync(downloaded, bytes);
        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "ndvi",
            output = downloaded,
            inputs = new Dictionary<string, object>
            {
                ["nir"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B08.tif") },
                ["red"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif") },
            },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
        var range = new HttpRequestMessage(HttpMethod.Get, download);
        range.Headers.Range = new RangeHeaderValue(0, 99);
        var partial = await _http.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);

        var publish = await Data(await _http.GetAsync($"/metadata/query/raster/publishUrl?taskId={taskId}"));
        Assert.Equal(download, publish.GetProperty("downloadUrl").GetString());
        Assert.Equal(-11.979, publish.GetProperty("bounds")[0].GetDouble(), 3);
        Assert.Equal(result.GetProperty("tileUrl").GetString(), publish.GetProperty("tileUrlTemplate").GetString());
        Assert.Equal($"/tiles/{fileId}/tilejson.json", publish.GetProperty("tileJsonUrl").GetString());
        Assert.Equal(result.GetProperty("previewUrl").GetString(), publish.GetProperty("previewUrl").GetString());

        var page = await Data(await _http.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1, pageSize = 10, status = 7 }));
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal(taskId, page.GetProperty("records")[0].GetProperty("id").GetInt64());

        var scraper = _server!.Client(null); // no token: Prometheus scrapes plainly
        var metrics = await scraper.GetStringAsync("/metrics");
        Assert.Contains("tessera_tasks{status=\"PUBLISH_COMPLETED\",type=\"NDVI\"} 1\n", metrics);
        Assert.Contains("tessera_queue_depth 0\n", metrics);
        Assert.Contains("tessera_stage_duration_seconds_count{stage=\"process\"} 1\n", metrics);
        Assert.Contains("tessera_stage_duration_seconds_bucket{stage=\"publish\",le=\"+Inf\"} 1\n", metrics);

        var started = await _http.DeleteAsync($"/processtask/delete?taskId={taskId}");
        Assert.Equal($"task {taskId} is PUBLISH_COMPLETED: only tasks that have not started can be deleted", await Problem(started, HttpStatusCode.Conflict));
    }

    [SampleDataFact]
    public async Task AddTask_BadRequests_NameTheField()
    {
        var red = await UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "B04.tif");
        async Task<string> Add(object body) => await Problem(await _http.PostAsJsonAsync("/processtask/addTask", body), HttpStatusCode.BadRequest);

        Assert.Equal("inputs.nir: missing (NDVI needs nir, red)", await Add(new { name = "x", type = 7, inputs = new { red = new { fileId = red } } }));
        Assert.Equal("inputs.nir: missing (NDVI needs nir, red)", await Add(new { name = "x", type = 7, inputs = new[] { new { role = "red", fileId = red } } }));
        Assert.Equal("inputs.red.fileId: missing or not a number (choose a file)", await Add(new { name = "x", type = 7, inputs = new[] { new { role = "red" } } }));
        Assert.Equal($"inputs.red.band: missing (choose a band of file {red})", await Add(new
        {
            name = "x", type = 7, inputs = new object[] { new { role = "nir", fileId = red, band = 1 }, new { role = "red", fileId = red, band = (int?)null } },
        }));
        Assert.Equal("inputs.red.band: not a band number", await Add(new
        {
            name = "x", type = 7, inputs = new object[] { new { role = "nir", fileId = red }, new { role = "red", fileId = red, band = "two" } },
        }));
        Assert.Equal("outputName: starts with '.'; give a plain file name such as ndvi.tif", await Add(new
        {
            name = "x", type = 7, outputName = "../x.tif", inputs = new[] { new { role = "nir", fileId = red }, new { role = "red", fileId = red } },
        }));
        Assert.Equal("outputPath: a relative folder inside the caller's space, without '..'", await Add(new
        {
            name = "x", type = 7, outputPath = "../../etc", inputs = new[] { new { role = "nir", fileId = red }, new { role = "red", fileId = red } },
        }));
        Assert.StartsWith("type: 3 is not a task type", await Add(new { name = "x", type = 3, inputs = new { } }));
        Assert.Equal("inputs.nir.fileId: file 999 does not exist",
            await Add(new { name = "x", type = 7, inputs = new { nir = new { fileId = 999 }, red = new { fileId = red } } }));
        Assert.Equal("inputs.red.band: band 2 does not exist (file 1 has 1 band)",
            await Add(new { name = "x", type = 7, inputs = new { nir = new { fileId = red }, red = new { fileId = red, band = 2 } } }));
        Assert.Equal("name: required", await Add(new { type = 7, inputs = new { } }));
    }

    [SampleDataFact]
    public async Task AddTask_RefusesUnknownNullOrMistypedParameters_AndWarnsOfUnscaledInputs()
    {
        var ids = new Dictionary<string, long>();
        foreach (var (role, band) in new[] { ("nir", "B08"), ("red", "B04"), ("blue", "B02") })
        {
            ids[role] = await UploadAsync(SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif"), $"{band}.tif");
        }
        var inputs = ids.ToDictionary(p => p.Key, p => new { fileId = p.Value });
        async Task<string> Add(object parameters, int type = 8) =>
            await Problem(await _http.PostAsJsonAsync("/processtask/addTask", new { name = "x", type, inputs, @params = parameters }), HttpStatusCode.BadRequest);

        // A typo is refused by name, before anything runs (it used to be ignored: EVI of digital numbers, -202..57).
        Assert.Equal("params.scael: not a parameter of EVI (it takes scale, offset, nodata, resampling, formula and part)", await Add(new { scael = 0.0001 }));
        Assert.Equal("params.scale: null is not a value; leave the parameter out for its default", await Add(new { scale = (double?)null }));
        Assert.Equal("params.scale: a number", await Add(new { scale = "0.0001" }));
        Assert.Equal("params.resampling: 'lanczos' is not nearest, bilinear, cubic or average", await Add(new { resampling = "lanczos" }));
        Assert.Equal("inputs.blue: not an input of NDVI (it takes nir and red)", await Add(new { }, type: 7));
        Assert.StartsWith("params.formula: expression error at column 7: unknown band 'swir'", await Add(new { formula = "nir - swir" }));

        // Integer inputs without scale or offset: queued, with a warning on the task.
        var created = await Data(await _http.PostAsJsonAsync("/processtask/addTask", new { name = "evi of DN", type = 8, inputs }));
        var warning = created.GetProperty("warnings")[0].GetString()!;
        Assert.StartsWith("EVI is defined on reflectance, but input 'nir' (file ", warning);
        Assert.Contains("unscaled digital numbers", warning);
        var detail = await Data(await _http.GetAsync($"/processtask/query/task/detail?id={created.GetProperty("taskId").GetInt64()}"));
        Assert.Equal(warning, detail.GetProperty("warnings")[0].GetString());
        // With the scale given, nothing to warn of.
        var scaled = await Data(await _http.PostAsJsonAsync("/processtask/addTask", new { name = "evi", type = 8, inputs, @params = new { scale = 0.0001 } }));
        Assert.False(scaled.TryGetProperty("warnings", out _));
        // The result's size from the inputs' headers: one Float32 band on the 1098 x 1098 grid of the scene.
        Assert.Equal(1098L * 1098 * 4, scaled.GetProperty("estimatedOutputBytes").GetInt64());
    }

    [Fact]
    public async Task BadInput_GetsProblemDetails_AndTheServiceStaysUp()
    {
        Assert.Equal("task 12345 does not exist", await Problem(await _http.GetAsync("/processtask/query/task/detail?taskId=12345"), HttpStatusCode.NotFound));
        Assert.Equal("file 77 does not exist", await Problem(await _http.GetAsync("/files/77"), HttpStatusCode.NotFound));

        using var notTiff = new MultipartFormDataContent { { new ByteArrayContent("hello"u8.ToArray()), "file", "notes.tif" } };
        Assert.Equal("notes.tif: not a raster in a format read here (GeoTIFF)", await Problem(await _http.PostAsync("/files", notTiff), HttpStatusCode.BadRequest));
        using var hostile = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "../../etc/passwd" } };
        var response = await _http.PostAsync("/files", hostile);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        Assert.Equal("send the raster as multipart/form-data in a field named 'file'",
            await Problem(await _http.PostAsJsonAsync("/files", new { file = "B04.tif" }), HttpStatusCode.BadRequest));
        using var noFile = new MultipartFormDataContent { { new StringContent("x"), "comment" } };
        Assert.Equal("the form has no file field named 'file'", await Problem(await _http.PostAsync("/files", noFile), HttpStatusCode.BadRequest));

        // A few kilobytes of TIFF that claim a million by a million pixels.
        var huge = Path.Combine(_server!.Data.Path, "huge.src");
        using (var claims = Tessera.Raster.RasterDataset.Create(huge, "GTiff", new Tessera.Raster.RasterGrid(1_000_000, 1_000_000,
                   new Tessera.Raster.GeoTransform(0, 1, 0, 0, 0, -1), ""), 1, Tessera.Raster.RasterDataType.Byte,
                   ["TILED=YES", "BLOCKXSIZE=16384", "BLOCKYSIZE=16384", "SPARSE_OK=TRUE", "BIGTIFF=YES"]))
        {
            claims.Close();
        }
        Assert.True(new FileInfo(huge).Length < 1 << 20);
        using var hugeForm = new MultipartFormDataContent { { new StreamContent(File.OpenRead(huge)), "file", "huge.tif" } };
        Assert.Equal("huge.tif: band 1 declares blocks of 16384 x 16384 pixels (256 MiB each; at most 64 MiB are read here): tile it first, e.g. gdal_translate -co TILED=YES",
            await Problem(await _http.PostAsync("/files", hugeForm), HttpStatusCode.BadRequest));

        var badJson = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        Assert.StartsWith("the body is not valid JSON (line 1, byte 3): ",
            await Problem(await _http.PostAsync("/processtask/addTask", badJson), HttpStatusCode.BadRequest));
        Assert.Equal("pageNum: 0 is not 1 or more",
            await Problem(await _http.PostAsJsonAsync("/processtask/query/page", new { pageNum = 0 }), HttpStatusCode.BadRequest));

        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheSeedEndpoints()
    {
        var anonymous = _server!.Client(null);
        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/processtask/addTask", "/processtask/query/task/detail", "/processtask/query/page",
                     "/processtask/delete", "/processtask/query/file/bandInfo", "/metadata/query/raster/publishUrl", "/files" })
        {
            Assert.Contains(path, paths);
        }
    }

    [Fact]
    public async Task Serving_BeyondLoopback_WithoutTokens_IsRefused()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(_server!.Data.File("other")), "http://0.0.0.0:8080")));
        Assert.Contains("without API tokens", e.Message);
    }
}

public sealed class SqliteApiTests : ApiTests
{
    protected override string? Database() => null;
}

public sealed class PostgresApiTests(PostgresServer postgres) : ApiTests, IClassFixture<PostgresServer>
{
    private string _schema = "";

    protected override string? Database() => postgres.NewSchema(out _schema);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        postgres.DropSchema(_schema);
    }
}
