using System.Text.Json.Nodes;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.UserDefined;

namespace Tessera.Processing.Tests.Graphs;

/// <summary>
/// User-defined processes: read from the API's document (each mistake refused), called by graphs (the call checked
/// against their parameters), inlined with their parameters bound (defaults, nesting, callbacks), recursion refused.
/// </summary>
public sealed class UserProcessTests
{
    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>Scales a cube's values: apply(x * factor), factor 2 unless given.</summary>
    private const string Scale = """
        {"summary": "Scaled", "parameters": [
            {"name": "data", "description": "A cube.", "schema": {"type": "object", "subtype": "datacube"}},
            {"name": "factor", "description": "The factor.", "schema": {"type": "number"}, "optional": true, "default": 2}],
         "returns": {"description": "The cube, scaled.", "schema": {"type": "object", "subtype": "datacube"}},
         "process_graph": {"apply": {"process_id": "apply", "arguments": {"data": {"from_parameter": "data"},
            "process": {"process_graph": {"m": {"process_id": "multiply", "arguments": {"x": {"from_parameter": "x"}, "y": {"from_parameter": "factor"}}, "result": true}}}},
            "result": true}}}
        """;

    private static UserProcesses Of(params (string Id, string Json)[] processes) =>
        processes.Aggregate(UserProcesses.None, (set, p) => set.With(UserProcess.Parse(p.Id, JsonNode.Parse(p.Json))));

    private static ProcessGraph Graph(string json) => GraphParser.Parse(Json(json));

    private const string Load = """{"process_id": "load_collection", "arguments": {"id": "s2", "spatial_extent": null, "temporal_extent": null}}""";

    [Fact]
    public void ADocument_IsReadWithItsSignature_TheIdOfThePathWinning()
    {
        var body = Json(Scale);
        body["id"] = "other";

        var process = UserProcess.Parse("scale", body);

        Assert.Equal("scale", process.Id);
        Assert.Equal("scale", JsonNode.Parse(process.Json)!["id"]!.GetValue<string>());
        Assert.Equal(["data", "factor"], process.Signature.Parameters.Select(p => p.Name));
        Assert.Equal((false, true, 2.0), (process.Signature.Parameters[0].Optional, process.Signature.Parameters[1].Optional,
            process.Signature.Parameters[1].Default!.GetValue<double>()));
        Assert.Equal("user", process.Signature.Namespace);
        Assert.Equal("apply", process.Graph.ResultNode);
    }

    [Theory]
    [InlineData("bad-id", Scale, "'bad-id' is not an id of a process: letters, digits and _ only")]
    [InlineData("p", """{"process_graph": {"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}, "colour": "red"}""",
        "'colour' is not a field of a process (known: id, summary, description, categories, parameters, returns, deprecated, experimental, exceptions, examples, links, process_graph)")]
    [InlineData("p", """{"parameters": [{"name": "a b", "schema": {}}], "process_graph": {"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}}""",
        "parameters[0].name: give a name of letters, digits and _")]
    [InlineData("p", """{"parameters": [{"name": "x", "schema": {}}, {"name": "x", "schema": {}}], "process_graph": {"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}}""",
        "parameters[1]: 'x' is named twice")]
    [InlineData("p", """{"parameters": [{"name": "x", "schema": {"type": "number"}, "default": "two"}], "process_graph": {"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}}""",
        "parameters[0].default: \"two\" is not a number")]
    [InlineData("p", """{"parameters": [{"name": "x", "schema": {"type": 5}}], "process_graph": {"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}}""",
        "parameters[0].schema: type: a string or an array of strings")]
    [InlineData("p", """{"parameters": [{"name": "x", "schema": {}, "unit": "m"}], "process_graph": {"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}}""",
        "parameters[0]: 'unit' is not a field of a parameter (known: name, description, schema, optional, default, deprecated, experimental)")]
    [InlineData("p", """{"summary": 3, "process_graph": {"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}}""", "summary: a string or null")]
    public void WhatIsNotAProcess_IsRefused(string id, string json, string message)
    {
        var error = Assert.Throws<GraphException>(() => UserProcess.Parse(id, JsonNode.Parse(json)));
        Assert.Equal(("ProcessGraphInvalid", message), (error.Code, error.Message));
    }

