using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>What a graph asks to be written: a cube, in a format with its options (<c>save_result</c>).</summary>
/// <param name="Cube">The raster cube saved, or the one a saved vector cube reduces.</param>
/// <param name="Vector">The vector cube saved (<c>aggregate_spatial</c>'s), or null for a raster cube.</param>
public sealed record SavedResult(DataCube Cube, string Format, JsonObject Options, VectorCube? Vector = null);

/// <summary>
/// Runs a checked process graph up to what it saves: nodes are evaluated from the result node down, each once; cube
/// processes make lazy cubes (<see cref="DataCube"/>) whose pixel work is done when the result is written
/// (<see cref="CubeWriter"/>). What the graph read and how long each step took is told to <paramref name="log"/>.
/// Files a cube reads besides the scenes (polygons burnt onto its grid) are written into a folder of its own under
/// <paramref name="workFolder"/> (by default the temporary folder), deleted when the evaluator is disposed: dispose it
/// once the result is written.
/// </summary>
public sealed class GraphEvaluator(ISceneSource scenes, IProgress<string>? log = null, string? workFolder = null) : IDisposable
{
    /// <summary>The processes it runs at the top of a graph (pixel callbacks run <see cref="CallbackCompiler.Processes"/>).</summary>
    public static readonly IReadOnlySet<string> Processes = new HashSet<string>(StringComparer.Ordinal)
    {
        "load_collection", "save_result", "filter_bands", "filter_temporal", "filter_bbox", "ndvi", "reduce_dimension", "apply",
        "rename_labels", "merge_cubes", "mask", "mask_polygon", "filter_spatial", "resample_spatial", "resample_cube_spatial", "aggregate_temporal_period",
        "aggregate_spatial", "load_stac",
    };

    private readonly string _folder = Path.Combine(workFolder ?? Path.GetTempPath(), $"graph-{Guid.NewGuid():N}");

    /// <summary>What Tessera's operations in the graph may read (their input cubes, written to files when the node is
    /// evaluated); null: no limit. A synchronous request sets its own.</summary>
    public PixelBudget? OperationBudget { get; init; }

    /// <summary>Whether to stop at the first of Tessera's operations reached (<see cref="OperationDeferredException"/>),
    /// what it depends on evaluated (its scenes loaded), nothing run: a job's download stage, whose operations run once,
    /// when the result is written.</summary>
    public bool DeferOperations { get; init; }

    /// <summary>Deletes the files the graph's cubes read besides the scenes.</summary>
    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    public async Task<SavedResult> RunAsync(ProcessGraph graph, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var result = await EvaluateAsync(graph, graph.ResultNode, values, cancellationToken);
        return result switch
        {
            SavedResult saved => saved,
            DataCube cube => new SavedResult(cube, "GTiff", []),
            VectorCube vector => new SavedResult(vector.Raster, "GeoJSON", [], vector),
            _ => throw new GraphException("ProcessGraphInvalid", "the result node gives no data cube to save", graph.ResultNode),
        };
    }

