using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// The cube processes beyond loading and reducing, run through <c>POST /openeo/1.2/result</c> over the same collection:
/// rename_labels, merge_cubes, mask (a mask of bright, cloudy red pixels), aggregate_temporal_period, resample_spatial
/// and resample_cube_spatial (against gdal.Warp), mask_polygon and filter_spatial (against gdal.Rasterize of the land
/// use polygons); each equals numpy's values, and mistakes are refused naming the node and argument.
/// </summary>
public sealed partial class OpenEoResultTests
{
    private const string Polygons = "S2_slovenia_LULC_polygons_wgs84.geojson";

    private static JsonObject From(string node) => new() { ["from_node"] = node };

    private static JsonObject Parameter(string name) => new() { ["from_parameter"] = name };

    private static JsonObject Node(string process, JsonObject arguments) => new() { ["process_id"] = process, ["arguments"] = arguments };

    /// <summary>A callback of one process whose arguments are given.</summary>
    private static JsonObject Callback(string process, JsonObject arguments) => new()
    {
        ["process_graph"] = new JsonObject { ["c"] = new JsonObject { ["process_id"] = process, ["arguments"] = arguments, ["result"] = true } },
    };

    /// <summary>load_collection of B04 and B08 between the dates, over the box <see cref="Graph"/> uses (or the whole patch).</summary>
    private static JsonObject Load(string start, string end, bool box = true)
    {
        var arguments = new JsonObject { ["id"] = "slovenia", ["temporal_extent"] = new JsonArray(start, end), ["bands"] = new JsonArray("B04", "B08") };
        arguments["spatial_extent"] = null;
        if (box)
        {
            var b = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
            var (w, h) = (b.MaxX - b.MinX, b.MaxY - b.MinY);
            arguments["spatial_extent"] = new JsonObject { ["west"] = b.MinX + w * 0.2, ["south"] = b.MinY + h * 0.25, ["east"] = b.MaxX - w * 0.1, ["north"] = b.MaxY - h * 0.15 };
        }
        return Node("load_collection", arguments);
    }

    /// <summary>A graph of the nodes, in order, saving the last one as GTiff.</summary>
    private static JsonObject Body(params (string Id, JsonObject Node)[] nodes)
    {
        var graph = new JsonObject();
        foreach (var (id, node) in nodes)
        {
            graph[id] = node;
        }
        graph["save"] = new JsonObject
        {
            ["process_id"] = "save_result",
            ["arguments"] = new JsonObject { ["data"] = From(nodes[^1].Id), ["format"] = "GTiff" },
            ["result"] = true,
        };
        return new JsonObject { ["process"] = new JsonObject { ["process_graph"] = graph } };
    }

    private static JsonObject ReduceTime(string data, string reducer, JsonObject? arguments = null)
    {
        var reducerArguments = arguments ?? new JsonObject();
        reducerArguments["data"] = Parameter("data");
        return Node("reduce_dimension", new JsonObject { ["data"] = From(data), ["dimension"] = "t", ["reducer"] = Callback(reducer, reducerArguments) });
    }

    private async Task<(string Code, string Message)> RefusedAsync(JsonObject body)
    {
        var response = await _http.PostAsync("/openeo/1.2/result", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var error = JsonNode.Parse(text)!;
        return (error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>());
    }

    private static void AssertEqualsNumpy(System.Text.Json.JsonElement reference, int minimumValid = 1000)
    {
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        Assert.True(reference.GetProperty("validPixels").GetInt32() >= minimumValid, reference.ToString());
    }

    /// <summary>The first land use polygons, and a file of them for the reference.</summary>
    private async Task<(JsonObject Polygons, string File)> SomePolygonsAsync(int count, string name)
    {
        var all = JsonNode.Parse(await File.ReadAllTextAsync(SampleData.File(Polygons)))!;
        var some = new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(all["features"]!.AsArray().Take(count).Select(f => f!.DeepClone()).ToArray()) };
        var file = _out.File(name);
        await File.WriteAllTextAsync(file, some.ToJsonString());
        return (some, file);
    }

    private string Band(string date, string band) => Path.Combine(_www.Path, date, $"{band}.tif");

