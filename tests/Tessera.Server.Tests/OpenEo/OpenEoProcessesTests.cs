using System.Net;
using System.Text.Json.Nodes;
using Tessera.Host;
using Tessera.Processing.Graphs;
using Tessera.Processing.Operations;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// <c>GET /openeo/1.2/processes</c> on a real server, asked by nobody: valid for the openEO API's OpenAPI document (and
/// the same list with a process broken is not, so the check can fail), listing exactly the registry's processes as
/// they describe themselves, Tessera's with their namespace, before openEO's predefined ones; the capabilities list the
/// route.
/// </summary>
public sealed class OpenEoProcessesTests : IAsyncLifetime
{
    private RunningServer? _server;
    private readonly HttpClient _anonymous = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url));
        _anonymous.BaseAddress = _server.Address;
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _server!.DisposeAsync();
    }

    [Fact]
    public async Task Processes_AreTheRegistrys_ValidForTheOpenEoApi_ForAnyone()
    {
        using var response = await _anonymous.GetAsync("/openeo/1.2/processes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var errors = OpenEoValidator.Validate([new OpenEoValidator.Response("get", "/processes", 200, body)]);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var listed = body["processes"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(ProcessRegistry.Runnable.Count, listed.Count);
        foreach (var process in ProcessRegistry.Runnable)
        {
            var same = listed.Where(p => p["id"]!.GetValue<string>() == process.Id && p["namespace"]?.GetValue<string>() == process.Namespace).ToList();
            Assert.True(JsonNode.DeepEquals(process.ToJson(), Assert.Single(same)), $"{process.Id} ({process.Namespace ?? "openEO"})");
        }
        // What the evaluator runs, and only that (the runnable ones, above): the processes of the openEO tests' graphs are all there.
        var ids = listed.Select(p => p["id"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "load_collection", "ndvi", "reduce_dimension", "max", "mean", "median", "array_element", "save_result",
            "merge_cubes", "mask", "mask_polygon", "resample_spatial", "aggregate_temporal_period", "aggregate_spatial", "load_stac" }, ids);

        Assert.Equal($"{_server!.Address}openeo/1.2/processes",
            body["links"]!.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "self")!["href"]!.GetValue<string>());

        // The check can fail: the same list with a parameter's schema taken out is not valid.
        var broken = body.DeepClone();
        broken["processes"]![0]!["parameters"]![0]!.AsObject().Remove("schema");
        Assert.NotEmpty(OpenEoValidator.Validate([new OpenEoValidator.Response("get", "/processes", 200, broken)]));
    }

    [Fact]
    public async Task Capabilities_ListTheRoute()
    {
        var capabilities = JsonNode.Parse(await _anonymous.GetStringAsync("/openeo/1.2/"))!;
        var processes = capabilities["endpoints"]!.AsArray().Single(e => e!["path"]!.GetValue<string>() == "/processes")!;
        Assert.Equal(["GET"], processes["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }
}
