using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Descriptions;
using Tessera.Processing.Operations;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Graphs;

/// <summary>
/// The process descriptions against independent data: openEO's predefined processes against the official definitions
/// of the shared specifications folder (openEO processes 2.0.0-rc.1): the same parameters in the same order, optional
/// flags, defaults, categories, and schemas equal once their prose (titles, descriptions, examples) is set aside, so
/// they accept and refuse the same values; the descriptions themselves are the project's own. Tessera's operations
/// against <see cref="OperationCatalog"/>: one process each in namespace <c>tessera</c>, its parameters the
/// operation's roles and parameters with their defaults, ranges and choices.
/// </summary>
public sealed class ProcessDescriptionTests
{
    /// <summary>The openEO processes the server runs.</summary>
    private static readonly string[] Predefined =
    [
        "load_collection", "load_stac", "filter_bbox", "filter_temporal", "filter_bands", "filter_spatial", "ndvi", "normalized_difference",
        "reduce_dimension", "apply", "aggregate_temporal_period", "mask", "mask_polygon", "merge_cubes", "rename_labels", "resample_spatial",
        "resample_cube_spatial", "aggregate_spatial", "linear_scale_range", "save_result", "array_element",
        "min", "max", "mean", "median", "first", "last", "sum", "count", "sd",
        "add", "subtract", "multiply", "divide", "absolute", "sqrt", "power", "exp", "ln", "log", "clip", "int",
        "eq", "neq", "gt", "gte", "lt", "lte", "and", "or", "not", "if", "is_nodata", "is_nan",
    ];

    /// <summary>
    /// Processes that are proposals in openEO processes 2.0.0-rc.1 (<c>proposals/</c>), which the shared folder does not
    /// hold: each parameter's name, optional flag, default (JSON; null: none) and the types/subtypes of its
    /// alternatives, and the same for the return value, as the proposal has them.
    /// </summary>
    private static readonly Dictionary<string, (string Name, bool Optional, string? Default, string Kinds)[]> Proposals = new()
    {
        ["load_stac"] =
        [
            ("url", false, null, "string/uri"),
            ("spatial_extent", true, "null", "object/bounding-box object/geojson object/datacube null"),
            ("temporal_extent", true, "null", "array/temporal-interval null"),
            ("bands", true, "null", "array null"),
            ("properties", true, "null", "object/metadata-filter null"),
            ("(returns)", false, null, "object/datacube"),
        ],
    };

    private static string Specs => SharedSpecs.Locate("shared/specs/openeo-processes")
        ?? throw new InvalidOperationException("the shared specifications (../shared/specs/openeo-processes) were not found beside the repository");

    private static JsonObject? Official(string id)
    {
        foreach (var path in new[] { Path.Combine(Specs, id + ".json"), Path.Combine(Specs, "proposals", id + ".json") })
        {
            if (File.Exists(path))
            {
                return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            }
        }
        return null;
    }

    public static TheoryData<string> Shared => new(Predefined.Where(id => !Proposals.ContainsKey(id) || Official(id) is not null));