    [SampleDataFact]
    public async Task RenameLabels_OfBandsAndTimes_AreWhatLaterProcessesFindThemBy()
    {
        var body = Body(
            ("load", Load("2015-07-01", "2015-07-20")),
            ("bands", Node("rename_labels", new JsonObject { ["data"] = From("load"), ["dimension"] = "bands", ["target"] = new JsonArray("R", "N"), ["source"] = new JsonArray("B04", "B08") })),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("bands"), ["nir"] = "N", ["red"] = "R" })),
            ("times", Node("rename_labels", new JsonObject { ["data"] = From("ndvi"), ["dimension"] = "t", ["target"] = new JsonArray("july") })),
            ("pick", ReduceTime("times", "array_element", new JsonObject { ["label"] = "july" })));

        var result = await ResultAsync(body, "renamed.tif");

        AssertEqualsNumpy(PythonReference.Run("openeo_reduce_reference.py", Reference(result, "max", ["20150711"])));

        body["process"]!["process_graph"]!["bands"]!["arguments"]!["source"] = new JsonArray("B04", "B8");
        var (code, message) = await RefusedAsync(body);
        Assert.Equal(("LabelNotAvailable", "node 'bands', argument 'source': 'B8' is not a label of 'bands' (it has B04, B08)"), (code, message));
        body["process"]!["process_graph"]!["bands"]!["arguments"]!["source"] = new JsonArray("B04");
        body["process"]!["process_graph"]!["bands"]!["arguments"]!["target"] = new JsonArray("B08");
        Assert.Equal(("LabelExists", "node 'bands', argument 'target': 'B08' would name two labels of 'bands'"), await RefusedAsync(body));
    }

    [SampleDataFact]
    public async Task MergeCubes_OfTwoBandFilters_IsTheCubeAgain_AndOverlapsGoThroughTheResolver()
    {
        var body = Body(
            ("load", Load("2015-07-01", "2015-09-09")),
            ("red", Node("filter_bands", new JsonObject { ["data"] = From("load"), ["bands"] = new JsonArray("B04") })),
            ("nir", Node("filter_bands", new JsonObject { ["data"] = From("load"), ["bands"] = new JsonArray("B08") })),
            ("merge", Node("merge_cubes", new JsonObject { ["cube1"] = From("nir"), ["cube2"] = From("red") })),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("merge") })),
            ("reduce", ReduceTime("ndvi", "max")));
        var merged = await ResultAsync(body, "merged.tif");
        AssertEqualsNumpy(PythonReference.Run("openeo_reduce_reference.py", Reference(merged, "max", ["20150711", "20150731", "20150820", "20150830"])));

        // Two NDVI cubes of the same times: every value overlaps; the resolver adds them.
        var overlapping = Body(
            ("load", Load("2015-07-01", "2015-09-09")),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("load") })),
            ("ndvi2", Node("ndvi", new JsonObject { ["data"] = From("load") })),
            ("merge", Node("merge_cubes", new JsonObject
            {
                ["cube1"] = From("ndvi"), ["cube2"] = From("ndvi2"), ["overlap_resolver"] = Callback("add", new JsonObject { ["x"] = Parameter("x"), ["y"] = Parameter("y") }),
            })),
            ("reduce", ReduceTime("merge", "max")));
        var doubled = await ResultAsync(overlapping, "doubled.tif");
        var reference = PythonReference.Run("openeo_reduce_reference.py", new
        {
            result = doubled,
            reducer = "max",
            scale = 2,
            dates = new[] { "20150711", "20150731", "20150820", "20150830" }.Select(d => new { nir = Band(d, "B08"), red = Band(d, "B04") }).ToArray(),
        });
        AssertEqualsNumpy(reference);

        overlapping["process"]!["process_graph"]!["merge"]!["arguments"]!.AsObject().Remove("overlap_resolver");
        Assert.Equal(("OverlapResolverMissing",
            "node 'merge', argument 'overlap_resolver': both cubes have values at 2015-07-11T00:00:00Z: give an overlap_resolver to combine them"),
            await RefusedAsync(overlapping));
        var otherGrid = Body(
            ("load", Load("2015-07-01", "2015-09-09")),
            ("whole", Load("2015-07-01", "2015-09-09", box: false)),
            ("merge", Node("merge_cubes", new JsonObject { ["cube1"] = From("load"), ["cube2"] = From("whole") })),
            ("reduce", ReduceTime("merge", "max")));
        var (code, message) = await RefusedAsync(otherGrid);
        Assert.Equal("ProcessArgumentInvalid", code);
        Assert.StartsWith("node 'merge', argument 'cube2': the cubes are on different grids (", message);
        Assert.EndsWith("): put one on the other's with resample_cube_spatial first", message);
    }

    [SampleDataFact]
    public async Task Mask_WithBrightRedPixels_LeavesThemOut()
    {
        const double threshold = 0.1; // clouds: bright in red
        var body = Body(
            ("load", Load("2015-07-01", "2015-10-01")),
            ("red", Node("filter_bands", new JsonObject { ["data"] = From("load"), ["bands"] = new JsonArray("B04") })),
            ("cloudy", Node("apply", new JsonObject { ["data"] = From("red"), ["process"] = Callback("gt", new JsonObject { ["x"] = Parameter("x"), ["y"] = threshold }) })),
            ("mask", Node("mask", new JsonObject { ["data"] = From("load"), ["mask"] = From("cloudy") })),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("mask") })),
            ("reduce", ReduceTime("ndvi", "mean")));

        var result = await ResultAsync(body, "masked.tif");

        var dates = Dates.Select(d => d.Date).ToArray();
        var reference = PythonReference.Run("openeo_reduce_reference.py", new
        {
            result,
            reducer = "mean",
            maskRedAbove = threshold,
            dates = dates.Select(d => new { nir = Band(d, "B08"), red = Band(d, "B04") }).ToArray(),
        });
        AssertEqualsNumpy(reference);
        // Without the mask the cloudy dates pull the mean down.
        var unmasked = PythonReference.Run("openeo_reduce_reference.py", Reference(result, "mean", dates));
        Assert.True(unmasked.GetProperty("maxAbsDiff").GetDouble() > 1e-2, unmasked.ToString());

        var mismatched = Body(
            ("load", Load("2015-07-01", "2015-10-01")),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("load"), ["target_band"] = "NDVI" })),
            ("mask", Node("mask", new JsonObject { ["data"] = From("ndvi"), ["mask"] = From("load") })),
            ("reduce", ReduceTime("mask", "mean")));
        Assert.Equal(("ProcessArgumentInvalid", "node 'mask', argument 'mask': the mask has bands B04, B08: give it one band, or the data's (B04, B08, NDVI)"),
            await RefusedAsync(mismatched));
    }

    [SampleDataFact]
    public async Task AggregateTemporalPeriod_ByMonth_MeansEachMonth_LabelledYearMonth()
    {
        JsonObject Graph(string reducer, JsonObject? arguments = null, string period = "month") => Body(
            ("load", Load("2015-07-01", "2015-10-01")),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("load") })),
            ("monthly", Node("aggregate_temporal_period", new JsonObject
            {
                ["data"] = From("ndvi"), ["period"] = period, ["reducer"] = Callback("mean", new JsonObject { ["data"] = Parameter("data") }),
            })),
            ("reduce", ReduceTime("monthly", reducer, arguments)));
        var dates = Dates.Select(d => new { nir = Band(d.Date, "B08"), red = Band(d.Date, "B04") }).ToArray();

        var max = await ResultAsync(Graph("max"), "monthly-max.tif");
        var august = await ResultAsync(Graph("array_element", new JsonObject { ["label"] = "2015-08" }), "august.tif");

        // July: the 11th and 31st; August: the 20th and 30th; September: the 9th.
        AssertEqualsNumpy(PythonReference.Run("openeo_reduce_reference.py", new { result = max, reducer = "max", groups = new[] { new[] { 0, 1 }, [2, 3], [4] }, dates }));
        AssertEqualsNumpy(PythonReference.Run("openeo_reduce_reference.py", new { result = august, reducer = "max", groups = new[] { new[] { 2, 3 } }, dates }));
        Assert.Equal(("ProcessArgumentInvalid", "node 'monthly', argument 'period': period 'season' is not one this server aggregates by (day, week, month, year)"),
            await RefusedAsync(Graph("max", period: "season")));
        var (code, message) = await RefusedAsync(Graph("array_element", new JsonObject { ["label"] = "2015-08-20" }));
        Assert.Equal(("ArrayElementNotAvailable", "node 'reduce', argument 'reducer': in its callback: node 'c', argument 'label': label '2015-08-20': the labels are 2015-07, 2015-08, 2015-09"),
            (code, message));
    }

    [SampleDataFact]
    public async Task ResampleSpatial_To20MetresAverage_EqualsGdalWarp_AndResampleCubeSpatialToo()
    {
        var body = Body(
            ("load", Load("2015-07-01", "2015-07-20")),
            ("coarse", Node("resample_spatial", new JsonObject { ["data"] = From("load"), ["resolution"] = 20, ["method"] = "average" })));
        var onTarget = Body(
            ("load", Load("2015-07-01", "2015-07-20")),
            ("target", Node("resample_spatial", new JsonObject { ["data"] = From("load"), ["resolution"] = 20 })),
            ("coarse", Node("resample_cube_spatial", new JsonObject { ["data"] = From("load"), ["target"] = From("target"), ["method"] = "average" })));

        var resampled = await ResultAsync(body, "resampled.tif");
        var aligned = await ResultAsync(onTarget, "aligned.tif");

        foreach (var result in new[] { resampled, aligned })
        {
            var reference = PythonReference.Run("openeo_cube_reference.py", new
            {
                mode = "resample", result, method = "average", bands = new[] { Band("20150711", "B04"), Band("20150711", "B08") },
            });
            AssertEqualsNumpy(reference, 500);
            Assert.Equal(20, reference.GetProperty("pixelWidth").GetDouble());
            Assert.True(reference.GetProperty("width").GetInt32() < 40, reference.ToString());
        }
        body["process"]!["process_graph"]!["coarse"]!["arguments"]!["method"] = "lanczos";
        Assert.Equal(("ProcessArgumentInvalid", "node 'coarse', argument 'method': method 'lanczos' is not one this server resamples with (near, bilinear, cubic, average)"),
            await RefusedAsync(body));
        var computed = Body(
            ("load", Load("2015-07-01", "2015-07-20")),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("load") })),
            ("coarse", Node("resample_spatial", new JsonObject { ["data"] = From("ndvi"), ["resolution"] = 20, ["method"] = "bilinear" })));
        Assert.Equal(("ProcessArgumentInvalid",
            "node 'coarse', argument 'method': method 'bilinear' resamples the bands as loaded: resample before computing on them (or use near)"),
            await RefusedAsync(computed));
    }

    [SampleDataFact]
    public async Task MaskPolygon_WithTheLandUsePolygons_EqualsGdalRasterize()
    {
        var (polygons, file) = await SomePolygonsAsync(50, "polygons.geojson"); // a body of about 120 KiB
        JsonObject Graph(bool inside) => Body(
            ("load", Load("2015-07-01", "2015-07-20", box: false)),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("load") })),
            ("masked", Node("mask_polygon", new JsonObject { ["data"] = From("ndvi"), ["mask"] = polygons.DeepClone(), ["inside"] = inside })));

        foreach (var inside in new[] { false, true })
        {
            var result = await ResultAsync(Graph(inside), $"polygons-{inside}.tif");
            var reference = PythonReference.Run("openeo_cube_reference.py", new
            {
                mode = "polygons", result, inside, polygons = file, nir = Band("20150711", "B08"), red = Band("20150711", "B04"),
            });
            AssertEqualsNumpy(reference, 500);
            Assert.True(reference.GetProperty("insidePixels").GetInt32() is > 500 and < 100 * 101 - 500, reference.ToString());
        }
        var points = Graph(false);
        points["process"]!["process_graph"]!["masked"]!["arguments"]!["mask"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(14.5, 46.1) };
        Assert.Equal(("ProcessArgumentInvalid",
            "node 'masked', argument 'mask': GeoJSON of type 'Point': give a Polygon or MultiPolygon, a Feature of one, or a FeatureCollection of them"),
            await RefusedAsync(points));
    }

    [SampleDataFact]
    public async Task FilterSpatial_CutsTheCubeToThePolygons_AndLeavesOutPixelsOutsideThem()
    {
        var (some, file) = await SomePolygonsAsync(10, "some-polygons.geojson");
        var body = Body(
            ("load", Load("2015-07-01", "2015-07-20", box: false)),
            ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("load") })),
            ("cut", Node("filter_spatial", new JsonObject { ["data"] = From("ndvi"), ["geometries"] = some })));

        var result = await ResultAsync(body, "cut.tif");

        var reference = PythonReference.Run("openeo_cube_reference.py", new
        {
            mode = "polygons", result, crop = true, polygons = file, nir = Band("20150711", "B08"), red = Band("20150711", "B04"),
        });
        AssertEqualsNumpy(reference, 50);
        Assert.True(reference.GetProperty("gridAsExpected").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("width").GetInt32() * reference.GetProperty("height").GetInt32() < 100 * 101, reference.ToString());
    }
}
