using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;
using Tessera.Raster.Features;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// <c>aggregate_spatial</c>: a raster cube reduced over GeoJSON geometries to a <see cref="VectorCube"/>. The reducer is
/// one statistic over the callback's <c>data</c> (<see cref="Statistics"/>); the raster cube is cut to the geometries'
/// bounds, so only that part is computed when the vector cube is saved.
/// </summary>
public static class CubeAggregation
{
    /// <summary>The reducers taken: <c>sd</c> is the sample one (n - 1), as openEO defines it.</summary>
    public static readonly string[] Statistics = ["mean", "min", "max", "median", "sum", "count", "sd"];

    private static readonly string[] GeometryTypes = ["Polygon", "MultiPolygon", "Point", "MultiPoint", "LineString", "MultiLineString"];

    public static VectorCube AggregateSpatial(DataCube cube, object? geometries, ProcessGraph reducer, string? targetDimension, string workFolder, Arguments a)
    {
        var statistic = StatisticOf(reducer, a);
        if (targetDimension is not null && (targetDimension is "x" or "y" or "t" or "bands" or "geometries"))
        {
            throw new GraphException("TargetDimensionExists", $"the cube already has a dimension '{targetDimension}'", a.Node, "target_dimension");
        }
        var features = Features(geometries as JsonNode, a);
        Directory.CreateDirectory(workFolder);
        var path = Path.Combine(workFolder, $"geometries-{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray([.. features.Select(f => f.DeepClone())]) }.ToJsonString());
        Bounds extent;
        try
        {
            using var vector = VectorFile.Open(path);
            extent = vector.Extent ?? throw new GraphException("ProcessArgumentInvalid", "the geometries are empty", a.Node, "geometries");
        }
        catch (RasterException e)
        {
            throw new GraphException("ProcessArgumentInvalid", $"the GeoJSON cannot be read: {e.Message}", a.Node, "geometries");
        }
        // A point's bounds have no area: widened a little so that the pixel it falls in is kept.
        const double Pad = 1e-6;
        var padded = new Bounds(extent.MinX - Pad, extent.MinY - Pad, extent.MaxX + Pad, extent.MaxY + Pad);
        DataCube cut;
        bool meets;
        try
        {
            (cut, meets) = (CubeProcesses.FilterBbox(cube, padded, null, a, "geometries"), true);
        }
        catch (GraphException)
        {
            (cut, meets) = (cube, false); // no geometry covers a pixel: every value is no data
        }
        return new VectorCube(cut, meets, features, path, statistic, targetDimension);
    }

    /// <summary>The statistic a reducer computes: one node calling it on the callback's <c>data</c>.</summary>
    private static string StatisticOf(ProcessGraph reducer, Arguments a)
    {
        var node = reducer.Result;
        var simple = reducer.Nodes.Count == 1 && Statistics.Contains(node.ProcessId) && node.Namespace is null
            && node.Arguments.TryGetValue("data", out var data) && data is ParameterArgument { Name: "data" }
            && node.Arguments.All(p => p.Key == "data" || (p.Key == "ignore_nodata" && p.Value is LiteralArgument { Value: JsonValue v } && v.ToString() == "true"));
        return simple ? node.ProcessId
            : throw new GraphException("ProcessArgumentInvalid",
                $"the reducer here is one of {string.Join(", ", Statistics)} over the geometry's values ({{\"process_id\": \"mean\", \"arguments\": {{\"data\": {{\"from_parameter\": \"data\"}}}}}})",
                a.Node, "reducer");
    }

    /// <summary>The GeoJSON as a list of features (a geometry, a Feature, or a FeatureCollection of them).</summary>
    private static List<JsonObject> Features(JsonNode? geometries, Arguments a)
    {
        GraphException Bad(string message) => new("ProcessArgumentInvalid", message, a.Node, "geometries");
        if (geometries is not JsonObject geojson)
        {
            throw Bad("give GeoJSON: a geometry, a Feature, or a FeatureCollection");
        }
        var type = geojson["type"]?.ToString();
        List<JsonObject> features = type switch
        {
            "FeatureCollection" => (geojson["features"] as JsonArray ?? throw Bad("a FeatureCollection without features"))
                .Select((f, i) => f as JsonObject ?? throw Bad($"feature {i} is not an object")).Select(f => (JsonObject)f.DeepClone()).ToList(),
            "Feature" => [(JsonObject)geojson.DeepClone()],
            _ when GeometryTypes.Contains(type) => [new JsonObject { ["type"] = "Feature", ["properties"] = new JsonObject(), ["geometry"] = geojson.DeepClone() }],
            _ => throw Bad($"GeoJSON of type '{type}': give a geometry ({string.Join(", ", GeometryTypes)}), a Feature, or a FeatureCollection"),
        };
        if (features.Count == 0)
        {
            throw Bad("no geometry in the GeoJSON");
        }
        for (var i = 0; i < features.Count; i++)
        {
            var geometryType = features[i]["geometry"]?["type"]?.ToString();
            if (!GeometryTypes.Contains(geometryType))
            {
                throw Bad($"feature {i}: a geometry of type '{geometryType ?? "null"}'; give one of {string.Join(", ", GeometryTypes)}");
            }
            features[i]["properties"] ??= new JsonObject();
        }
        return features;
    }
}
