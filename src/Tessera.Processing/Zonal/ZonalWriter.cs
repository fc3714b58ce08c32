using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Raster;
using Tessera.Raster.Features;

namespace Tessera.Processing.Zonal;

/// <summary>
/// Writes zonal statistics as CSV (one row per zone, raster and band), GeoJSON (one feature per such row, with
/// its zone's geometry in WGS 84) or GeoPackage (the same features, through GDAL), chosen by the extension.
/// </summary>
public static class ZonalWriter
{
    public static readonly string[] Columns = ["zone", "raster", "band", "count", "valid", "mean", "min", "max", "std", "median", "sum"];

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
                    File.WriteAllText(temporary, Csv(rows), new UTF8Encoding(false));
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

    public static string Csv(IReadOnlyList<ZoneStatistics> rows)
    {
        var text = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var r in rows)
        {
            text.Append(Quote(r.Zone)).Append(',').Append(Quote(Path.GetFileName(r.Raster))).Append(',')
                .Append(r.Band.ToString(CultureInfo.InvariantCulture)).Append(',')
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
        using (var zones = VectorFile.Open(zonesPath))
        {
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
            var properties = new JsonObject
            {
                ["zone"] = r.Zone, ["raster"] = Path.GetFileName(r.Raster), ["band"] = r.Band, ["count"] = r.Count, ["valid"] = r.Valid,
                ["mean"] = r.Mean, ["min"] = r.Min, ["max"] = r.Max, ["std"] = r.Std, ["median"] = r.Median, ["sum"] = r.Sum,
            };
            features.Add(new JsonObject
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