    [Fact]
    public void Registry_HoldsTheProcessesTheServerRuns_AndOneProcessPerOperation_NoneTwice()
    {
        Assert.Equal(Predefined.Order(), ProcessRegistry.All.Where(p => p.Namespace is null).Select(p => p.Id).Order());
        Assert.Equal(OperationCatalog.All.Count, ProcessRegistry.All.Count(p => p.Namespace == ProcessRegistry.TesseraNamespace));
        Assert.Equal(ProcessRegistry.All.Count, ProcessRegistry.All.Select(p => (p.Id, p.Namespace)).Distinct().Count());
        Assert.All(ProcessRegistry.All, p => Assert.True(p.Namespace is null or ProcessRegistry.TesseraNamespace, p.Id));
        // openEO's predefined processes come first.
        Assert.Equal(Predefined.Length, ProcessRegistry.All.TakeWhile(p => p.Namespace is null).Count());
        foreach (var process in ProcessRegistry.All)
        {
            Assert.Matches(@"^\w+$", process.Id);
            Assert.False(string.IsNullOrWhiteSpace(process.Summary), process.Id);
            Assert.False(string.IsNullOrWhiteSpace(process.Description), process.Id);
            Assert.Equal(process.Parameters.Count, process.Parameters.Select(p => p.Name).Distinct().Count());
            Assert.All(process.Parameters, p => Assert.Matches(@"^\w+$", p.Name));
            Assert.All(process.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{process.Id}.{p.Name}"));
            Assert.Same(process, ProcessRegistry.Find(process.Id, process.Namespace));
        }
    }

    [Theory]
    [MemberData(nameof(Shared))]
    public void Predefined_AgreesWithItsOfficialDefinition(string id)
    {
        var official = Official(id) ?? throw new InvalidOperationException($"{id}.json is not in {Specs}");
        var process = ProcessRegistry.Find(id) ?? throw new InvalidOperationException($"{id} is not in the registry");
        var ours = process.ToJson();

        Assert.Equal(id, ours["id"]!.GetValue<string>());
        Assert.False(ours.ContainsKey("namespace"));
        Assert.Equal(Strings(official["categories"]), process.Categories);
        Assert.Equal(official["experimental"]?.GetValue<bool>() ?? false, process.Experimental);
        Assert.Equal(official["experimental"]?.GetValue<bool>() ?? false, ours["experimental"]?.GetValue<bool>() ?? false);

        var theirs = official["parameters"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var mine = ours["parameters"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(theirs.Select(p => p["name"]!.GetValue<string>()), mine.Select(p => p["name"]!.GetValue<string>()));
        for (var i = 0; i < theirs.Count; i++)
        {
            var name = $"{id}.{theirs[i]["name"]}";
            Assert.True((theirs[i]["optional"]?.GetValue<bool>() ?? false) == (mine[i]["optional"]?.GetValue<bool>() ?? false), $"{name}: optional");
            Assert.True(process.Parameters[i].Optional == (theirs[i]["optional"]?.GetValue<bool>() ?? false), $"{name}: Optional");
            Assert.True(theirs[i].ContainsKey("default") == mine[i].ContainsKey("default"), $"{name}: a default or none");
            Assert.True(JsonNode.DeepEquals(theirs[i]["default"], mine[i]["default"]), $"{name}: default {mine[i]["default"]?.ToJsonString() ?? "null"}");
            Assert.True(JsonNode.DeepEquals(theirs[i]["default"], process.Parameters[i].Default), $"{name}: Default");
            Assert.True(JsonNode.DeepEquals(WithoutProse(theirs[i]["schema"]), WithoutProse(mine[i]["schema"])),
                $"{name}: schema\n  official: {WithoutProse(theirs[i]["schema"])!.ToJsonString()}\n  ours:     {WithoutProse(mine[i]["schema"])!.ToJsonString()}");
            Assert.Equal(Kinds(theirs[i]["schema"]), Kinds(mine[i]["schema"]));
        }
        Assert.True(JsonNode.DeepEquals(WithoutProse(official["returns"]!["schema"]), WithoutProse(ours["returns"]!["schema"])),
            $"{id}: returns\n  official: {WithoutProse(official["returns"]!["schema"])!.ToJsonString()}\n  ours:     {WithoutProse(ours["returns"]!["schema"])!.ToJsonString()}");

        // The words are the project's own.
        Assert.NotEqual(official["description"]!.GetValue<string>(), process.Description);
        Assert.NotEqual(official["returns"]!["description"]!.GetValue<string>(), process.ReturnsDescription);
        foreach (var (theirParameter, ourParameter) in theirs.Zip(process.Parameters))
        {
            Assert.True(theirParameter["description"]!.GetValue<string>() != ourParameter.Description, $"{id}.{ourParameter.Name}: the official description");
        }
    }

    [Fact]
    public void Proposals_NotInTheSharedFolder_AgreeWithWhatTheProposalSays()
    {
        foreach (var (id, expected) in Proposals)
        {
            var process = ProcessRegistry.Find(id) ?? throw new InvalidOperationException($"{id} is not in the registry");
            var ours = process.ToJson();
            if (Official(id) is not null)
            {
                Predefined_AgreesWithItsOfficialDefinition(id);
                continue;
            }
            Assert.True(process.Experimental, $"{id} is a proposal: experimental");
            Assert.Equal(["cubes", "import"], process.Categories);
            var parameters = ours["parameters"]!.AsArray().Select(p => p!.AsObject()).ToList();
            Assert.Equal(expected.SkipLast(1).Select(e => e.Name), parameters.Select(p => p["name"]!.GetValue<string>()));
            foreach (var ((name, optional, fallback, kinds), parameter) in expected.Zip(parameters))
            {
                Assert.True(optional == (parameter["optional"]?.GetValue<bool>() ?? false), $"{id}.{name}: optional");
                Assert.Equal(fallback, parameter.ContainsKey("default") ? parameter["default"]?.ToJsonString() ?? "null" : null);
                Assert.Equal(kinds, Alternatives(parameter["schema"]));
            }
            Assert.Equal(expected[^1].Kinds, Alternatives(ours["returns"]!["schema"]));
        }
    }

    [Fact]
    public void OptionalParameters_WithoutDefault_HaveNoDefaultInTheirJson()
    {
        var element = ProcessRegistry.Find("array_element")!.ToJson()["parameters"]!.AsArray();
        var index = element.Single(p => p!["name"]!.GetValue<string>() == "index")!.AsObject();
        Assert.True(index["optional"]!.GetValue<bool>());
        Assert.False(index.ContainsKey("default"));
        var bands = ProcessRegistry.Find("load_collection")!.ToJson()["parameters"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "bands")!.AsObject();
        Assert.True(bands.ContainsKey("default"));
        Assert.Null(bands["default"]);
    }

    [Fact]
    public void EveryOperation_IsOneTesseraProcess_WithItsRolesAndParameters()
    {
        foreach (var operation in OperationCatalog.All)
        {
            var id = operation.Name.ToLowerInvariant(); // the names are snake case already: Cloud_Remove, BAND_MERGED, NBR2
            var processes = ProcessRegistry.All.Where(p => p.Namespace == ProcessRegistry.TesseraNamespace && p.Id == id).ToList();
            var process = Assert.Single(processes);
            Assert.Same(process, ProcessRegistry.Find(id, ProcessRegistry.TesseraNamespace));
            Assert.Same(operation, OperationProcesses.OperationOf(id));
            Assert.Equal(ProcessRegistry.TesseraNamespace, process.ToJson()["namespace"]!.GetValue<string>());
            Assert.Contains(ProcessRegistry.TesseraNamespace, process.Categories);
            Assert.Contains($"\"namespace\": \"{ProcessRegistry.TesseraNamespace}\"", process.Description);
            Assert.Equal(operation.Title, process.Summary);

            var inputs = operation.Inputs.FreeRoles ? ["data"] : operation.Inputs.Roles.Select(r => r.Name).ToList();
            Assert.Equal(inputs.Concat(operation.Parameters.Select(p => p.Name)), process.Parameters.Select(p => p.Name));
            foreach (var input in inputs)
            {
                var schema = process.Parameter(input)!.Schema;
                var cube = operation.Inputs.FreeRoles ? schema["additionalProperties"]! : schema;
                Assert.Equal("object", schema["type"]!.GetValue<string>());
                Assert.Equal("datacube", cube["subtype"]!.GetValue<string>());
                Assert.Equal("""[{"type":"spatial","axis":["x","y"]}]""", cube["dimensions"]!.ToJsonString());
                Assert.False(process.Parameter(input)!.Optional, $"{id}.{input}");
            }
            foreach (var parameter in operation.Parameters)
            {
                var ours = process.Parameter(parameter.Name)!;
                var where = $"{id}.{parameter.Name}";
                Assert.True(ours.Optional == !parameter.Required, $"{where}: optional");
                Assert.True(JsonNode.DeepEquals(parameter.Default is null ? null : JsonNode.Parse(JsonSerializer.Serialize(parameter.Default)), ours.Default), $"{where}: default");
                Assert.True(ours.ToJson().ContainsKey("default") == !parameter.Required, $"{where}: default in the JSON");
                var alternatives = ours.Schema is JsonArray list ? list.Select(a => a!.AsObject()).ToList() : [ours.Schema.AsObject()];
                var value = alternatives[0];
                // Left out with no default: null is its value, the operation decides.
                Assert.Equal(!parameter.Required && parameter.Default is null ? 2 : 1, alternatives.Count);
                if (alternatives.Count == 2)
                {
                    Assert.Equal("null", alternatives[1]["type"]!.GetValue<string>());
                }
                var expectedType = parameter.Type switch
                {
                    ParameterType.Number => "number",
                    ParameterType.Integer or ParameterType.StoredFile => "integer",
                    ParameterType.Boolean => "boolean",
                    ParameterType.GeoJson => "object",
                    ParameterType.NumberList or ParameterType.IntegerList or ParameterType.Box => "array",
                    _ => "string",
                };
                Assert.Equal(expectedType, value["type"]!.GetValue<string>());
                var scalar = parameter.Type is ParameterType.NumberList or ParameterType.IntegerList ? value["items"]!.AsObject() : value;
                if (parameter.Minimum is { } min)
                {
                    Assert.Equal(min, scalar[parameter.MinimumExcluded ? "exclusiveMinimum" : "minimum"]!.GetValue<double>());
                }
                if (parameter.Maximum is { } max)
                {
                    Assert.Equal(max, scalar["maximum"]!.GetValue<double>());
                }
                if (parameter.Type == ParameterType.Choice)
                {
                    Assert.Equal(parameter.Choices!, Strings(value["enum"]));
                    Assert.Contains((string)parameter.Default!, parameter.Choices!);
                }
                if (parameter.Type == ParameterType.Box)
                {
                    Assert.Equal((4, 4), (value["minItems"]!.GetValue<int>(), value["maxItems"]!.GetValue<int>()));
                }
            }
            var returns = process.ReturnsSchema;
            Assert.Equal("datacube", returns["subtype"]!.GetValue<string>());
            Assert.Equal(operation.Output == OutputKind.Table ? "geometry" : "spatial", returns["dimensions"]![0]!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public void NamespacesKeepProcessesOfOneNameApart()
    {
        Assert.Null(ProcessRegistry.Find("ndvi")!.Namespace);
        Assert.Null(ProcessRegistry.Find("ndvi", "backend")!.Namespace);
        Assert.Equal(ProcessRegistry.TesseraNamespace, ProcessRegistry.Find("ndvi", ProcessRegistry.TesseraNamespace)!.Namespace);
        Assert.Equal(["data", "nir", "red", "target_band"], ProcessRegistry.Find("ndvi")!.Parameters.Select(p => p.Name));
        Assert.Equal("nir", ProcessRegistry.Find("ndvi", ProcessRegistry.TesseraNamespace)!.Parameters[0].Name);
        Assert.Null(ProcessRegistry.Find("cloud_remove"));
        Assert.Null(ProcessRegistry.Find("save_result", ProcessRegistry.TesseraNamespace));
    }

    private static IReadOnlyList<string> Strings(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<string>()).ToList();

    private static readonly HashSet<string> Prose = ["description", "title", "examples"];

    /// <summary>A schema without its prose (titles, descriptions, examples): what decides which values it accepts.
    /// The names under <c>properties</c> are property names, kept whatever they are.</summary>
    private static JsonNode? WithoutProse(JsonNode? node, bool propertyNames = false) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => propertyNames || !Prose.Contains(p.Key))
            .Select(p => KeyValuePair.Create(p.Key, WithoutProse(p.Value, !propertyNames && p.Key == "properties")))),
        JsonArray a => new JsonArray(a.Select(v => WithoutProse(v)).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Every type and subtype a schema names, anywhere in it, sorted: a second, coarser look at the same agreement.</summary>
    private static string Kinds(JsonNode? schema)
    {
        var found = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key is "type" or "subtype")
                        {
                            found.AddRange(value is JsonArray types ? types.Select(t => $"{key}:{t}") : [$"{key}:{value}"]);
                        }
                        Walk(value);
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }
                    break;
            }
        }
        Walk(schema);
        return string.Join(" ", found.Order(StringComparer.Ordinal));
    }

    /// <summary>A schema's alternatives as "type/subtype" (or "type"), in order.</summary>
    private static string Alternatives(JsonNode? schema) => string.Join(" ",
        (schema is JsonArray list ? list.Select(a => a!) : [schema!]).Select(a =>
            a["subtype"] is { } subtype ? $"{a["type"]}/{subtype}" : $"{a["type"]}"));

    [Fact]
    public void WithoutProse_KeepsWhatDecidesValues()
    {
        var schema = JsonNode.Parse("""{"title":"t","description":"d","type":"object","properties":{"description":{"type":"string","description":"x"}},"minimum":1}""");
        Assert.Equal("""{"type":"object","properties":{"description":{"type":"string"}},"minimum":1}""", WithoutProse(schema)!.ToJsonString());
        Assert.Matches(new Regex("^subtype:datacube type:object type:spatial$"), Kinds(ProcessRegistry.Find("filter_spatial")!.ReturnsSchema));
    }
}
