using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs;

/// <summary>
/// The early openEO request format of <c>POST /execute</c> (nested <c>{"process_id", "args"}</c> with the data in
/// <c>imagery</c>, <c>{"product_id"}</c> at the bottom, and <c>output</c> beside the graph), turned into an openEO 1.2
/// graph the evaluator runs: <c>product_id</c> is <c>load_collection</c>, with the <c>filter_bbox</c> (<c>left right top
/// bottom srs</c>), <c>filter_daterange</c> (<c>from to</c>, both days included) and <c>filter_bands</c> (names, or
/// numbers counted from 1 in the collection's bands) right above it folded into its extents; <c>NDVI</c> (<c>red nir</c>)
/// is <c>ndvi</c>; <c>min_time</c>, <c>max_time</c>, <c>mean_time</c> and <c>median_time</c> reduce <c>t</c>;
/// <c>zonal_statistics</c> (<c>regions</c> as GeoJSON or a file of the caller's, <c>func</c> <c>avg</c> and the other
/// statistics) is <c>aggregate_spatial</c>; the output's <c>format</c> and options go to <c>save_result</c> (a colour
/// <c>photometric</c> of an NDVI renders it along red-yellow-green from -1 to 1). Anything else is refused naming it.
/// </summary>
public static class LegacyGraph
{
    private static readonly Dictionary<string, string> TimeReducers = new(StringComparer.Ordinal)
    {
        ["min_time"] = "min", ["max_time"] = "max", ["mean_time"] = "mean", ["median_time"] = "median",
    };

    /// <summary><c>zonal_statistics</c>' <c>func</c> names, as openEO's reducers.</summary>
    private static readonly Dictionary<string, string> Statistics = new(StringComparer.Ordinal)
    {
        ["avg"] = "mean", ["mean"] = "mean", ["min"] = "min", ["max"] = "max", ["median"] = "median", ["sum"] = "sum", ["count"] = "count", ["sd"] = "sd",
    };