    [Fact]
    public void ADocumentWithoutAGraph_IsRefusedAsMissingIt()
    {
        var error = Assert.Throws<GraphException>(() => UserProcess.Parse("p", JsonNode.Parse("""{"summary": "nothing"}""")));
        Assert.Equal("ProcessGraphMissing", error.Code);
    }

    [Theory]
    [InlineData("""{"s": {"process_id": "scale", "arguments": {"data": {"from_node": "load"}, "size": 3}, "result": true}}""", "ProcessArgumentUnsupported",
        "node 's', argument 'size': 'scale' has no parameter 'size' (it has data, factor)")]
    [InlineData("""{"s": {"process_id": "scale", "arguments": {"factor": 3}, "result": true}}""", "ProcessArgumentRequired", "node 's', argument 'data': 'scale' needs it")]
    [InlineData("""{"s": {"process_id": "scale", "arguments": {"data": {"from_node": "load"}, "factor": "three"}, "result": true}}""", "ProcessArgumentInvalid",
        "node 's', argument 'factor': \"three\" is not a number")]
    [InlineData("""{"s": {"process_id": "scales", "namespace": "user", "arguments": {}, "result": true}}""", "ProcessUnsupported",
        "node 's': process 'scales' is not one of your processes (GET /process_graphs lists them)")]
    public void ACall_IsCheckedAgainstTheProcesssParameters(string nodes, string code, string message)
    {
        var graph = Json(nodes);
        graph["load"] = JsonNode.Parse(Load);

        var error = Assert.Throws<GraphException>(() => UserProcessExpander.Prepare(GraphParser.Parse(graph), Of(("scale", Scale))));

        Assert.Equal((code, message), (error.Code, error.Message));
    }

    [Fact]
    public void ACall_IsInlined_ItsResultTakingTheCallersId_ItsParametersBound_TheDefaultApplied()
    {
        var graph = Graph("""
            {"load": LOAD,
             "s": {"process_id": "scale", "arguments": {"data": {"from_node": "load"}}},
             "t": {"process_id": "scale", "namespace": "user", "arguments": {"data": {"from_node": "s"}, "factor": 0.5}},
             "save": {"process_id": "save_result", "arguments": {"data": {"from_node": "t"}, "format": "GTiff"}, "result": true}}
            """.Replace("LOAD", Load));

        var expanded = UserProcessExpander.Prepare(graph, Of(("scale", Scale)));

        Assert.Equal(["load", "s", "save", "t"], expanded.Nodes.Keys.Order());
        Assert.Equal(("apply", (string?)null), (expanded.Nodes["s"].ProcessId, expanded.Nodes["s"].Namespace));
        Assert.Equal(new NodeArgument("load"), expanded.Nodes["s"].Arguments["data"]);
        Assert.Equal(new NodeArgument("s"), expanded.Nodes["t"].Arguments["data"]);
        Assert.Equal(2.0, Factor(expanded.Nodes["s"]));
        Assert.Equal(0.5, Factor(expanded.Nodes["t"]));
        Assert.Equal("save", expanded.ResultNode);

        static double Factor(ProcessNode apply)
        {
            var callback = Assert.IsType<CallbackArgument>(apply.Arguments["process"]).Graph;
            Assert.Equal(new ParameterArgument("x"), callback.Result.Arguments["x"]); // the callback's own parameter stays
            return Assert.IsType<LiteralArgument>(callback.Result.Arguments["y"]).Value!.GetValue<double>();
        }
    }

