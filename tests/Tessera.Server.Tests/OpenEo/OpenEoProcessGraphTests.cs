using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// <c>/openeo/1.2/process_graphs</c>: a user's processes stored, listed, described, replaced and deleted, each user's
/// own, every answer valid against the openEO API's document; what is not a process (unknown fields, a bad id, a graph
/// calling nothing this server runs, a process reaching itself) refused in openEO's error shape; <c>/validation</c> and
/// <c>/result</c> see the caller's processes.
/// </summary>
public sealed class OpenEoProcessGraphTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _alice = new();
    private HttpClient _bob = new();
    private readonly List<OpenEoValidator.Response> _seen = [];

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url),
            ("alice", "alice", Role.Write), ("bob", "bob", Role.Write), ("reader", "alice", Role.Read));
        _alice = _server.Client("alice");
        _bob = _server.Client("bob");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    /// <summary>A number doubled (<c>multiply(x, 2)</c>), or by the factor given.</summary>
    private static JsonObject Double(string? summary = "Doubles a number")
    {
        var process = JsonNode.Parse("""
        {"description": "Multiplies **x** by the factor.", "categories": ["math"],
         "parameters": [{"name": "x", "description": "A number.", "schema": {"type": "number"}},
                        {"name": "factor", "description": "The factor.", "schema": {"type": "number"}, "optional": true, "default": 2}],
         "returns": {"description": "x times the factor.", "schema": {"type": "number"}},
         "examples": [{"arguments": {"x": 3}, "returns": 6}],
         "process_graph": {"m": {"process_id": "multiply", "arguments": {"x": {"from_parameter": "x"}, "y": {"from_parameter": "factor"}}, "result": true}}}
        """)!.AsObject();
        if (summary is not null)
        {
            process["summary"] = summary;
        }
        return process;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> CallAsync(HttpClient client, HttpMethod method, string pattern, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, "/openeo/1.2" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? null : JsonNode.Parse(text);
        _seen.Add(new OpenEoValidator.Response(method.Method, pattern, (int)response.StatusCode, json));
        return (response.StatusCode, json);
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(HttpClient client, string id, JsonObject body) =>
        CallAsync(client, HttpMethod.Put, "/process_graphs/{process_graph_id}", $"/process_graphs/{id}", body);

    private static (string Code, string Message) Error(JsonNode? body) => (body!["code"]!.GetValue<string>(), body["message"]!.GetValue<string>());

    [Fact]
    public async Task Processes_AreStoredListedDescribedReplacedAndDeleted_EachUsersOwn_AsTheApiSays()
    {
        var withOtherId = Double();
        withOtherId["id"] = "something_else";

        Assert.Equal(HttpStatusCode.OK, (await PutAsync(_alice, "double", withOtherId)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(_alice, "triple", Double("Triples"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(_bob, "double", Double("Bob's"))).Status);

        var list = await CallAsync(_alice, HttpMethod.Get, "/process_graphs", "/process_graphs");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var listed = list.Body!["processes"]!.AsArray();
        Assert.Equal(["double", "triple"], listed.Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal("Doubles a number", listed[0]!["summary"]!.GetValue<string>());
        Assert.Null(listed[0]!["process_graph"]); // the list leaves the larger fields to the process's own page
        Assert.Null(listed[0]!["examples"]);

        var described = await CallAsync(_alice, HttpMethod.Get, "/process_graphs/{process_graph_id}", "/process_graphs/double");
        Assert.Equal("double", described.Body!["id"]!.GetValue<string>()); // the path's id, not the body's
        Assert.True(JsonNode.DeepEquals(Double()["process_graph"], described.Body["process_graph"]));
        Assert.True(JsonNode.DeepEquals(Double()["examples"], described.Body["examples"]));
        var bobs = await CallAsync(_bob, HttpMethod.Get, "/process_graphs/{process_graph_id}", "/process_graphs/double");
        Assert.Equal("Bob's", bobs.Body!["summary"]!.GetValue<string>());
        var notBobs = await CallAsync(_bob, HttpMethod.Get, "/process_graphs/{process_graph_id}", "/process_graphs/triple");
        Assert.Equal(HttpStatusCode.NotFound, notBobs.Status);
        Assert.Equal(("ProcessGraphNotFound", "you have no process 'triple' (GET /process_graphs lists them)"), Error(notBobs.Body));
        var reader = await CallAsync(_server!.Client("reader"), HttpMethod.Get, "/process_graphs", "/process_graphs"); // a reader sees its user's
        Assert.Equal(2, reader.Body!["processes"]!.AsArray().Count);

        // Replaced whole: what the new document leaves out is gone.
        var replacement = Double(null);
        replacement.Remove("examples");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(_alice, "double", replacement)).Status);
        var replaced = await CallAsync(_alice, HttpMethod.Get, "/process_graphs/{process_graph_id}", "/process_graphs/double");
        Assert.Null(replaced.Body!["examples"]);
        Assert.Null(replaced.Body["summary"]);

        Assert.Equal(HttpStatusCode.NoContent, (await CallAsync(_alice, HttpMethod.Delete, "/process_graphs/{process_graph_id}", "/process_graphs/double")).Status);
        var gone = await CallAsync(_alice, HttpMethod.Delete, "/process_graphs/{process_graph_id}", "/process_graphs/double");
        Assert.Equal((HttpStatusCode.NotFound, "ProcessGraphNotFound"), (gone.Status, Error(gone.Body).Code));
        Assert.Equal(["triple"], (await CallAsync(_alice, HttpMethod.Get, "/process_graphs", "/process_graphs")).Body!["processes"]!.AsArray()
            .Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(_bob, HttpMethod.Get, "/process_graphs/{process_graph_id}", "/process_graphs/double")).Status);

        var errors = OpenEoValidator.Validate(_seen);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task WhatIsNotAProcess_IsRefused_SayingWhy()
    {
        var unknownField = Double();
        unknownField["color"] = "red";
        var unknownProcess = Double();
        unknownProcess["process_graph"]!["m"]!["process_id"] = "multiply_all";
        var undeclared = Double();
        undeclared["parameters"]!.AsArray().RemoveAt(1);
        var selfCalling = Double();
        selfCalling["process_graph"]!["m"] = JsonNode.Parse("""{"process_id": "loop", "arguments": {"x": {"from_parameter": "x"}}, "result": true}""");

        var refusals = new[]
        {
            (await PutAsync(_alice, "bad-id", Double()), "ProcessGraphInvalid", "'bad-id' is not an id of a process: letters, digits and _ only"),
            (await PutAsync(_alice, "p", unknownField), "ProcessGraphInvalid",
                "'color' is not a field of a process (known: id, summary, description, categories, parameters, returns, deprecated, experimental, exceptions, examples, links, process_graph)"),
            (await PutAsync(_alice, "p", unknownProcess), "ProcessUnsupported",
                "node 'm': process 'multiply_all' is not one this server runs (GET /processes lists them) nor one of your processes (GET /process_graphs)"),
            (await PutAsync(_alice, "p", undeclared), "ProcessParameterMissing", "node 'm', argument 'y': from_parameter 'factor': not a parameter here (there are x)"),
            (await PutAsync(_alice, "loop", selfCalling), "ProcessGraphInvalid", "'loop' would call itself: loop -> loop; a process may not be recursive"),
        };

        foreach (var ((status, body), code, message) in refusals)
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal((code, message), Error(body));
        }
        Assert.Empty((await CallAsync(_alice, HttpMethod.Get, "/process_graphs", "/process_graphs")).Body!["processes"]!.AsArray());
        var errors = OpenEoValidator.Validate(_seen);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Validation_SeesTheCallersProcesses_AndChecksAProcessWithParametersAsOne()
    {
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(_alice, "double", Double())).Status);
        var calling = JsonNode.Parse("""
            {"process_graph": {"d": {"process_id": "double", "arguments": {"x": 3}},
                               "e": {"process_id": "double", "namespace": "user", "arguments": {"x": {"from_node": "d"}, "factor": "ten"}, "result": true}}}
            """)!.AsObject();

        var alices = await CallAsync(_alice, HttpMethod.Post, "/validation", "/validation", calling);
        var bobs = await CallAsync(_bob, HttpMethod.Post, "/validation", "/validation", calling);
        var withParameters = await CallAsync(_bob, HttpMethod.Post, "/validation", "/validation", Double());

        Assert.Equal(("ProcessArgumentInvalid", "node 'e', argument 'factor': \"ten\" is not a number"), Error(Assert.Single(alices.Body!["errors"]!.AsArray())));
        Assert.Equal("ProcessUnsupported", Error(Assert.Single(bobs.Body!["errors"]!.AsArray())).Code);
        Assert.Empty(withParameters.Body!["errors"]!.AsArray());
        var errors = OpenEoValidator.Validate(_seen);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
