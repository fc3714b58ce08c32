using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// User-defined processes run over the Slovenian collection: a graph calling <c>scaled_max_ndvi</c> (which calls
/// <c>max_ndvi</c>, whose reducer's <c>data</c> is the reducer's own, not the process's) gives numpy's maximum NDVI
/// times the factor passed; a job keeps the processes as they were when it was created, so changing and deleting them
/// afterwards changes nothing of its result; the official JavaScript client stores, lists, describes and calls one.
/// </summary>
public sealed partial class OpenEoResultTests
{
    private static JsonObject AsResult(JsonObject node)
    {
        node["result"] = true;
        return node;
    }

    /// <summary>ndvi, then the maximum over t.</summary>
    private static JsonObject MaxNdviProcess() => new()
    {
        ["summary"] = "Maximum NDVI over time",
        ["parameters"] = JsonNode.Parse("""[{"name": "data", "description": "A cube of red and nir.", "schema": {"type": "object", "subtype": "datacube"}}]"""),
        ["process_graph"] = new JsonObject
        {
            ["n"] = Node("ndvi", new JsonObject { ["data"] = Parameter("data") }),
            ["r"] = AsResult(ReduceTime("n", "max")),
        },
    };

    /// <summary>max_ndvi (called without a namespace), then every value times the factor (1 unless given).</summary>
    private static JsonObject ScaledMaxNdviProcess(string inner = "max_ndvi") => new()
    {
        ["parameters"] = JsonNode.Parse("""
            [{"name": "data", "description": "A cube of red and nir.", "schema": {"type": "object", "subtype": "datacube"}},
             {"name": "factor", "description": "The factor.", "schema": {"type": "number"}, "default": 1, "optional": true}]
            """),
        ["process_graph"] = new JsonObject
        {
            ["m"] = Node(inner, new JsonObject { ["data"] = Parameter("data") }),
            ["s"] = AsResult(Node("apply", new JsonObject
            {
                ["data"] = From("m"),
                ["process"] = Callback("multiply", new JsonObject { ["x"] = Parameter("x"), ["y"] = Parameter("factor") }),
            })),
        },
    };

    private async Task PutProcessAsync(string id, JsonObject process)
    {
        var response = await _http.PutAsync($"/openeo/1.2/process_graphs/{id}", new StringContent(process.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>load (four dates) → scaled_max_ndvi(factor) → save.</summary>
    private static JsonObject CallingScaledMaxNdvi(double factor) => Body(
        ("load", Load("2015-07-01", "2015-09-09")),
        ("scaled", Node("scaled_max_ndvi", new JsonObject { ["data"] = From("load"), ["factor"] = factor })));

    private static readonly string[] FourDates = ["20150711", "20150731", "20150820", "20150830"];

    [SampleDataFact]
    public async Task AGraphCallingNestedUserProcesses_EqualsNumpy_WithTheFactorPassed()
    {
        await PutProcessAsync("max_ndvi", MaxNdviProcess());
        await PutProcessAsync("scaled_max_ndvi", ScaledMaxNdviProcess());

        var result = await ResultAsync(CallingScaledMaxNdvi(100), "udp.tif");

        var reference = PythonReference.Run("openeo_reduce_reference.py", new
        {
            result,
            reducer = "max",
            scale = 100,
            dates = FourDates.Select(d => new { nir = Band(d, "B08"), red = Band(d, "B04") }).ToArray(),
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-4, reference.ToString()); // float32 NDVI times 100
        Assert.True(reference.GetProperty("validPixels").GetInt32() > 3000, reference.ToString());
    }

    [SampleDataFact]
    public async Task AJob_RunsItsUserProcessesAsTheyWereWhenItWasCreated()
    {
        await PutProcessAsync("max_ndvi", MaxNdviProcess());
        await PutProcessAsync("scaled_max_ndvi", ScaledMaxNdviProcess());
        var created = await _http.PostAsync("/openeo/1.2/jobs", new StringContent(CallingScaledMaxNdvi(10).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = created.Headers.GetValues("OpenEO-Identifier").Single();

        // Afterwards: scaled_max_ndvi now calls a process that is then deleted; a new graph calling it is refused, naming
        // the inlined node (the caller's id, then the process's node).
        await PutProcessAsync("min_ndvi", MaxNdviProcess());
        await PutProcessAsync("scaled_max_ndvi", ScaledMaxNdviProcess("min_ndvi"));
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/openeo/1.2/process_graphs/min_ndvi")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/openeo/1.2/process_graphs/max_ndvi")).StatusCode);
        var (code, message) = await RefusedAsync(CallingScaledMaxNdvi(10));
        Assert.Equal(("ProcessUnsupported", "node 'scaled/m': process 'min_ndvi' is not one this server runs (GET /processes lists them) nor one of your processes (GET /process_graphs)"),
            (code, message));

        // Patching the job without a new graph keeps what it kept; a new graph would be checked against the processes as they are now.
        var titled = await _http.PatchAsync($"/openeo/1.2/jobs/{id}", new StringContent("""{"title": "kept"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, titled.StatusCode);
        var regraphed = await _http.PatchAsync($"/openeo/1.2/jobs/{id}", new StringContent(CallingScaledMaxNdvi(10).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, regraphed.StatusCode);

        Assert.Equal("finished", await _http.RunToEndAsync(id));
        var results = await _http.GetFromJsonAsync<JsonObject>($"/openeo/1.2/jobs/{id}/results");
        using var anonymous = new HttpClient();
        var path = _out.File("job-udp.tif");
        await File.WriteAllBytesAsync(path, await anonymous.GetByteArrayAsync(results!["assets"]!["result.tif"]!["href"]!.GetValue<string>()));

        var reference = PythonReference.Run("openeo_reduce_reference.py", new
        {
            result = path,
            reducer = "max",
            scale = 10,
            dates = FourDates.Select(d => new { nir = Band(d, "B08"), red = Band(d, "B04") }).ToArray(),
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
        Assert.True(reference.GetProperty("validPixels").GetInt32() > 3000, reference.ToString());
    }

    [SampleDataFact]
    public void TheOfficialJavaScriptClient_StoresListsAndCallsAUserProcess_ItsResultEqualsNumpy()
    {
        var box = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        var output = _out.File("client-udp.tif");

        var answer = OpenEoClient.Run(new JsonObject
        {
            ["url"] = _server!.Address.ToString(),
            ["token"] = _server.Token("alice"),
            ["mode"] = "udp",
            ["udp"] = "ndvi_mean",
            ["collection"] = "slovenia",
            ["spatial_extent"] = new JsonObject { ["west"] = box.MinX, ["south"] = box.MinY, ["east"] = box.MaxX, ["north"] = box.MaxY },
            ["temporal_extent"] = new JsonArray("2015-08-01", "2015-10-01"),
            ["bands"] = new JsonArray("B04", "B08"),
            ["reducer"] = "mean",
            ["output"] = output,
        });

        Assert.Equal(0, answer.GetProperty("validationErrors").GetInt32());
        Assert.Contains("ndvi_mean", answer.GetProperty("listed").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("NDVI reduced over time", answer.GetProperty("summary").GetString());
        Assert.Equal(["data"], answer.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()));
        Assert.DoesNotContain("ndvi_mean", answer.GetProperty("afterDelete").EnumerateArray().Select(p => p.GetString()));
        var reference = PythonReference.Run("openeo_reduce_reference.py", Reference(output, "mean", ["20150820", "20150830", "20150909"]));
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        Assert.Equal(100 * 101, reference.GetProperty("validPixels").GetInt32());
    }
}
