using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// Process graphs run synchronously (<c>POST /openeo/1.2/result</c>) over a harvested collection of five Sentinel-2
/// dates of one Slovenian patch, their red and near-infrared bands served by a real HTTP server on loopback (downloaded
/// when the graph loads them): <c>load_collection -> ndvi -> reduce_dimension(t) -> save_result</c> equals numpy's
/// NDVI and reduction over the same dates and window; a cloud-cover condition leaves out the cloudy dates; a graph
/// with a mistake is refused naming the node and argument, by <c>/result</c> and by <c>/validation</c>.
/// </summary>
public sealed partial class OpenEoResultTests : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private readonly TempFolder _out = new();
    private StaticHttpServer? _source;
    private RunningServer? _server;
    private HttpClient _http = new();

    /// <summary>The dates (file suffix) and their cloud cover, as the sample data's README gives them.</summary>
    private static readonly (string Date, double Cloud)[] Dates =
        [("20150711", 0), ("20150731", 100), ("20150820", 100), ("20150830", 0), ("20150909", 0)];

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1),
            AllowedHosts: "127.0.0.1"), url), ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
        if (!SampleData.IsAvailable)
        {
            return;
        }
        _source = StaticHttpServer.Serve(_www.Path);
        var items = new List<CatalogItem>();
        foreach (var (date, cloud) in Dates)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_www.Path, date)).FullName;
            var source = SampleData.File($"S2_L1C_slovenia_{date}_13bands.tif");
            ExternalTool.Run("gdal_translate", "-q", "-b", "4", source, Path.Combine(folder, "B04.tif"));
            ExternalTool.Run("gdal_translate", "-q", "-b", "8", source, Path.Combine(folder, "B08.tif"));
            var box = LonLatBounds(source);
            var time = DateTimeOffset.ParseExact(date, "yyyyMMdd", null, System.Globalization.DateTimeStyles.AssumeUniversal).AddHours(10);
            items.Add(new CatalogItem("slovenia", $"S2A_{date}", time, time, time, Tessera.Catalog.Stac.StacItems.Polygon(box.MinX, box.MinY, box.MaxX, box.MaxY),
                box, cloud, "sentinel-2a", null, [],
                [
                    new CatalogAsset("B04", new Uri(_source.Address, $"{date}/B04.tif").ToString(), "image/tiff; application=geotiff", Roles: ["data"], Band: "red"),
                    new CatalogAsset("B08", new Uri(_source.Address, $"{date}/B08.tif").ToString(), "image/tiff; application=geotiff", Roles: ["data"], Band: "nir"),
                ]));
        }
        _items = items;
        await FillAsync(_server);
    }

    private List<CatalogItem> _items = [];

    /// <summary>The harvested collection of the five dates, in a server's catalog.</summary>
    private async Task FillAsync(RunningServer server)
    {
        var catalog = server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("slovenia", "Slovenia patch", "Five dates of a Sentinel-2 L1C patch", "CC-BY-4.0",
            CollectionKind.Harvested, [new CatalogBand("B04", "red", 0.665), new CatalogBand("B08", "nir", 0.842)], []));
        await catalog.UpsertItemsAsync(_items);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _source?.Dispose();
        _www.Dispose();
        _out.Dispose();
    }

    private static Bounds LonLatBounds(string path)
    {
        using var ds = RasterDataset.Open(path);
        using var own = SpatialReference.FromWkt(ds.Grid.CrsWkt);
        using var wgs84 = SpatialReference.Wgs84();
        return own.TransformBounds(wgs84, ds.Grid.Bounds);
    }

    /// <summary>load_collection → ndvi → reduce_dimension(t, reducer) → save_result(GTiff), over a box inside the patch.</summary>
    private static JsonObject Graph(string reducer, string start, string end, JsonObject? properties = null)
    {
        var box = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        var (w, h) = (box.MaxX - box.MinX, box.MaxY - box.MinY);
        var load = new JsonObject
        {
            ["id"] = "slovenia",
            ["spatial_extent"] = new JsonObject { ["west"] = box.MinX + w * 0.2, ["south"] = box.MinY + h * 0.25, ["east"] = box.MaxX - w * 0.1, ["north"] = box.MaxY - h * 0.15 },
            ["temporal_extent"] = new JsonArray(start, end),
            ["bands"] = new JsonArray("B04", "B08"),
        };
        if (properties is not null)
        {
            load["properties"] = properties;
        }
        return new JsonObject
        {
            ["process"] = new JsonObject
            {
                ["process_graph"] = new JsonObject
                {
                    ["load"] = new JsonObject { ["process_id"] = "load_collection", ["arguments"] = load },
                    ["ndvi"] = new JsonObject { ["process_id"] = "ndvi", ["arguments"] = new JsonObject { ["data"] = new JsonObject { ["from_node"] = "load" } } },
                    ["reduce"] = new JsonObject
                    {
                        ["process_id"] = "reduce_dimension",
                        ["arguments"] = new JsonObject
                        {
                            ["data"] = new JsonObject { ["from_node"] = "ndvi" },
                            ["dimension"] = "t",
                            ["reducer"] = new JsonObject
                            {
                                ["process_graph"] = new JsonObject
                                {
                                    ["r"] = new JsonObject
                                    {
                                        ["process_id"] = reducer, ["arguments"] = new JsonObject { ["data"] = new JsonObject { ["from_parameter"] = "data" } }, ["result"] = true,
                                    },
                                },
                            },
                        },
                    },
                    ["save"] = new JsonObject
                    {
                        ["process_id"] = "save_result",
                        ["arguments"] = new JsonObject { ["data"] = new JsonObject { ["from_node"] = "reduce" }, ["format"] = "GTiff" },
                        ["result"] = true,
                    },
                },
            },
        };
    }

    private async Task<string> ResultAsync(JsonObject body, string name)
    {
        var response = await _http.PostAsync("/openeo/1.2/result", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.StartsWith("image/tiff", response.Content.Headers.ContentType!.ToString());
        var path = _out.File(name);
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }

    private object Reference(string result, string reducer, IEnumerable<string> dates, string? sameAs = null) => new
    {
        result,
        reducer,
        sameAs,
        dates = dates.Select(d => new { nir = Path.Combine(_www.Path, d, "B08.tif"), red = Path.Combine(_www.Path, d, "B04.tif") }).ToArray(),
    };

    [SampleDataFact]
    public async Task NdviMaxOverTime_EqualsNumpy_OverTheDatesOfTheExtent()
    {
        var result = await ResultAsync(Graph("max", "2015-07-01", "2015-09-09"), "max.tif"); // the end is excluded: four dates

        var reference = PythonReference.Run("openeo_reduce_reference.py", Reference(result, "max", ["20150711", "20150731", "20150820", "20150830"]));
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        Assert.True(reference.GetProperty("validPixels").GetInt32() > 3000, reference.ToString());
        Assert.True(reference.GetProperty("width").GetInt32() < 100, reference.ToString()); // the box cut the patch
    }

    [SampleDataFact]
    public async Task ACloudCoverCondition_LeavesOutTheCloudyDates()
    {
        var properties = new JsonObject
        {
            ["eo:cloud_cover"] = new JsonObject
            {
                ["process_graph"] = new JsonObject
                {
                    ["c"] = new JsonObject
                    {
                        ["process_id"] = "lte",
                        ["arguments"] = new JsonObject { ["x"] = new JsonObject { ["from_parameter"] = "value" }, ["y"] = 50 },
                        ["result"] = true,
                    },
                },
            },
        };
        var result = await ResultAsync(Graph("mean", "2015-07-01", "2015-10-01", properties), "mean.tif");

        var clear = Dates.Where(d => d.Cloud <= 50).Select(d => d.Date).ToList();
        Assert.Equal(3, clear.Count);
        var reference = PythonReference.Run("openeo_reduce_reference.py", Reference(result, "mean", clear));
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        // Not the mean of all five: the cloudy dates change it.
        var all = PythonReference.Run("openeo_reduce_reference.py", Reference(result, "mean", Dates.Select(d => d.Date)));
        Assert.True(all.GetProperty("maxAbsDiff").GetDouble() > 1e-3, all.ToString());
    }

    [SampleDataFact]
    public void TheOfficialJavaScriptClient_BuildsAndRunsTheGraph_AndItsResultEqualsNumpy()
    {
        var box = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        var output = _out.File("client.tif");

        var answer = OpenEoClient.Run(new JsonObject
        {
            ["url"] = _server!.Address.ToString(),
            ["token"] = _server.Token("alice"),
            ["collection"] = "slovenia",
            ["spatial_extent"] = new JsonObject { ["west"] = box.MinX, ["south"] = box.MinY, ["east"] = box.MaxX, ["north"] = box.MaxY },
            ["temporal_extent"] = new JsonArray("2015-08-01", "2015-10-01"),
            ["bands"] = new JsonArray("B04", "B08"),
            ["reducer"] = "median",
            ["output"] = output,
        });

        Assert.Equal("1.2.0", answer.GetProperty("apiVersion").GetString());
        Assert.Equal(["slovenia"], answer.GetProperty("collections").EnumerateArray().Select(c => c.GetString()));
        var reference = PythonReference.Run("openeo_reduce_reference.py", Reference(output, "median", ["20150820", "20150830", "20150909"]));
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        // The longitude/latitude box of the whole patch, back in its UTM zone, covers all of it (and a little more).
        Assert.Equal(100 * 101, reference.GetProperty("validPixels").GetInt32());
    }

    [SampleDataFact]
    public void ABatchJob_RunByTheOfficialClient_GivesTheSameValuesAsTheSynchronousRun_WithLogsAndSignedLinks()
    {
        var box = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        JsonObject Request(string mode, string output) => new()
        {
            ["url"] = _server!.Address.ToString(),
            ["token"] = _server.Token("alice"),
            ["collection"] = "slovenia",
            ["spatial_extent"] = new JsonObject { ["west"] = box.MinX, ["south"] = box.MinY, ["east"] = box.MaxX, ["north"] = box.MaxY },
            ["temporal_extent"] = new JsonArray("2015-07-01", "2015-08-25"),
            ["bands"] = new JsonArray("B04", "B08"),
            ["reducer"] = "mean",
            ["output"] = output,
            ["mode"] = mode,
        };
        var synchronous = _out.File("sync.tif");
        var batch = _out.File("batch.tif");

        OpenEoClient.Run(Request("sync", synchronous));
        var answer = OpenEoClient.Run(Request("batch", batch));

        Assert.Equal("finished", answer.GetProperty("status").GetString());
        var href = Assert.Single(answer.GetProperty("hrefs").EnumerateArray()).GetString()!;
        Assert.Contains("signature=", href);
        var logs = answer.GetProperty("logs").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Contains(logs, l => l.Contains("3 scenes of 'slovenia' found"));
        Assert.Contains(logs, l => l.StartsWith("computed ", StringComparison.Ordinal));
        var reference = PythonReference.Run("openeo_reduce_reference.py", new
        {
            result = batch,
            reducer = "mean",
            sameAs = synchronous,
            dates = new[] { "20150711", "20150731", "20150820" }.Select(d => new { nir = Path.Combine(_www.Path, d, "B08.tif"), red = Path.Combine(_www.Path, d, "B04.tif") }).ToArray(),
        });
        Assert.True(reference.GetProperty("identicalToOther").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
    }

    [SampleDataFact]
    public async Task Jobs_AnswerAsTheOpenEoApiSays_AndAForgedLinkIsRefused()
    {
        var seen = new List<OpenEoValidator.Response>();
        async Task<(HttpResponseMessage Response, JsonNode? Body)> Call(HttpMethod method, string path, string url, JsonObject? body = null)
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }
            var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length == 0 ? null : JsonNode.Parse(text);
            seen.Add(new OpenEoValidator.Response(method.Method, path, (int)response.StatusCode, json));
            return (response, json);
        }
        var graph = Graph("max", "2015-07-01", "2015-08-01");
        graph["title"] = "July max";

        var created = await Call(HttpMethod.Post, "/jobs", "/openeo/1.2/jobs", graph);
        Assert.Equal(HttpStatusCode.Created, created.Response.StatusCode);
        var id = created.Response.Headers.GetValues("OpenEO-Identifier").Single();
        Assert.EndsWith($"/openeo/1.2/jobs/{id}", created.Response.Headers.Location!.ToString());
        var described = await Call(HttpMethod.Get, "/jobs/{job_id}", $"/openeo/1.2/jobs/{id}");
        Assert.Equal(("created", "July max"), (described.Body!["status"]!.GetValue<string>(), described.Body["title"]!.GetValue<string>()));
        var patched = await Call(HttpMethod.Patch, "/jobs/{job_id}", $"/openeo/1.2/jobs/{id}", new JsonObject { ["description"] = "Two dates" });
        Assert.Equal(HttpStatusCode.NoContent, patched.Response.StatusCode);
        var early = await Call(HttpMethod.Get, "/jobs/{job_id}/results", $"/openeo/1.2/jobs/{id}/results");
        Assert.Equal((HttpStatusCode.BadRequest, "JobNotFinished"), (early.Response.StatusCode, early.Body!["code"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.Accepted, (await Call(HttpMethod.Post, "/jobs/{job_id}/results", $"/openeo/1.2/jobs/{id}/results")).Response.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string status;
        do
        {
            await Task.Delay(300);
            status = (await _http.GetFromJsonAsync<JsonObject>($"/openeo/1.2/jobs/{id}"))!["status"]!.GetValue<string>();
        }
        while (status is "queued" or "running" && DateTime.UtcNow < deadline);
        Assert.Equal("finished", status);
        await Call(HttpMethod.Get, "/jobs/{job_id}", $"/openeo/1.2/jobs/{id}");
        await Call(HttpMethod.Get, "/jobs", "/openeo/1.2/jobs");
        var logs = await Call(HttpMethod.Get, "/jobs/{job_id}/logs", $"/openeo/1.2/jobs/{id}/logs");
        Assert.NotEmpty(logs.Body!["logs"]!.AsArray());
        var results = await Call(HttpMethod.Get, "/jobs/{job_id}/results", $"/openeo/1.2/jobs/{id}/results");
        var href = results.Body!["assets"]!["result.tif"]!["href"]!.GetValue<string>();

        using var anonymous = new HttpClient();
        var file = await anonymous.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var forged = await anonymous.GetAsync(href.Replace("expires=", "expires=9") );
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var errors = OpenEoValidator.Validate(seen);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        Assert.Equal(HttpStatusCode.NoContent, (await Call(HttpMethod.Delete, "/jobs/{job_id}", $"/openeo/1.2/jobs/{id}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/openeo/1.2/jobs/{id}")).StatusCode);
    }

    [SampleDataFact]
    public async Task SaveResultOptions_GiveTheGeoTiffAskedFor()
    {
        var plain = await ResultAsync(Graph("max", "2015-07-01", "2015-09-09"), "plain.tif");
        var striped = Graph("max", "2015-07-01", "2015-09-09");
        striped["process"]!["process_graph"]!["save"]!["arguments"]!["options"] = new JsonObject { ["tiled"] = false, ["compress"] = "deflate" };
        var deflate = await ResultAsync(striped, "deflate.tif");

        var layout = PythonReference.Run("geotiff_layout.py", new { path = deflate });
        Assert.Equal(("DEFLATE", "Float32", false), (layout.GetProperty("compression").GetString(), layout.GetProperty("type").GetString(),
            layout.GetProperty("tiled").GetBoolean()));
        var same = PythonReference.Run("openeo_reduce_reference.py", Reference(deflate, "max", ["20150711", "20150731", "20150820", "20150830"], sameAs: plain));
        Assert.True(same.GetProperty("identicalToOther").GetBoolean(), same.ToString());

        // JPEG holds bytes: the NDVI scaled to 0..255 by apply(linear_scale_range) first.
        var jpeg = Graph("max", "2015-07-01", "2015-09-09");
        var nodes = jpeg["process"]!["process_graph"]!.AsObject();
        nodes["scale"] = JsonNode.Parse("""
            {"process_id": "apply", "arguments": {"data": {"from_node": "reduce"}, "process": {"process_graph": {"s": {"process_id": "linear_scale_range",
              "arguments": {"x": {"from_parameter": "x"}, "inputMin": -1, "inputMax": 1, "outputMin": 0, "outputMax": 255}, "result": true}}}}}
            """);
        nodes["save"]!["arguments"]!["data"] = new JsonObject { ["from_node"] = "scale" };
        nodes["save"]!["arguments"]!["options"] = new JsonObject { ["compress"] = "jpeg", ["jpeg_quality"] = 95 };
        var jpegFile = await ResultAsync(jpeg, "jpeg.tif");
        var jpegLayout = PythonReference.Run("geotiff_layout.py", new { path = jpegFile, scaledFrom = plain, scale = new[] { -1.0, 1, 0, 255 } });
        Assert.Equal(("JPEG", "Byte"), (jpegLayout.GetProperty("compression").GetString(), jpegLayout.GetProperty("type").GetString()));
        Assert.True(jpegLayout.GetProperty("meanAbsDiff").GetDouble() < 2, jpegLayout.ToString()); // rounding and JPEG's loss

        var ycbcr = Graph("max", "2015-07-01", "2015-09-09");
        ycbcr["process"]!["process_graph"]!["save"]!["arguments"]!["options"] = new JsonObject { ["compress"] = "jpeg", ["photometric"] = "YCBCR" };
        var refused = await _http.PostAsync("/openeo/1.2/result", new StringContent(ycbcr.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(("FormatArgumentInvalid", "node 'save', argument 'options': photometric YCBCR: needs three bands (red, green, blue); the cube has 1"),
            (error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>()));
    }

    private static string Invariant(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The seed's first /execute example over the Slovenian patch: a UTM box, a date range, NDVI, min_time, with its output options.</summary>
    private static JsonObject SeedRequest(JsonObject output)
    {
        using var ds = RasterDataset.Open(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        var b = ds.Grid.Bounds;
        return new JsonObject
        {
            ["process_graph"] = JsonNode.Parse("""
                {"process_id": "min_time", "args": {"imagery": {"process_id": "NDVI", "args": {
                  "imagery": {"process_id": "filter_daterange", "args": {
                    "imagery": {"process_id": "filter_bbox", "args": {"imagery": {"product_id": "slovenia"},
                      "left": LEFT, "right": RIGHT, "top": TOP, "bottom": BOTTOM, "srs": "EPSG:32633"}},
                    "from": "2015-07-01", "to": "2015-08-30"}},
                  "red": "B04", "nir": "B08"}}}}
                """.Replace("LEFT", Invariant(b.MinX + 200)).Replace("RIGHT", Invariant(b.MaxX - 100)).Replace("TOP", Invariant(b.MaxY - 150))
                .Replace("BOTTOM", Invariant(b.MinY + 250))),
            ["output"] = output,
        };
    }

    [SampleDataFact]
    public async Task TheSeedsExecuteFormat_RunsOnTheSameEvaluator()
    {
        var response = await _http.PostAsync("/execute", new StringContent(SeedRequest(new JsonObject { ["format"] = "GTiff", ["tiled"] = true, ["compress"] = "deflate" })
            .ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.StartsWith("image/tiff", response.Content.Headers.ContentType!.ToString());
        var path = _out.File("execute.tif");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());

        // "to" is a day included: four dates; the box cut the patch on every side.
        var reference = PythonReference.Run("openeo_reduce_reference.py", Reference(path, "min", ["20150711", "20150731", "20150820", "20150830"]));
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        Assert.Equal(100 - 30, reference.GetProperty("width").GetInt32());
        Assert.Equal("DEFLATE", PythonReference.Run("geotiff_layout.py", new { path }).GetProperty("compression").GetString());

        // The seed's own output options ask for a JPEG colour image (YCbCr): the NDVI rendered along red-yellow-green from -1 to 1.
        var colour = await _http.PostAsync("/execute", new StringContent(SeedRequest(new JsonObject
        {
            ["format"] = "GTiff", ["tiled"] = true, ["compress"] = "jpeg", ["photometric"] = "YCBCR", ["jpeg_quality"] = 80,
        }).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(colour.StatusCode == HttpStatusCode.OK, await colour.Content.ReadAsStringAsync());
        Assert.StartsWith("image/tiff", colour.Content.Headers.ContentType!.ToString());
        var image = _out.File("execute-colour.tif");
        await File.WriteAllBytesAsync(image, await colour.Content.ReadAsByteArrayAsync());
        var layout = PythonReference.Run("geotiff_layout.py", new { path = image });
        Assert.Equal(("YCbCr JPEG", "YCbCr", "Byte", 3, true), (layout.GetProperty("compression").GetString(), layout.GetProperty("photometric").GetString(),
            layout.GetProperty("type").GetString(), layout.GetProperty("bands").GetInt32(), layout.GetProperty("tiled").GetBoolean()));
        var colours = PythonReference.Run("openeo_colour_reference.py", new { image, values = path, ramp = "rdylgn", min = -1, max = 1 });
        Assert.True(colours.GetProperty("meanAbsDiff").GetDouble() < 3, colours.ToString()); // JPEG at quality 80
        Assert.True(colours.GetProperty("valid").GetInt32() > 1000, colours.ToString());
    }

    [SampleDataFact]
    public async Task ASynchronousRequestOverTheBudget_IsRefusedWithItsEstimate_AndAJobEstimatesItsSize()
    {
        // Four dates of two bands over the box: what the graph reads, worked out here from the result's grid.
        var within = await ResultAsync(Graph("max", "2015-07-01", "2015-09-09"), "within.tif");
        using var result = RasterDataset.Open(within);
        var bandPixels = (long)result.Grid.Width * result.Grid.Height * 4 * 2;
        await using var strict = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1),
            AllowedHosts: "127.0.0.1", OpenEoSyncMegapixels: 0), url), ("alice", "alice", Role.Write));
        await FillAsync(strict);

        var refused = await strict.Client("alice").PostAsync("/openeo/1.2/result",
            new StringContent(Graph("max", "2015-07-01", "2015-09-09").ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("ComputationTooLarge", error["code"]!.GetValue<string>());
        Assert.StartsWith(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the graph reads about {bandPixels / 1e6:0.#} million band pixels (a cube of {result.Grid.Width} x {result.Grid.Height} pixels over 8 band files), more than the 0 million"),
            error["message"]!.GetValue<string>());
        Assert.EndsWith("run it as a batch job (POST /jobs, then POST /jobs/{id}/results)", error["message"]!.GetValue<string>());

        var created = await _http.PostAsync("/openeo/1.2/jobs", new StringContent(Graph("max", "2015-07-01", "2015-09-09").ToJsonString(), Encoding.UTF8, "application/json"));
        var id = created.Headers.GetValues("OpenEO-Identifier").Single();
        var estimate = JsonNode.Parse(await _http.GetStringAsync($"/openeo/1.2/jobs/{id}/estimate"))!;
        Assert.Equal((long)result.Grid.Width * result.Grid.Height * 4, estimate["size"]!.GetValue<long>()); // one Float32 band
        var errors = OpenEoValidator.Validate([new OpenEoValidator.Response("get", "/jobs/{job_id}/estimate", 200, estimate)]);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SampleDataFact]
    public async Task AMistake_IsRefusedNamingTheNodeAndArgument_ByResultAndByValidation()
    {
        var graph = Graph("max", "2015-07-01", "2015-09-09");
        graph["process"]!["process_graph"]!["load"]!["arguments"]!["bands"] = new JsonArray("B04", "B99");

        var refused = await _http.PostAsync("/openeo/1.2/result", new StringContent(graph.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("ProcessArgumentInvalid", error["code"]!.GetValue<string>());
        Assert.Equal("node 'load', argument 'bands': 'B99' is not a band of 'slovenia' (it has B04, B08)", error["message"]!.GetValue<string>());

        var unknown = Graph("max", "2015-07-01", "2015-09-09");
        unknown["process"]!["process_graph"]!["ndvi"]!["process_id"] = "ndvvi";
        var validation = await _http.PostAsync("/openeo/1.2/validation", new StringContent(unknown["process"]!.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, validation.StatusCode);
        var errors = JsonNode.Parse(await validation.Content.ReadAsStringAsync())!["errors"]!.AsArray();
        Assert.Equal("ProcessUnsupported", Assert.Single(errors)!["code"]!.GetValue<string>());
        Assert.StartsWith("node 'ndvi': process 'ndvvi' is not one this server runs", errors[0]!["message"]!.GetValue<string>());

        var fine = await _http.PostAsync("/openeo/1.2/validation", new StringContent(Graph("max", "2015-07-01", "2015-09-09")["process"]!.ToJsonString(),
            Encoding.UTF8, "application/json"));
        Assert.Empty(JsonNode.Parse(await fine.Content.ReadAsStringAsync())!["errors"]!.AsArray());
    }
}
