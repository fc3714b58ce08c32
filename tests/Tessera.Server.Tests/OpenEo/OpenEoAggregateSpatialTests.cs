using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Raster;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// <c>aggregate_spatial</c> over the Slovenian dates (zonal statistics of a cube): polygons, a point and a polygon off
/// the patch, reduced per date and saved as GeoPackage, CSV and GeoJSON, each value equal to numpy's over the pixels
/// GDAL's rasterizer gives each geometry on the scenes' own grid; the seed's second <c>/execute</c> example
/// (<c>zonal_statistics</c> answering with a GeoPackage); batch jobs storing a table; mistakes refused.
/// </summary>
public sealed partial class OpenEoResultTests
{
    /// <summary>Four geometries in lon/lat: a rectangle with properties, a triangle, a point, and a square off the patch.</summary>
    private static JsonObject Geometries()
    {
        var b = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        var (w, h) = (b.MaxX - b.MinX, b.MaxY - b.MinY);
        JsonArray P(double fx, double fy) => new(b.MinX + fx * w, b.MinY + fy * h);
        JsonObject Feature(JsonObject geometry, JsonObject? properties = null) =>
            new() { ["type"] = "Feature", ["properties"] = properties ?? new JsonObject(), ["geometry"] = geometry };
        return new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray(
                Feature(new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(new JsonArray(P(0.1, 0.1), P(0.4, 0.1), P(0.4, 0.4), P(0.1, 0.4), P(0.1, 0.1))) },
                    new JsonObject { ["name"] = "field A", ["crop"] = "maize" }),
                Feature(new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(new JsonArray(P(0.5, 0.5), P(0.9, 0.55), P(0.6, 0.9), P(0.5, 0.5))) }),
                Feature(new JsonObject { ["type"] = "Point", ["coordinates"] = P(0.7, 0.2) }),
                Feature(new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(new JsonArray(P(3, 3), P(3.2, 3), P(3.2, 3.2), P(3, 3.2), P(3, 3))) })),
        };
    }

    /// <summary>load_collection (the whole patch, five dates) [→ ndvi] → aggregate_spatial → save_result.</summary>
    private static JsonObject Aggregate(string statistic, string format, bool ndvi, string? targetDimension = null)
    {
        var b = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        var graph = new JsonObject
        {
            ["load"] = new JsonObject
            {
                ["process_id"] = "load_collection",
                ["arguments"] = new JsonObject
                {
                    ["id"] = "slovenia",
                    ["spatial_extent"] = new JsonObject { ["west"] = b.MinX, ["south"] = b.MinY, ["east"] = b.MaxX, ["north"] = b.MaxY },
                    ["temporal_extent"] = new JsonArray("2015-07-01", "2015-09-10"),
                    ["bands"] = ndvi ? new JsonArray("B04", "B08") : new JsonArray("B08"),
                },
            },
        };
        if (ndvi)
        {
            graph["ndvi"] = new JsonObject { ["process_id"] = "ndvi", ["arguments"] = new JsonObject { ["data"] = new JsonObject { ["from_node"] = "load" } } };
        }
        var aggregate = new JsonObject
        {
            ["data"] = new JsonObject { ["from_node"] = ndvi ? "ndvi" : "load" },
            ["geometries"] = Geometries(),
            ["reducer"] = new JsonObject
            {
                ["process_graph"] = new JsonObject
                {
                    ["r"] = new JsonObject { ["process_id"] = statistic, ["arguments"] = new JsonObject { ["data"] = new JsonObject { ["from_parameter"] = "data" } }, ["result"] = true },
                },
            },
        };
        if (targetDimension is not null)
        {
            aggregate["target_dimension"] = targetDimension;
        }
        graph["agg"] = new JsonObject { ["process_id"] = "aggregate_spatial", ["arguments"] = aggregate };
        graph["save"] = new JsonObject
        {
            ["process_id"] = "save_result",
            ["arguments"] = new JsonObject { ["data"] = new JsonObject { ["from_node"] = "agg" }, ["format"] = format },
            ["result"] = true,
        };
        return new JsonObject { ["process"] = new JsonObject { ["process_graph"] = graph } };
    }

    private object AggregateReference(string result, string statistic, bool ndvi, IEnumerable<string> dates, string column = "value", bool counts = false) => new
    {
        result,
        statistic,
        column,
        counts,
        features = Geometries()["features"],
        dates = dates.Select(d => (object)(ndvi
            ? new { t = $"{d[..4]}-{d[4..6]}-{d[6..]}", nir = Path.Combine(_www.Path, d, "B08.tif"), red = Path.Combine(_www.Path, d, "B04.tif") }
            : new { t = $"{d[..4]}-{d[4..6]}-{d[6..]}", band = Path.Combine(_www.Path, d, "B08.tif") })).ToArray(),
    };

    private async Task<string> SavedAsync(JsonObject body, string name, string mediaType)
    {
        var response = await _http.PostAsync("/openeo/1.2/result", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        var path = _out.File(name);
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }

    private static void AssertSame(System.Text.Json.JsonElement reference, int rows)
    {
        Assert.True(reference.GetProperty("differing").GetArrayLength() == 0 && reference.GetProperty("missing").GetArrayLength() == 0, reference.ToString());
        Assert.Equal(rows, reference.GetProperty("compared").GetInt32());
        Assert.True(reference.GetProperty("nonEmpty").GetInt32() >= 3 * 5, reference.ToString()); // three geometries meet the patch on every date
    }

    [SampleDataFact]
    public async Task AggregateSpatial_MeanNdviPerGeometryAndDate_AsGeoPackage_EqualsNumpy()
    {
        var path = await SavedAsync(Aggregate("mean", "GPKG", ndvi: true), "mean.gpkg", "application/geopackage+sqlite3");

        var reference = PythonReference.Run("openeo_aggregate_reference.py", AggregateReference(path, "mean", true, Dates.Select(d => d.Date)));
        AssertSame(reference, 4 * 5);
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        // The features keep their own properties, with the geometry in WGS 84.
        using var table = Tessera.Raster.Features.VectorFile.Open(path);
        Assert.Equal(4 * 5, table.FeatureCount);
        var first = table.Features(withGeoJson: true).First();
        Assert.Contains("Polygon", first.GeoJson);
        using var wgs84 = SpatialReference.Wgs84();
        using var crs = SpatialReference.FromWkt(table.CrsWkt);
        Assert.True(crs.IsSame(wgs84));
    }

    [SampleDataFact]
    public async Task AggregateSpatial_SampleSdOfABand_WithCounts_AsCsv_AndMinAsGeoJson_EqualNumpy()
    {
        var csv = await SavedAsync(Aggregate("sd", "CSV", ndvi: false, targetDimension: "result"), "sd.csv", "text/csv");
        var reference = PythonReference.Run("openeo_aggregate_reference.py",
            AggregateReference(csv, "sd", false, Dates.Select(d => d.Date), column: "B08_value", counts: true));
        AssertSame(reference, 4 * 5);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("name,crop,geometry_index,t,B08_value,B08_total_count,B08_valid_count", lines[0]);
        Assert.StartsWith("field A,maize,0,2015-07-11", lines[1]);
        Assert.EndsWith(",,0,0", lines[^1]); // the square off the patch covers no pixel

        var geojson = await SavedAsync(Aggregate("min", "GeoJSON", ndvi: true), "min.geojson", "application/geo+json");
        AssertSame(PythonReference.Run("openeo_aggregate_reference.py", AggregateReference(geojson, "min", true, Dates.Select(d => d.Date))), 4 * 5);
        var count = await SavedAsync(Aggregate("count", "JSON", ndvi: true), "count.json", "application/json");
        AssertSame(PythonReference.Run("openeo_aggregate_reference.py", AggregateReference(count, "count", true, Dates.Select(d => d.Date))), 4 * 5);
    }

    [SampleDataFact]
    public async Task TheSeedsZonalStatisticsExample_AnswersWithAGeoPackage()
    {
        var b = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        var request = JsonNode.Parse("""
            {"process_graph": {"process_id": "zonal_statistics", "args": {
               "imagery": {"process_id": "filter_daterange", "args": {
                 "imagery": {"process_id": "filter_bbox", "args": {
                   "imagery": {"process_id": "filter_bands", "args": {"imagery": {"product_id": "slovenia"}, "bands": 2}},
                   "left": LEFT, "right": RIGHT, "top": TOP, "bottom": BOTTOM, "srs": "EPSG:4326"}},
                 "from": "2015-07-01", "to": "2015-08-30"}},
               "func": "avg"}},
             "output": {"format": "GPKG"}}
            """.Replace("LEFT", Invariant(b.MinX)).Replace("RIGHT", Invariant(b.MaxX)).Replace("TOP", Invariant(b.MaxY)).Replace("BOTTOM", Invariant(b.MinY)))!.AsObject();
        request["process_graph"]!["args"]!["regions"] = Geometries();

        var response = await _http.PostAsync("/execute", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/geopackage+sqlite3", response.Content.Headers.ContentType!.MediaType);
        var path = _out.File("execute.gpkg");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        // Band 2 of the collection is B08; "to" is a day included: four dates.
        var reference = PythonReference.Run("openeo_aggregate_reference.py",
            AggregateReference(path, "mean", false, ["20150711", "20150731", "20150820", "20150830"], column: "B08"));
        Assert.True(reference.GetProperty("differing").GetArrayLength() == 0 && reference.GetProperty("missing").GetArrayLength() == 0, reference.ToString());
        Assert.Equal(4 * 4, reference.GetProperty("compared").GetInt32());

        // Regions named by a file (the seed's "/users/me/files/"): the service keeps no such files.
        request["process_graph"]!["args"]!["regions"] = "/users/me/files/";
        var named = await _http.PostAsync("/execute", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await named.Content.ReadAsStringAsync();
        Assert.True(named.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.True(text.Contains("process_graph.args.regions: this service keeps no files of regions; give the regions themselves as GeoJSON (a FeatureCollection)"), text);
    }

    [SampleDataFact]
    public async Task AggregateSpatial_Mistakes_AreRefusedNamingNodeAndArgument()
    {
        async Task<(string Code, string Message)> Refused(JsonObject body)
        {
            var response = await _http.PostAsync("/openeo/1.2/result", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return (error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>());
        }
        var raster = Aggregate("mean", "GTiff", ndvi: true);
        Assert.Equal(("FormatUnsuitable", "node 'save', argument 'format': format 'GTiff' holds rasters; the result is a vector cube (aggregate_spatial): save it as one of GPKG, GeoJSON, JSON, CSV"),
            await Refused(raster));

        var arithmetic = Aggregate("mean", "GPKG", ndvi: true);
        var reducer = arithmetic["process"]!["process_graph"]!["agg"]!["arguments"]!["reducer"]!["process_graph"]!.AsObject();
        reducer["r"]!["result"] = false;
        reducer["twice"] = JsonNode.Parse("""{"process_id": "multiply", "arguments": {"x": {"from_node": "r"}, "y": 2}, "result": true}""");
        var (code, message) = await Refused(arithmetic);
        Assert.Equal("ProcessArgumentInvalid", code);
        Assert.StartsWith("node 'agg', argument 'reducer': the reducer here is one of mean, min, max, median, sum, count, sd over the geometry's values", message);

        var lines = Aggregate("mean", "GPKG", ndvi: true);
        lines["process"]!["process_graph"]!["agg"]!["arguments"]!["geometries"] = JsonNode.Parse("""{"type": "GeometryCollection", "geometries": []}""");
        Assert.Equal(("ProcessArgumentInvalid",
                "node 'agg', argument 'geometries': GeoJSON of type 'GeometryCollection': give a geometry (Polygon, MultiPolygon, Point, MultiPoint, LineString, MultiLineString), a Feature, or a FeatureCollection"),
            await Refused(lines));

        var table = Graph("max", "2015-07-01", "2015-09-09");
        table["process"]!["process_graph"]!["save"]!["arguments"]!["format"] = "CSV";
        Assert.Equal(("FormatUnsuitable", "node 'save', argument 'format': format 'CSV' holds vector data (the result of aggregate_spatial); the result is a raster cube: save it as one of GTiff, COG, netCDF, PNG"),
            await Refused(table));
    }

    [SampleDataFact]
    public async Task ABatchJob_StoresATable_ListedAndDownloadedAsAGeoPackage()
    {
        var created = await _http.PostAsync("/openeo/1.2/jobs", new StringContent(Aggregate("median", "GPKG", ndvi: true).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = created.Headers.GetValues("OpenEO-Identifier").Single();
        Assert.Equal("finished", await _http.RunToEndAsync(id));
        var text = await _http.GetStringAsync($"/openeo/1.2/jobs/{id}/results");
        var results = JsonNode.Parse(text)!;
        var errors = OpenEoValidator.Validate([new OpenEoValidator.Response("get", "/jobs/{job_id}/results", 200, results)]);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var asset = results["assets"]!["result.gpkg"]!;
        Assert.Equal("application/geopackage+sqlite3", asset["type"]!.GetValue<string>());
        // The item's footprint is the geometries' (the square off the patch included).
        var box = results["bbox"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var patch = LonLatBounds(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        Assert.Equal(patch.MinX + 0.1 * (patch.MaxX - patch.MinX), box[0], 6);
        Assert.Equal(patch.MaxY + 2.2 * (patch.MaxY - patch.MinY), box[3], 6);

        using var anonymous = new HttpClient();
        var file = await anonymous.GetAsync(asset["href"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var path = _out.File("job.gpkg");
        await File.WriteAllBytesAsync(path, await file.Content.ReadAsByteArrayAsync());
        AssertSame(PythonReference.Run("openeo_aggregate_reference.py", AggregateReference(path, "median", true, Dates.Select(d => d.Date))), 4 * 5);
    }
}