    [Fact]
    public void NestedProcesses_AreInlinedUnderTheirCallersIds_AndOneUsedInAPixelCallback_Too()
    {
        const string Double = """
            {"parameters": [{"name": "v", "description": "A value.", "schema": {"type": "number"}}],
             "process_graph": {"m": {"process_id": "multiply", "arguments": {"x": {"from_parameter": "v"}, "y": 2}, "result": true}}}
            """;
        const string Quadruple = """
            {"parameters": [{"name": "v", "description": "A value.", "schema": {"type": "number"}}],
             "process_graph": {"once": {"process_id": "double", "arguments": {"v": {"from_parameter": "v"}}},
                               "twice": {"process_id": "double", "arguments": {"v": {"from_node": "once"}}, "result": true}}}
            """;
        var graph = Graph("""
            {"load": LOAD,
             "a": {"process_id": "apply", "arguments": {"data": {"from_node": "load"}, "process": {"process_graph": {
                 "q": {"process_id": "quadruple", "arguments": {"v": {"from_parameter": "x"}}, "result": true}}}}, "result": true}}
            """.Replace("LOAD", Load));

        var expanded = UserProcessExpander.Prepare(graph, Of(("double", Double), ("quadruple", Quadruple)));

        var callback = Assert.IsType<CallbackArgument>(expanded.Nodes["a"].Arguments["process"]).Graph;
        Assert.Equal(["q", "q/once"], callback.Nodes.Keys.Order());
        Assert.Equal("q", callback.ResultNode);
        Assert.Equal(new ParameterArgument("x"), callback.Nodes["q/once"].Arguments["x"]); // apply's x, through both processes
        Assert.Equal(new NodeArgument("q/once"), callback.Nodes["q"].Arguments["x"]);
        Assert.All(callback.Nodes.Values, n => Assert.Equal("multiply", n.ProcessId));
    }

    [Fact]
    public void APredefinedId_CallsThePredefinedProcess_UnlessTheNodeNamesTheUserNamespace()
    {
        const string Mine = """{"process_graph": {"m": {"process_id": "multiply", "arguments": {"x": 1, "y": 2}, "result": true}}}""";
        var user = Of(("add", Mine));

        var predefined = UserProcessExpander.Prepare(Graph("""{"a": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}"""), user);
        var mine = UserProcessExpander.Prepare(Graph("""{"a": {"process_id": "add", "namespace": "user", "arguments": {}, "result": true}}"""), user);

        Assert.Equal("add", predefined.Result.ProcessId);
        Assert.Equal("multiply", mine.Result.ProcessId);
    }

    [Fact]
    public void AParameterUsedInsideACallback_TakesOnlyAValueWrittenInTheGraph()
    {
        var graph = Graph("""
            {"load": LOAD, "f": LOAD,
             "s": {"process_id": "scale", "arguments": {"data": {"from_node": "load"}, "factor": {"from_node": "f"}}, "result": true}}
            """.Replace("LOAD", Load));

        var error = Assert.Throws<GraphException>(() => UserProcessExpander.Expand(graph, Of(("scale", Scale))));

        Assert.Equal("ProcessArgumentInvalid", error.Code);
        Assert.StartsWith("node 's', argument 'factor': 'scale' uses its parameter 'factor' inside a callback (its node 'm', argument 'y')", error.Message);
    }

    [Fact]
    public void AParameterOfTheProcess_IsSeenInsideItsCallbacks_WhenChecked()
    {
        var process = UserProcess.Parse("scale", Json(Scale));
        GraphChecker.Check(process.Graph, process.Signature.Parameters.Select(p => p.Name).ToList(), Of(("scale", Scale)));

        var undeclared = Json(Scale);
        undeclared["parameters"]!.AsArray().RemoveAt(1);
        var narrow = UserProcess.Parse("scale", undeclared);
        var error = Assert.Throws<GraphException>(() => GraphChecker.Check(narrow.Graph, ["data"]));
        Assert.Equal("ProcessParameterMissing", error.Code);
        Assert.Contains("from_parameter 'factor': not a parameter here (there are x, context, data)", error.Message);
    }

    [Fact]
    public void AProcessReachingItself_IsRefused_WhenStoredAndWhenRun()
    {
        const string A = """{"process_graph": {"n": {"process_id": "b", "arguments": {}, "result": true}}}""";
        const string B = """{"process_graph": {"n": {"process_id": "a", "namespace": "user", "arguments": {}, "result": true}}}""";
        var user = Of(("a", A), ("b", B));

        var stored = Assert.Throws<GraphException>(() => UserProcessExpander.CheckCalls(user.Find("a")!, user));
        Assert.Equal(("ProcessGraphInvalid", "'a' would call itself: a -> b -> a; a process may not be recursive"), (stored.Code, stored.Message));

        var run = Assert.Throws<GraphException>(() => UserProcessExpander.Expand(Graph("""{"x": {"process_id": "a", "arguments": {}, "result": true}}"""), user));
        Assert.Equal("ProcessGraphInvalid", run.Code);
        Assert.Contains("'a' calls itself (a -> b -> a)", run.Message);
    }

