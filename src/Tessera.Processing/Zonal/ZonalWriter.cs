using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Raster;
using Tessera.Raster.Features;

namespace Tessera.Processing.Zonal;

/// <summary>
/// Writes zonal statistics as CSV (one row per zone, raster and band), GeoJSON (one feature per such row, with
/// its zone's geometry in WGS 84) or GeoPackage (the same features, through GDAL), chosen by the extension. Every row
/// carries its zone's attributes (as rasterstats and QGIS do), after the zone's name and before the statistics; an
/// attribute named as a column of the statistics is renamed <c>zone_NAME</c>.
/// </summary>
public static class ZonalWriter
{
    /// <summary>The columns of the statistics; a table has the zone's attributes between the first and the rest.</summary>
    public static readonly string[] Columns = ["zone", "raster", "band", "label", "count", "valid", "mean", "min", "max", "std", "median", "sum"];

    /// <summary>A table's columns for zones with these attribute names.</summary>
    public static IReadOnlyList<string> ColumnsWith(IReadOnlyList<string> attributes) => [Columns[0], .. Renamed(attributes), .. Columns[1..]];

    private static IEnumerable<string> Renamed(IEnumerable<string> attributes) =>
        attributes.Select(a => Columns.Contains(a, StringComparer.OrdinalIgnoreCase) ? $"zone_{a}" : a);

    public static void Write(IReadOnlyList<ZoneStatistics> rows, string zonesPath, string outputPath, string? zonesCrs = null)
    {
        var extension = Path.GetExtension(outputPath).ToLowerInvariant();
        var (_, folder) = Raster.Output.OutputTarget.Check(outputPath);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(outputPath)}.{Guid.NewGuid():N}{extension}");
        try
        {
            switch (extension)
            {
                case ".csv":
                    File.WriteAllText(temporary, Csv(rows, AttributesOf(zonesPath)), new UTF8Encoding(false));
                    break;
                case ".geojson" or ".json":
                    File.WriteAllText(temporary, GeoJson(rows, zonesPath, zonesCrs), new UTF8Encoding(false));
                    break;
                case ".gpkg":
                    // The same features as the GeoJSON, converted by GDAL.
                    var features = temporary + ".geojson";
                    try
                    {
                        File.WriteAllText(features, GeoJson(rows, zonesPath, zonesCrs), new UTF8Encoding(false));
                        VectorFile.Convert(features, temporary, "GPKG", ["-nln", "zonal_statistics"]);
                    }
                    finally
                    {
                        File.Delete(features);
                    }
                    break;
                default:
                    throw new RasterArgumentException($"{outputPath}: write statistics to a .csv, .geojson or .gpkg file");
            }
            File.Move(temporary, outputPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Each zone's attributes, by its index in the layer.</summary>
    private static IReadOnlyList<IReadOnlyList<KeyValuePair<string, object?>>> AttributesOf(string zonesPath)
    {
        using var zones = VectorFile.Open(zonesPath);
        return zones.Features().Select(f => f.Attributes).ToList();
    }

    /// <param name="attributes">Each zone's attributes by its index (none when null).</param>
    public static string Csv(IReadOnlyList<ZoneStatistics> rows, IReadOnlyList<IReadOnlyList<KeyValuePair<string, object?>>>? attributes = null)
    {
        var names = attributes is { Count: > 0 } ? attributes[0].Select(a => a.Key).ToList() : [];
        var text = new StringBuilder(string.Join(',', ColumnsWith(names).Select(Quote))).Append('\n');
        foreach (var r in rows)
        {
            text.Append(Quote(r.Zone)).Append(',');
            foreach (var (_, value) in attributes?[r.ZoneIndex] ?? [])
            {
                text.Append(value switch
                {
                    null => "",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    long l => l.ToString(CultureInfo.InvariantCulture),
                    var other => Quote(other.ToString() ?? ""),
                }).Append(',');
            }
            text.Append(Quote(Path.GetFileName(r.Raster))).Append(',')
                .Append(r.Band.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Quote(r.Label)).Append(',')
                .Append(r.Count.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Valid.ToString(CultureInfo.InvariantCulture));
            foreach (var v in new[] { r.Mean, r.Min, r.Max, r.Std, r.Median, r.Sum })
            {
                text.Append(',').Append(v?.ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string GeoJson(IReadOnlyList<ZoneStatistics> rows, string zonesPath, string? zonesCrs)
    {
        Dictionary<int, string?> geometries;
        IReadOnlyList<IReadOnlyList<KeyValuePair<string, object?>>> attributes;
        using (var zones = VectorFile.Open(zonesPath))
        {
            attributes = zones.Features().Select(f => f.Attributes).ToList();
            var lonLat = zones.CopyTo("EPSG:4326", zonesCrs, "GeoJSON");
            try
            {
                using var copy = VectorFile.Open(lonLat);
                var byFid = copy.Features(withGeoJson: true).ToDictionary(f => f.Fid);
                geometries = zones.Features().ToDictionary(f => f.Index, f => byFid.TryGetValue(f.Fid, out var g) ? g.GeoJson : null);
            }
            finally
            {
                VectorFile.DeleteTemporary(lonLat);
            }
        }
        var features = new JsonArray();
        foreach (var r in rows)
        {
            var properties = new JsonObject { ["zone"] = r.Zone };
            var zone = attributes[r.ZoneIndex];
            foreach (var (name, (_, value)) in Renamed(zone.Select(a => a.Key)).Zip(zone))
            {
                properties[name] = value switch
                {
                    null => null,
                    double d => JsonValue.Create(d),
                    long l => JsonValue.Create(l),
                    var other => JsonValue.Create(other.ToString()),
                };
            }
            properties["raster"] = Path.GetFileName(r.Raster);
            properties["band"] = r.Band;
            properties["label"] = r.Label;
            properties["count"] = r.Count;
            properties["valid"] = r.Valid;
            properties["mean"] = r.Mean;
            properties["min"] = r.Min;
            properties["max"] = r.Max;
            properties["std"] = r.Std;
            properties["median"] = r.Median;
            properties["sum"] = r.Sum;
            features.Add((JsonNode)new JsonObject
            {
                ["type"] = "Feature",
                ["properties"] = properties,
                ["geometry"] = geometries.GetValueOrDefault(r.ZoneIndex) is { } g ? JsonNode.Parse(g) : null,
            });
        }
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = features }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