    /// <summary>The openEO 1.2 process (<c>{"process_graph": {...}}</c>) of a request of the early format.</summary>
    /// <param name="bandNames">A collection's band names, in order (to read band numbers).</param>
    /// <param name="regions">The GeoJSON of <c>zonal_statistics</c>' <c>regions</c> given as a string (a file of the caller's);
    /// it throws a <see cref="GraphException"/> when there is none.</param>
    public static JsonObject Convert(JsonObject request, Func<string, IReadOnlyList<string>?> bandNames, Func<string, JsonNode>? regions = null)
    {
        foreach (var (key, _) in request)
        {
            if (key is not ("process_graph" or "output"))
            {
                throw new GraphException("BadRequest", $"'{key}' is not a field of an /execute request (known: process_graph, output)");
            }
        }
        if (request["process_graph"] is not JsonObject top)
        {
            throw new GraphException("ProcessGraphMissing", "process_graph: give the nested graph {\"process_id\", \"args\"}");
        }
        var nodes = new JsonObject();
        var data = Materialize(Convert(top, nodes, bandNames, regions, "process_graph"), nodes);
        var output = request["output"] as JsonObject ?? (request["output"] is null ? new JsonObject { ["format"] = "GTiff" }
            : throw new GraphException("BadRequest", "output: give an object {\"format\", ...options}"));
        var format = output["format"] is JsonValue f && f.TryGetValue<string>(out var text) ? text
            : throw new GraphException("BadRequest", "output.format: give the format (GTiff)");
        var options = new JsonObject(output.Where(p => p.Key != "format").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        // A colour image of an NDVI (the seed's JPEG in YCbCr): rendered along red-yellow-green from -1 to 1, as Tessera shows NDVI.
        if (options["photometric"] is JsonValue photometric && photometric.ToString().ToUpperInvariant() is "YCBCR" or "RGB"
            && !options.ContainsKey("colormap") && nodes.Any(n => n.Value?["process_id"]?.ToString() == "ndvi"))
        {
            options["colormap"] = "rdylgn";
            options["rescale"] = new JsonArray(-1, 1);
        }
        nodes["save"] = new JsonObject
        {
            ["process_id"] = "save_result",
            ["arguments"] = new JsonObject { ["data"] = From(data), ["format"] = format, ["options"] = options },
            ["result"] = true,
        };
        // Parsed again, so that every value reads as JSON read from a request does.
        return JsonNode.Parse(new JsonObject { ["process_graph"] = nodes }.ToJsonString())!.AsObject();
    }

    /// <summary>A converted step: a load_collection not written yet (filters may still fold into it), or a node's id.</summary>
    private sealed record Step(JsonObject? Load, string? Node);

    private static Step Convert(JsonObject node, JsonObject nodes, Func<string, IReadOnlyList<string>?> bandNames, Func<string, JsonNode>? regions, string at)
    {
        if (node["product_id"] is { } product)
        {
            var id = product is JsonValue v && v.TryGetValue<string>(out var name) ? name : throw new GraphException("BadRequest", $"{at}.product_id: give a string");
            if (node.Count != 1)
            {
                throw new GraphException("BadRequest", $"{at}: a product is {{\"product_id\"}} alone");
            }
            return new Step(new JsonObject { ["id"] = id }, null);
        }
        var process = node["process_id"] is JsonValue p && p.TryGetValue<string>(out var pid) ? pid
            : throw new GraphException("BadRequest", $"{at}: give process_id and args, or product_id");
        var args = node["args"] as JsonObject ?? throw new GraphException("BadRequest", $"{at}.args: give the process's arguments");
        void Only(params string[] known)
        {
            foreach (var (key, _) in args)
            {
                if (!known.Contains(key))
                {
                    throw new GraphException("BadRequest", $"{at}.args: '{key}' is not an argument of {process} (known: {string.Join(", ", known)})");
                }
            }
        }
        Step Imagery() => args["imagery"] is JsonObject imagery ? Convert(imagery, nodes, bandNames, regions, $"{at}.args.imagery")
            : throw new GraphException("BadRequest", $"{at}.args.imagery: give the data (a process or a product)");
        double Number(string name) => args[name] is JsonValue n && n.TryGetValue<double>(out var d) ? d
            : throw new GraphException("BadRequest", $"{at}.args.{name}: give a number");
        string Text(string name) => args[name] is JsonValue t && t.TryGetValue<string>(out var s) ? s
            : throw new GraphException("BadRequest", $"{at}.args.{name}: give a string");

        switch (process)
        {
            case "filter_bbox":
            {
                Only("imagery", "left", "right", "top", "bottom", "srs");
                var inner = Imagery();
                var box = new JsonObject
                {
                    ["west"] = Math.Min(Number("left"), Number("right")), ["east"] = Math.Max(Number("left"), Number("right")),
                    ["south"] = Math.Min(Number("top"), Number("bottom")), ["north"] = Math.Max(Number("top"), Number("bottom")),
                };
                if (args["srs"] is not null)
                {
                    var srs = Text("srs");
                    box["crs"] = srs.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase)
                        && int.TryParse(srs[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var epsg) ? epsg : srs;
                }
                return Fold(inner, "spatial_extent", box, "filter_bbox", "extent", nodes);
            }
            case "filter_daterange":
            {
                Only("imagery", "from", "to");
                var inner = Imagery();
                var from = args["from"] is null ? null : Day(Text("from"), $"{at}.args.from");
                var to = args["to"] is null ? null : Day(Text("to"), $"{at}.args.to")?.AddDays(1); // the day named is included
                var extent = new JsonArray(from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return Fold(inner, "temporal_extent", extent, "filter_temporal", "extent", nodes);
            }
            case "filter_bands":
            {
                Only("imagery", "bands");
                var inner = Imagery();
                var asked = args["bands"] is JsonArray list ? list.ToList() : [args["bands"]];
                var collection = inner.Load?["id"]?.GetValue<string>();
                var names = new JsonArray(asked.Select(b => (JsonNode?)BandName(b, collection, bandNames, $"{at}.args.bands")).ToArray());
                return Fold(inner, "bands", names, "filter_bands", "bands", nodes);
            }
            case "NDVI":
            {
                Only("imagery", "red", "nir");
                var inner = Materialize(Imagery(), nodes);
                return Add(nodes, "ndvi", new JsonObject { ["data"] = From(inner), ["red"] = Text("red"), ["nir"] = Text("nir") });
            }
            case var reducer when TimeReducers.TryGetValue(reducer, out var statistic):
            {
                Only("imagery");
                var inner = Materialize(Imagery(), nodes);
                return Add(nodes, "reduce_dimension", new JsonObject
                {
                    ["data"] = From(inner),
                    ["dimension"] = "t",
                    ["reducer"] = new JsonObject
                    {
                        ["process_graph"] = new JsonObject
                        {
                            ["r"] = new JsonObject
                            {
                                ["process_id"] = statistic, ["arguments"] = new JsonObject { ["data"] = new JsonObject { ["from_parameter"] = "data" } }, ["result"] = true,
                            },
                        },
                    },
                });
            }
            case "zonal_statistics":
            {
                Only("imagery", "regions", "func");
                var inner = Materialize(Imagery(), nodes);
                var geometries = args["regions"] switch
                {
                    JsonObject geojson => geojson.DeepClone(),
                    JsonValue name when name.TryGetValue<string>(out var file) && regions is not null => regions(file),
                    JsonValue name when name.GetValueKind() == JsonValueKind.String => throw new GraphException("BadRequest",
                        $"{at}.args.regions: this service keeps no files of regions; give the regions themselves as GeoJSON (a FeatureCollection)"),
                    _ => throw new GraphException("BadRequest", $"{at}.args.regions: give GeoJSON, or a file of yours (/users/me/files/NAME)"),
                };
                var func = args["func"] is null ? "avg" : Text("func");
                var statistic = Statistics.TryGetValue(func, out var s) ? s
                    : throw new GraphException("BadRequest", $"{at}.args.func: '{func}' is not one of {string.Join(", ", Statistics.Keys)}");
                return Add(nodes, "aggregate_spatial", new JsonObject
                {
                    ["data"] = From(inner),
                    ["geometries"] = geometries,
                    ["reducer"] = new JsonObject
                    {
                        ["process_graph"] = new JsonObject
                        {
                            ["r"] = new JsonObject
                            {
                                ["process_id"] = statistic, ["arguments"] = new JsonObject { ["data"] = new JsonObject { ["from_parameter"] = "data" } }, ["result"] = true,
                            },
                        },
                    },
                });
            }
            default:
                throw new GraphException("ProcessUnsupported",
                    $"{at}: '{process}' is not a process of /execute here (it runs filter_bbox, filter_daterange, filter_bands, NDVI, {string.Join(", ", TimeReducers.Keys)}, zonal_statistics)");
        }
    }

    /// <summary>A filter: folded into the load_collection right below it (when it has not that extent yet), else a node of its own.</summary>
    private static Step Fold(Step inner, string loadArgument, JsonNode value, string process, string argument, JsonObject nodes)
    {
        if (inner.Load is { } load && !load.ContainsKey(loadArgument))
        {
            load[loadArgument] = value;
            return inner;
        }
        return Add(nodes, process, new JsonObject { ["data"] = From(Materialize(inner, nodes)), [argument] = value });
    }

    private static string Materialize(Step step, JsonObject nodes) =>
        step.Node ?? Add(nodes, "load_collection", step.Load!).Node!;

    private static Step Add(JsonObject nodes, string process, JsonObject arguments)
    {
        var id = $"{process}{nodes.Count + 1}";
        nodes[id] = new JsonObject { ["process_id"] = process, ["arguments"] = arguments };
        return new Step(null, id);
    }

    private static JsonObject From(string node) => new() { ["from_node"] = node };

    private static DateTime? Day(string text, string at) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
            : throw new GraphException("BadRequest", $"{at}: '{text}' is not a date YYYY-MM-DD");

    private static string BandName(JsonNode? band, string? collection, Func<string, IReadOnlyList<string>?> bandNames, string at)
    {
        if (band is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }
        if (band is JsonValue n && n.TryGetValue<int>(out var number))
        {
            var names = collection is null ? null : bandNames(collection);
            return names is not null && number >= 1 && number <= names.Count ? names[number - 1]
                : throw new GraphException("BadRequest", $"{at}: band {number} is not one of the collection's {names?.Count ?? 0} bands (counted from 1)");
        }
        throw new GraphException("BadRequest", $"{at}: give band names, or numbers counted from 1");
    }
}
