using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Processing.Zonal;
using Tessera.Raster.Blocks;
using Tessera.Raster.Features;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// Writes a <see cref="VectorCube"/>: its values are computed first (each time of the raster cube, cut to the
/// geometries' bounds, written once to a plain GeoTIFF beside the output, then <see cref="ZonalCalculator"/> over the
/// geometries: a polygon covers the pixels whose centre it contains, a point the pixel it falls in, a line the pixels it
/// passes through), then written as a table of one row per geometry and time: the geometry's own properties, then
/// <c>geometry_index</c> (from 0, in the order given), <c>t</c> (when the cube has times) and one column per band label
/// (<c>value</c> without bands) holding the statistic; with a target dimension, three per band: <c>{band}_value</c>,
/// <c>{band}_total_count</c>, <c>{band}_valid_count</c>. A property of the same name as a computed column gives way to
/// it. <c>GeoJSON</c> and <c>JSON</c>: a FeatureCollection in WGS 84; <c>GPKG</c>: the same features in a GeoPackage
/// layer <c>aggregate_spatial</c>; <c>CSV</c>: the columns without the geometry.
/// </summary>
public static class VectorCubeWriter
{
    /// <summary>The formats this writer takes, as <c>GET /file_formats</c> lists them (names compared without case).</summary>
    public static readonly string[] Formats = ["GPKG", "GeoJSON", "JSON", "CSV"];

    public static bool Takes(string format) => Formats.Any(f => string.Equals(f, format, StringComparison.OrdinalIgnoreCase));

    public static string MediaType(string format) => format.ToUpperInvariant() switch
    {
        "GPKG" => "application/geopackage+sqlite3",
        "GEOJSON" => "application/geo+json",
        "JSON" => "application/json",
        _ => "text/csv",
    };

    public static string Extension(string format) => format.ToUpperInvariant() switch
    {
        "GPKG" => ".gpkg",
        "GEOJSON" => ".geojson",
        "JSON" => ".json",
        _ => ".csv",
    };

    public static void Check(SavedResult result, string node)
    {
        if (!Takes(result.Format))
        {
            throw new GraphException("FormatUnsuitable",
                $"format '{result.Format}' holds rasters; the result is a vector cube (aggregate_spatial): save it as one of {string.Join(", ", Formats)}", node, "format");
        }
        foreach (var (key, _) in result.Options)
        {
            throw new GraphException("FormatArgumentUnsupported", $"'{key}' is not an option of {result.Format} (it takes none)", node, "options");
        }
    }

