using System.Text.Json.Nodes;
using Tessera.Processing.Graphs;

namespace Tessera.Processing.Tests.Graphs;

/// <summary>Process graphs read and checked before anything runs: each mistake refused with openEO's code, naming the node and argument.</summary>
public sealed class GraphParserTests
{
    private static JsonObject Nodes(string json) => JsonNode.Parse(json)!.AsObject();

    private const string Good = """
        {"load": {"process_id": "load_collection", "arguments": {"id": "s2", "spatial_extent": null, "temporal_extent": null}},
         "reduce": {"process_id": "reduce_dimension", "arguments": {"data": {"from_node": "load"}, "dimension": "t",
           "reducer": {"process_graph": {"m": {"process_id": "max", "arguments": {"data": {"from_parameter": "data"}}, "result": true}}}}},
         "save": {"process_id": "save_result", "arguments": {"data": {"from_node": "reduce"}, "format": "GTiff"}, "result": true}}
        """;

    [Fact]
    public void AGoodGraph_IsReadWithItsReferencesAndCallbacks_AndPassesTheChecks()
    {
        var graph = GraphParser.Parse(Nodes(Good));

        Assert.Equal("save", graph.ResultNode);
        Assert.Equal(new NodeArgument("load"), graph.Nodes["reduce"].Arguments["data"]);
        var callback = Assert.IsType<CallbackArgument>(graph.Nodes["reduce"].Arguments["reducer"]);
        Assert.Equal(new ParameterArgument("data"), callback.Graph.Result.Arguments["data"]);
        GraphChecker.Check(graph);
    }

    [Theory]
    [InlineData("""{}""", "ProcessGraphMissing", "the process graph has no nodes")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}}}""", "ProcessGraphInvalid", "no node says it is the result (\"result\": true)")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}, "b": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}""",
        "ProcessGraphInvalid", "both 'a' and 'b' say they are the result; one node is")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": {"from_node": "z"}, "y": 2}, "result": true}}""",
        "ProcessGraphInvalid", "node 'a', argument 'x': from_node 'z' is not a node of this graph")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": {"from_node": "b"}, "y": 2}, "result": true}, "b": {"process_id": "add", "arguments": {"x": {"from_node": "a"}, "y": 1}}}""",
        "ProcessGraphInvalid", "node 'a': the graph has a cycle: a -> b -> a")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true, "color": "red"}}""",
        "ProcessGraphInvalid", "node 'a': 'color' is not a field of a node (known: process_id, namespace, arguments, result, description)")]
    [InlineData("""{"a": {"process_id": "add-it", "arguments": {}, "result": true}}""",
        "ProcessGraphInvalid", "node 'a': process_id: give the id of a process (letters, digits and _)")]
    public void StructuralMistakes_AreRefusedWhenRead(string json, string code, string message)
    {
        var error = Assert.Throws<GraphException>(() => GraphParser.Parse(Nodes(json)));
        Assert.Equal((code, message), (error.Code, error.Message));
    }

    [Theory]
    [InlineData("""{"a": {"process_id": "add_up", "arguments": {}, "result": true}}""", "ProcessUnsupported", "node 'a': process 'add_up' is not one this server runs")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": 1, "y": 2, "z": 3}, "result": true}}""", "ProcessArgumentUnsupported",
        "node 'a', argument 'z': 'add' has no parameter 'z' (it has x, y)")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": 1}, "result": true}}""", "ProcessArgumentRequired", "node 'a', argument 'y': 'add' needs it")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": "one", "y": 2}, "result": true}}""", "ProcessArgumentInvalid", "node 'a', argument 'x': ")]
    [InlineData("""{"a": {"process_id": "add", "arguments": {"x": {"from_parameter": "x"}, "y": 2}, "result": true}}""", "ProcessParameterMissing",
        "node 'a', argument 'x': from_parameter 'x': this graph has no parameters")]
    public void MistakesAgainstTheProcesses_AreRefusedByTheChecks(string json, string code, string start)
    {
        var error = Assert.Throws<GraphException>(() => GraphChecker.Check(GraphParser.Parse(Nodes(json))));
        Assert.Equal(code, error.Code);
        Assert.StartsWith(start, error.Message);
    }

    [Fact]
    public void AMistakeInACallback_NamesTheCallersNodeAndArgument_ThenTheCallbacks()
    {
        var graph = Nodes(Good);
        graph["reduce"]!["arguments"]!["reducer"]!["process_graph"]!["m"]!["arguments"] = JsonNode.Parse("""{"data": {"from_parameter": "values"}}""");

        var error = Assert.Throws<GraphException>(() => GraphChecker.Check(GraphParser.Parse(graph)));

        Assert.Equal("ProcessParameterMissing", error.Code);
        Assert.StartsWith("node 'reduce', argument 'reducer': in its callback: node 'm', argument 'data': from_parameter 'values': not a parameter here (there are data, context)", error.Message);
    }

    [Fact]
    public void GraphsBeyondTheLimits_AreRefused()
    {
        var many = new JsonObject();
        for (var i = 0; i <= GraphParser.MaxNodes; i++)
        {
            many[$"n{i}"] = JsonNode.Parse("""{"process_id": "add", "arguments": {"x": 1, "y": 2}}""");
        }
        many["n0"]!["result"] = true;
        Assert.Equal("ProcessGraphComplexity", Assert.Throws<GraphException>(() => GraphParser.Parse(many)).Code);

        JsonNode deep = JsonNode.Parse("""{"process_id": "absolute", "arguments": {"x": 1}, "result": true}""")!;
        for (var i = 0; i <= GraphParser.MaxDepth; i++)
        {
            deep = new JsonObject
            {
                ["process_id"] = "apply",
                ["arguments"] = new JsonObject { ["data"] = 1, ["process"] = new JsonObject { ["process_graph"] = new JsonObject { ["c"] = deep } } },
                ["result"] = true,
            };
        }
        var error = Assert.Throws<GraphException>(() => GraphParser.Parse(new JsonObject { ["top"] = deep }));
        Assert.Equal("ProcessGraphComplexity", error.Code);
        Assert.EndsWith($"callbacks are nested more than {GraphParser.MaxDepth} deep", error.Message);
    }
}