    private async Task<object?> EvaluateAsync(ProcessGraph graph, string id, Dictionary<string, object?> values, CancellationToken cancellationToken)
    {
        if (values.TryGetValue(id, out var known))
        {
            return known;
        }
        var node = graph.Nodes[id];
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, argument) in node.Arguments)
        {
            arguments[name] = await ResolveAsync(graph, argument, id, name, values, cancellationToken);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var value = await RunAsync(node, new Arguments(node, arguments), cancellationToken);
        log?.Report($"{id} ({node.ProcessId}): {clock.Elapsed.TotalMilliseconds:0} ms{Describe(value)}");
        values[id] = value;
        return value;
    }

    private async Task<object?> ResolveAsync(ProcessGraph graph, Argument argument, string node, string path, Dictionary<string, object?> values,
        CancellationToken cancellationToken) => argument switch
    {
        LiteralArgument l => l.Value,
        NodeArgument n => await EvaluateAsync(graph, n.Node, values, cancellationToken),
        CallbackArgument c => c.Graph,
        ParameterArgument p => throw new GraphException("ProcessParameterMissing", $"from_parameter '{p.Name}': this graph has no parameters", node, path),
        ArrayArgument a => await ArrayAsync(graph, a, node, path, values, cancellationToken),
        ObjectArgument o => await ObjectAsync(graph, o, node, path, values, cancellationToken),
        _ => throw new InvalidOperationException(),
    };

    private async Task<object?> ArrayAsync(ProcessGraph graph, ArrayArgument array, string node, string path, Dictionary<string, object?> values,
        CancellationToken cancellationToken)
    {
        var items = new List<object?>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            items.Add(await ResolveAsync(graph, array.Items[i], node, $"{path}[{i}]", values, cancellationToken));
        }
        return items.All(i => i is null or JsonNode) ? new JsonArray(items.Select(i => ((JsonNode?)i)?.DeepClone()).ToArray()) : items;
    }

    private async Task<object?> ObjectAsync(ProcessGraph graph, ObjectArgument obj, string node, string path, Dictionary<string, object?> values,
        CancellationToken cancellationToken)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj.Properties)
        {
            properties[key] = await ResolveAsync(graph, value, node, $"{path}.{key}", values, cancellationToken);
        }
        return properties.Values.All(v => v is null or JsonNode or ProcessGraph)
            ? properties.Values.Any(v => v is ProcessGraph) ? properties
            : new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, ((JsonNode?)p.Value)?.DeepClone())))
            : properties;
    }

    private static string Describe(object? value) => value switch
    {
        DataCube c => $": a cube of {c.Grid.Width} x {c.Grid.Height} pixels, {(c.Times is null ? "no t" : $"{c.Times.Count} times")}, " +
            $"{(c.Bands is null ? "no bands" : $"bands {string.Join(", ", c.Bands)}")}, {c.Inputs.Count} band files",
        VectorCube v => $": a vector cube of {v.Features.Count} geometries, {v.Reducer} over a cube of {v.Raster.Grid.Width} x {v.Raster.Grid.Height} pixels",
        SavedResult s => $": saved as {s.Format}",
        _ => "",
    };

    private async Task<object?> RunAsync(ProcessNode node, Arguments a, CancellationToken cancellationToken)
    {
        if (node.Namespace == ProcessRegistry.TesseraNamespace)
        {
            if (DeferOperations)
            {
                throw new OperationDeferredException(node.Id);
            }
            return await OperationProcessRunner.RunAsync(node, a, _folder, OperationBudget, cancellationToken); // Tessera's operations: computed now, on files
        }
        switch (node.ProcessId)
        {
            case "load_collection":
                return await LoadCollectionAsync(a, cancellationToken);
            case "load_stac":
                return await LoadStacAsync(a, cancellationToken);
            case "save_result":
                return a.Required("data") is VectorCube vector
                    ? new SavedResult(vector.Raster, a.Text("format"), a.Optional("options") as JsonObject ?? [], vector)
                    : new SavedResult(a.Cube("data"), a.Text("format"), a.Optional("options") as JsonObject ?? []);
            case "filter_bands":
                return CubeProcesses.FilterBands(a.Cube("data"), a.Strings("bands") ?? [], a);
            case "filter_temporal":
                return CubeProcesses.FilterTemporal(a.Cube("data"), Interval(a.Required("extent"), a, "extent"), a);
            case "filter_bbox":
                var (box, crs) = Box(a.Required("extent"), a, "extent");
                return CubeProcesses.FilterBbox(a.Cube("data"), box, crs, a);
            case "ndvi":
                return CubeProcesses.Ndvi(a.Cube("data"), a.TextOr("nir", "nir"), a.TextOr("red", "red"), a.Optional("target_band")?.ToString(), a);
            case "reduce_dimension":
                return CubeProcesses.Reduce(a.Cube("data"), a.Callback("reducer"), a.Text("dimension"), a);
            case "apply":
                return CubeProcesses.Apply(a.Cube("data"), a.Callback("process"), a);
            case "rename_labels":
                return CubeLabels.RenameLabels(a.Cube("data"), a.Text("dimension"), Labels(a, "target"), a.Strings("source") ?? [], a);
            case "aggregate_temporal_period":
                return CubeLabels.AggregateTemporalPeriod(a.Cube("data"), a.Text("period"), a.Callback("reducer"),
                    a.Optional("dimension") is null ? null : a.Text("dimension"), a);
            case "merge_cubes":
                return CubeMerging.MergeCubes(a.Cube("cube1"), a.Cube("cube2"), a.Optional("overlap_resolver") is null ? null : a.Callback("overlap_resolver"), a);
            case "mask":
                return CubeMerging.Mask(a.Cube("data"), a.Cube("mask"), Number(a, "replacement"), a);
            case "mask_polygon":
                return CubeGeometry.MaskPolygon(a.Cube("data"), a.Required("mask") as JsonNode, Number(a, "replacement"), Flag(a, "inside"), _folder, a);
            case "filter_spatial":
                return CubeGeometry.FilterSpatial(a.Cube("data"), a.Required("geometries") as JsonNode, _folder, a);
            case "resample_spatial":
                if (a.Optional("align") is { } align && align.ToString() != "upper-left")
                {
                    throw new GraphException("ProcessArgumentInvalid", $"align '{align}': only upper-left is supported", a.Node, "align");
                }
                return CubeGeometry.ResampleSpatial(a.Cube("data"), Resolution(a), Projection(a), CubeGeometry.Method(a.TextOr("method", "near"), a), a);
            case "aggregate_spatial":
                return CubeAggregation.AggregateSpatial(a.Cube("data"), a.Required("geometries"), a.Callback("reducer"),
                    a.Optional("target_dimension") is null ? null : a.Text("target_dimension"), _folder, a);
            case "resample_cube_spatial":
                return CubeGeometry.ResampleCubeSpatial(a.Cube("data"), a.Cube("target"), CubeGeometry.Method(a.TextOr("method", "near"), a), a);
            default:
                throw new GraphException("ProcessUnsupported", $"'{node.ProcessId}' cannot run at the top of a graph here yet", node.Id);
        }
    }

    private static IReadOnlyList<string> Labels(Arguments a, string name) => a.Required(name) is null
        ? throw new GraphException("ProcessArgumentInvalid", "give an array of strings", a.Node, name) : a.Strings(name)!;

    /// <summary>A number argument; null or absent: NaN (nodata).</summary>
    private static double Number(Arguments a, string name) => a.Optional(name) switch
    {
        null => double.NaN,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => throw new GraphException("ProcessArgumentInvalid", "give a number or null", a.Node, name),
    };

    private static bool Flag(Arguments a, string name) => a.Optional(name) switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new GraphException("ProcessArgumentInvalid", "give true or false", a.Node, name),
    };

    /// <summary><c>resample_spatial</c>'s resolution: one number for both axes or [x, y]; 0 (the default) keeps it.</summary>
    private static (double X, double Y) Resolution(Arguments a)
    {
        static double? Of(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
        return a.Optional("resolution") switch
        {
            null => (0, 0),
            JsonValue v when Of(v) is { } d => (d, d),
            JsonArray { Count: 2 } xy when Of(xy[0]) is { } x && Of(xy[1]) is { } y => (x, y),
            _ => throw new GraphException("ProcessArgumentInvalid", "give a number or [x, y]", a.Node, "resolution"),
        };
    }

    /// <summary><c>resample_spatial</c>'s projection as GDAL takes it: an EPSG code or a WKT string; null keeps the CRS.</summary>
    private static string? Projection(Arguments a) => a.Optional("projection") switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var epsg) => $"EPSG:{epsg}",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new GraphException("ProcessArgumentInvalid", "an EPSG code or a WKT2 string", a.Node, "projection"),
    };

    private async Task<DataCube> LoadCollectionAsync(Arguments a, CancellationToken cancellationToken)
    {
        var collection = a.Text("id");
        var bands = await scenes.BandsAsync(collection, cancellationToken)
            ?? throw new GraphException("CollectionNotFound", $"collection '{collection}' does not exist", a.Node, "id");
        var asked = a.Strings("bands");
        var chosen = asked is null ? bands.ToList() : asked.Select(name =>
            bands.FirstOrDefault(b => b.Name == name) ?? bands.FirstOrDefault(b => b.CommonName == name)
            ?? throw new GraphException("ProcessArgumentInvalid", $"'{name}' is not a band of '{collection}' (it has {string.Join(", ", bands.Select(b => b.Name))})",
                a.Node, "bands")).ToList();
        if (chosen.Count == 0)
        {
            throw new GraphException("ProcessArgumentInvalid", $"collection '{collection}' describes no bands to load", a.Node, "bands");
        }
        var (box, crs, lonLat, start, end, conditions) = Extents(a);
        var found = await scenes.FindAsync(new SceneQuery(collection, lonLat, start, end, chosen.Select(c => c.Name).ToList(), conditions), log, cancellationToken);
        log?.Report($"{a.Node} (load_collection): {found.Count} scenes of '{collection}' found");
        return CubeLoader.Build(found, chosen, box, crs, a.Node);
    }

    /// <summary><c>load_stac</c>: the scenes of a STAC document on the web, made into a cube as <c>load_collection</c>'s are.</summary>
    private async Task<DataCube> LoadStacAsync(Arguments a, CancellationToken cancellationToken)
    {
        var text = a.Text("url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new GraphException("ProcessArgumentInvalid", $"'{text}' is not an http or https address", a.Node, "url");
        }
        var (box, crs, lonLat, start, end, conditions) = Extents(a);
        StacScenes found;
        try
        {
            found = await scenes.LoadStacAsync(new StacQuery(url, lonLat, start, end, a.Strings("bands"), conditions), log, cancellationToken);
        }
        catch (GraphException e) when (e.Node is null)
        {
            throw new GraphException(e.Code, e.Message, a.Node, "url") { IsClientError = e.IsClientError };
        }
        if (found.Bands.Count == 0)
        {
            throw new GraphException("NoDataAvailable", $"no item at {url} meets the extents and properties asked for", a.Node, "url");
        }
        log?.Report($"{a.Node} (load_stac): {found.Scenes.Count} scenes found at {url}");
        return CubeLoader.Build(found.Scenes, found.Bands, box, crs, a.Node);
    }

    /// <summary>The spatial extent (with its CRS, and in longitude/latitude), temporal extent and property conditions of a load.</summary>
    private static (Bounds? Box, string? Crs, Bounds? LonLat, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyList<PropertyCondition> Conditions)
        Extents(Arguments a)
    {
        Bounds? box = null;
        string? crs = null;
        if (a.Optional("spatial_extent") is { } extent)
        {
            (box, crs) = Box(extent, a, "spatial_extent");
        }
        Bounds? lonLat = null;
        if (box is { } b)
        {
            using var from = SpatialReference.FromUserInput(crs ?? "EPSG:4326");
            using var wgs84 = SpatialReference.Wgs84();
            lonLat = from.IsSame(wgs84) ? b : from.TransformBounds(wgs84, b);
        }
        DateTimeOffset? start = null, end = null;
        if (a.Optional("temporal_extent") is { } time)
        {
            (start, end) = Interval(time, a, "temporal_extent");
        }
        return (box, crs, lonLat, start, end, PropertyConditions.Read(a.Callbacks("properties"), a.Node));
    }

    /// <summary>A bounding box (<c>{west, south, east, north, crs}</c>) and its CRS as GDAL takes it (null: longitude/latitude).</summary>
    private static (Bounds Box, string? Crs) Box(object? value, Arguments a, string name)
    {
        if (value is not JsonObject box)
        {
            throw new GraphException("ProcessArgumentInvalid", "give a bounding box {west, south, east, north, crs}", a.Node, name);
        }
        double Edge(string edge) => box[edge] is JsonValue v && v.TryGetValue<double>(out var d) ? d
            : throw new GraphException("ProcessArgumentInvalid", $"{edge}: give a number", a.Node, name);
        var (west, south, east, north) = (Edge("west"), Edge("south"), Edge("east"), Edge("north"));
        if (west > east || south > north)
        {
            throw new GraphException("ProcessArgumentInvalid", "west must not be east of east, nor south north of north", a.Node, name);
        }
        string? crs = box["crs"] switch
        {
            null => null,
            JsonValue c when c.TryGetValue<int>(out var epsg) => epsg == 4326 ? null : $"EPSG:{epsg}",
            JsonValue c when c.GetValueKind() == JsonValueKind.String => c.GetValue<string>(),
            _ => throw new GraphException("ProcessArgumentInvalid", "crs: an EPSG code or a WKT2 string", a.Node, name),
        };
        return (new Bounds(west, south, east, north), crs);
    }

    /// <summary>A time interval [start, end) (either end may be null: open), from dates or date-times.</summary>
    private static (DateTimeOffset? Start, DateTimeOffset? End) Interval(object? value, Arguments a, string name)
    {
        if (value is not JsonArray { Count: 2 } interval)
        {
            throw new GraphException("ProcessArgumentInvalid", "give [start, end] (either may be null)", a.Node, name);
        }
        DateTimeOffset? Time(JsonNode? node, int i) => node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t,
            _ => throw new GraphException("ProcessArgumentInvalid", $"[{i}]: a date or an RFC 3339 time, or null", a.Node, name),
        };
        var (start, end) = (Time(interval[0], 0), Time(interval[1], 1));
        if (start is null && end is null)
        {
            throw new GraphException("ProcessArgumentInvalid", "at least one end of the interval is needed", a.Node, name);
        }
        if (start >= end)
        {
            throw new GraphException("ProcessArgumentInvalid", "the interval ends before it starts (its end is excluded)", a.Node, name);
        }
        return (start, end);
    }
}