    public static void Write(SavedResult result, string path, string node, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        Check(result, node);
        var vector = result.Vector!;
        var values = Compute(vector, Path.GetDirectoryName(Path.GetFullPath(path))!, progress, cancellationToken);
        var features = Rows(vector, values);
        var format = result.Format.ToUpperInvariant();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        try
        {
            switch (format)
            {
                case "CSV":
                    File.WriteAllText(temporary, Csv(features), new UTF8Encoding(false));
                    break;
                case "GPKG":
                    var geojson = temporary + ".geojson";
                    try
                    {
                        File.WriteAllText(geojson, Collection(features).ToJsonString(), new UTF8Encoding(false));
                        VectorFile.Convert(geojson, temporary + ".gpkg", "GPKG", ["-nln", "aggregate_spatial"]);
                        File.Move(temporary + ".gpkg", temporary);
                    }
                    finally
                    {
                        File.Delete(geojson);
                    }
                    break;
                default:
                    File.WriteAllText(temporary, Collection(features).ToJsonString(), new UTF8Encoding(false));
                    break;
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The statistic and counts per (geometry, time, band), index <c>(g * times + t) * bands + b</c>.</summary>
    private sealed record Values(double?[] Statistic, long[] Total, long[] Valid);

    private static Values Compute(VectorCube vector, string folder, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var cube = vector.Raster;
        var (times, bands) = (cube.TimeCount, cube.BandCount);
        var size = vector.Features.Count * times * bands;
        var values = new Values(new double?[size], new long[size], new long[size]);
        if (!vector.Meets)
        {
            return values;
        }
        var rasters = new List<string>();
        try
        {
            for (var t = 0; t < times; t++)
            {
                var raster = Path.Combine(folder, $".aggregate-{Guid.NewGuid():N}.tif");
                rasters.Add(raster);
                CubeWriter.WriteTime(cube, t, raster, progress, cancellationToken);
            }
            var rows = ZonalCalculator.Run(new ZonalRequest(vector.GeometriesFile, rasters, "EPSG:4326"), cancellationToken, progress);
            var timeOf = rasters.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
            foreach (var row in rows)
            {
                var i = (row.ZoneIndex * times + timeOf[row.Raster]) * bands + row.Band - 1;
                values.Total[i] = row.Count;
                values.Valid[i] = row.Valid;
                values.Statistic[i] = Statistic(vector.Reducer, row);
            }
        }
        finally
        {
            foreach (var raster in rasters)
            {
                File.Delete(raster);
            }
        }
        return values;
    }

    private static double? Statistic(string reducer, ZoneStatistics row)
    {
        var n = row.Valid;
        return reducer switch
        {
            "mean" => row.Mean,
            "min" => row.Min,
            "max" => row.Max,
            "median" => row.Median,
            "sum" => row.Sum ?? 0,
            "count" => n,
            "sd" => n < 2 ? null : row.Std * Math.Sqrt(n / (n - 1.0)),
            _ => throw new InvalidOperationException($"no statistic '{reducer}'"),
        };
    }

    /// <summary>One feature per geometry and time, with the columns in order.</summary>
    private static List<(JsonObject Properties, JsonNode? Geometry)> Rows(VectorCube vector, Values values)
    {
        var cube = vector.Raster;
        var (times, bands) = (cube.TimeCount, cube.BandCount);
        var labels = cube.Bands ?? ["value"];
        var rows = new List<(JsonObject, JsonNode?)>();
        for (var g = 0; g < vector.Features.Count; g++)
        {
            var feature = vector.Features[g];
            for (var t = 0; t < times; t++)
            {
                var computed = new JsonObject { ["geometry_index"] = g };
                if (cube.Times is not null)
                {
                    computed["t"] = cube.Times[t];
                }
                for (var b = 0; b < bands; b++)
                {
                    var i = (g * times + t) * bands + b;
                    if (vector.TargetDimension is null)
                    {
                        computed[labels[b]] = values.Statistic[i];
                    }
                    else
                    {
                        computed[$"{labels[b]}_value"] = values.Statistic[i];
                        computed[$"{labels[b]}_total_count"] = values.Total[i];
                        computed[$"{labels[b]}_valid_count"] = values.Valid[i];
                    }
                }
                var properties = new JsonObject();
                if (feature["properties"] is JsonObject own)
                {
                    foreach (var (key, value) in own)
                    {
                        if (!computed.ContainsKey(key))
                        {
                            properties[key] = value is JsonObject or JsonArray ? value.ToJsonString() : value?.DeepClone();
                        }
                    }
                }
                foreach (var (key, value) in computed)
                {
                    properties[key] = value?.DeepClone();
                }
                rows.Add((properties, feature["geometry"]));
            }
        }
        return rows;
    }

    private static JsonObject Collection(List<(JsonObject Properties, JsonNode? Geometry)> rows) => new()
    {
        ["type"] = "FeatureCollection",
        ["features"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["type"] = "Feature", ["properties"] = r.Properties.DeepClone(), ["geometry"] = r.Geometry?.DeepClone(),
        })]),
    };

    private static string Csv(List<(JsonObject Properties, JsonNode? Geometry)> rows)
    {
        var columns = new List<string>();
        foreach (var (properties, _) in rows)
        {
            foreach (var (key, _) in properties)
            {
                if (!columns.Contains(key))
                {
                    columns.Add(key);
                }
            }
        }
        var text = new StringBuilder(string.Join(',', columns.Select(Quote))).Append('\n');
        foreach (var (properties, _) in rows)
        {
            text.Append(string.Join(',', columns.Select(c => properties[c] switch
            {
                null => "",
                JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
                JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
                var v => Quote(v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()),
            }))).Append('\n');
        }
        return text.ToString();
    }

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