    /// <summary>A process graph (and a process's, as it has no parameters) of one node calling another process.</summary>
    private static string Calling(string id) => new JsonObject
    {
        ["process_graph"] = new JsonObject { ["n"] = new JsonObject { ["process_id"] = id, ["arguments"] = new JsonObject(), ["result"] = true } },
    }.ToJsonString();

    [Fact]
    public void ProcessesNestedBeyondTheDepthLimit_AreRefused()
    {
        var user = UserProcesses.None.With(UserProcess.Parse("p0", Json("""{"process_graph": {"n": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}}""")));
        for (var i = 1; i <= UserProcessExpander.MaxDepth; i++)
        {
            user = user.With(UserProcess.Parse($"p{i}", Json(Calling($"p{i - 1}"))));
        }

        var within = UserProcessExpander.Prepare(GraphParser.ParseProcess(Json(Calling($"p{UserProcessExpander.MaxDepth - 1}"))), user); // p15 .. p0: 16 deep
        Assert.Equal("add", within.Result.ProcessId);
        var error = Assert.Throws<GraphException>(() =>
            UserProcessExpander.Prepare(GraphParser.ParseProcess(Json(Calling($"p{UserProcessExpander.MaxDepth}"))), user));
        Assert.Equal("ProcessGraphComplexity", error.Code);
        UserProcessExpander.CheckCalls(user.Find($"p{UserProcessExpander.MaxDepth - 1}")!, user);
        Assert.Equal("ProcessGraphComplexity",
            Assert.Throws<GraphException>(() => UserProcessExpander.CheckCalls(user.Find($"p{UserProcessExpander.MaxDepth}")!, user)).Code);
    }

    [Fact]
    public async Task TheProcessesAGraphCalls_AreLoadedThroughEachOther_AndKeptAsASnapshot()
    {
        var stored = new Dictionary<string, string>
        {
            ["double"] = """{"parameters": [{"name": "v", "description": "A value.", "schema": {}}], "process_graph": {"m": {"process_id": "multiply", "arguments": {"x": {"from_parameter": "v"}, "y": 2}, "result": true}}}""",
            ["quadruple"] = """{"process_graph": {"t": {"process_id": "double", "arguments": {"v": 2}, "result": true}}}""",
            ["unused"] = """{"process_graph": {"t": {"process_id": "add", "arguments": {"x": 1, "y": 2}, "result": true}}}""",
        };
        var asked = new List<string>();
        var graph = Graph("""{"q": {"process_id": "quadruple", "arguments": {}}, "r": {"process_id": "add", "arguments": {"x": {"from_node": "q"}, "y": 1}, "result": true}}""");

        var user = await UserProcesses.LoadAsync(graph, (id, _) => { asked.Add(id); return Task.FromResult(stored.GetValueOrDefault(id)); }, CancellationToken.None);

        Assert.Equal(["quadruple", "double"], asked);
        Assert.Equal(["double", "quadruple"], user.All.Select(p => p.Id));
        var again = UserProcesses.FromSnapshot(user.ToSnapshot());
        Assert.Equal(user.All.Select(p => p.Json), again.All.Select(p => p.Json));
        Assert.Equal(0, UserProcesses.FromSnapshot(null).Count);
    }

    [Fact]
    public async Task AStoredProcessThatCannotBeReadAgain_IsNamedInTheRefusal()
    {
        var graph = Graph("""{"q": {"process_id": "broken", "arguments": {}, "result": true}}""");

        var error = await Assert.ThrowsAsync<GraphException>(() => UserProcesses.LoadAsync(graph,
            (_, _) => Task.FromResult<string?>("""{"process_graph": {}}"""), CancellationToken.None));

        Assert.Equal(("ProcessGraphMissing", "your process 'broken' cannot be read: the process graph has no nodes"), (error.Code, error.Message));
    }
}
