using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Server.Access;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// Zones kept in the file store as vector files (GeoJSON, GeoPackage, zipped shapefile) and named by id from zonal
/// statistics tasks: the tables equal the independent reference, attributes and band dates included.
/// </summary>
public sealed class StoredZonesTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _alice = new();
    private readonly TempFolder _folder = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            ("alice", "alice", Role.Write), ("bob", "bob", Role.Write));
        _alice = _server.Client("alice");
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _folder.Dispose();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Upload(HttpClient http, string path, string name)
    {
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(path)), "file", name } };
        var response = await http.PostAsync("/files", form);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>The parcels as a zipped shapefile, made by GDAL's own ogr2ogr, with a readme beside them.</summary>
    private string ZippedShapefile(string zones)
    {
        var folder = Directory.CreateDirectory(_folder.File("shp")).FullName;
        ExternalTool.Run("ogr2ogr", "-f", "ESRI Shapefile", Path.Combine(folder, "parcels.shp"), zones);
        File.WriteAllText(Path.Combine(folder, "README.txt"), "land-use parcels");
        var zip = _folder.File("parcels.zip");
        ZipFile.CreateFromDirectory(folder, zip);
        return zip;
    }

    [SampleDataFact]
    public async Task ZonesStoredAsGeoJsonGeoPackageOrZippedShapefile_AreUsedByIdAndGiveTheReferenceTable()
    {
        var zones = SampleData.File("S2_slovenia_LULC_polygons_epsg32633.geojson");
        var gpkg = _folder.File("parcels.gpkg");
        ExternalTool.Run("ogr2ogr", "-f", "GPKG", gpkg, zones);
        var raster = await _alice.UploadAsync(SampleData.File("S2_slovenia_NDVI_68dates.tif"), "ndvi68.tif");
        foreach (var (path, name, format) in new[] { (zones, "parcels.geojson", "GeoJSON"), (gpkg, "parcels.gpkg", "GPKG"), (ZippedShapefile(zones), "parcels.zip", "ESRI Shapefile") })
        {
            var (status, body) = await Upload(_alice, path, name);
            Assert.True(status == HttpStatusCode.Created, body.ToString());
            var file = body.GetProperty("data");
            Assert.Equal("vector", file.GetProperty("kind").GetString());
            var vector = file.GetProperty("vector");
            Assert.Equal((format, 88L), (vector.GetProperty("format").GetString(), vector.GetProperty("features").GetInt64()));
            Assert.Equal(["index", "RABA_ID", "AREA", "DATE", "LULC_ID", "LULC_NAME"],
                vector.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).Where(f => f != "fid"));
            // The footprint in lon/lat: the parcels lie around 45.87 N 14.56 E.
            var bounds = file.GetProperty("lonLatBounds");
            Assert.InRange(bounds.GetProperty("minX").GetDouble(), 14.4, 14.6);
            Assert.InRange(bounds.GetProperty("maxY").GetDouble(), 45.8, 45.95);

            var detail = await _alice.RunToEndAsync(new
            {
                name = $"zonal over {name}", type = 13, inputs = new { stack = new { fileId = raster } },
                @params = new { zonesFile = file.GetProperty("id").GetInt64(), format = "csv" },
            });
            Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
            var csv = _folder.File($"stats-{format.Replace(' ', '-')}.csv");
            await File.WriteAllBytesAsync(csv, await _alice.GetByteArrayAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString()));
            var reference = PythonReference.Run("zonal_reference.py", new { zones, raster = SampleData.File("S2_slovenia_NDVI_68dates.tif"), csv, allTouched = false });
            Assert.Equal(88 * 68, reference.GetProperty("compared").GetInt32());
            Assert.True(reference.GetProperty("differing").GetInt32() == 0, $"{format}: {reference}");
            Assert.Equal(0, reference.GetProperty("missing").GetInt32());
        }
    }

    [SampleDataFact]
    public async Task BadZones_AreRefusedNamingTheProblem()
    {
        var raster = await _alice.UploadAsync(SampleData.File("S2_slovenia_NDVI_68dates.tif"), "ndvi68.tif");
        var (_, parcels) = await Upload(_alice, SampleData.File("S2_slovenia_LULC_polygons_wgs84.geojson"), "parcels.geojson");
        var zonesId = parcels.GetProperty("data").GetProperty("id").GetInt64();

        // Uploads: no features, a zip without a shapefile, a zip whose member climbs out.
        var empty = _folder.File("empty.geojson");
        File.WriteAllText(empty, """{"type":"FeatureCollection","features":[]}""");
        var noShapefile = _folder.File("notes.zip");
        using (var zip = ZipFile.Open(noShapefile, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("notes.txt").Open());
            writer.Write("no shapefile here");
        }
        var climbing = _folder.File("climbing.zip");
        using (var zip = ZipFile.Open(climbing, ZipArchiveMode.Create))
        {
            foreach (var part in new[] { "shp", "shx", "dbf" })
            {
                using var stream = zip.CreateEntry($"../../evil.{part}").Open();
                stream.Write(new byte[100]);
            }
        }
        var twice = _folder.File("twice.zip");
        using (var zip = ZipFile.Open(twice, ZipArchiveMode.Create))
        {
            foreach (var member in new[] { "a.shp", "a.shx", "a.dbf", "a.DBF" })
            {
                using var stream = zip.CreateEntry(member).Open();
                stream.Write(new byte[100]);
            }
        }
        // A zip whose shapefile member is damaged (its compressed bytes overwritten): refused, not a server error.
        var damaged = _folder.File("damaged.zip");
        using (var zip = ZipFile.Open(damaged, ZipArchiveMode.Create))
        {
            foreach (var part in new[] { "shp", "shx", "dbf" })
            {
                using var stream = zip.CreateEntry($"p.{part}", CompressionLevel.Optimal).Open();
                stream.Write(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("zones ", 2000))));
            }
        }
        var raw = File.ReadAllBytes(damaged);
        for (var i = 60; i < 160; i++)
        {
            raw[i] ^= 0x5a;
        }
        File.WriteAllBytes(damaged, raw);
        var (damagedStatus, damagedBody) = await Upload(_alice, damaged, "damaged.zip");
        Assert.Equal(HttpStatusCode.BadRequest, damagedStatus);
        Assert.StartsWith("damaged.zip: ", damagedBody.GetProperty("detail").GetString());
        Assert.DoesNotContain(_server!.Data.Path, damagedBody.GetProperty("detail").GetString());
        foreach (var (path, name, message) in new[]
        {
            (twice, "twice.zip", "twice.zip: holds the shapefile's .dbf twice"),
            (empty, "empty.geojson", "empty.geojson: has no features with a geometry"),
            (noShapefile, "notes.zip", "notes.zip: a zipped shapefile holds one .shp file (this one holds 0)"),
            (climbing, "climbing.zip", "climbing.zip: ../../evil.shp is not a plain name inside the zip"),
        })
        {
            var (status, body) = await Upload(_alice, path, name);
            Assert.Equal((HttpStatusCode.BadRequest, message), (status, body.GetProperty("detail").GetString()));
        }
        Assert.False(File.Exists(Path.Combine(_server!.Data.Path, "evil.shp")));

        // Tasks: another user's zones, a raster as zones, both or neither way of giving them.
        async Task<string> Refusal(HttpClient http, object parameters)
        {
            var response = await http.PostAsJsonAsync("/processtask/addTask", new { name = "zonal", type = 13, inputs = new { stack = new { fileId = raster } }, @params = parameters });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        }
        Assert.Equal($"params.zonesFile: file {raster} is a raster (ndvi68.tif), not a vector file (GeoJSON, GeoPackage or zipped shapefile)",
            await Refusal(_alice, new { zonesFile = raster }));
        Assert.Equal("params.zonesFile: give the zones once: as GeoJSON (zones) or as a stored file (zonesFile), not both",
            await Refusal(_alice, new { zonesFile = zonesId, zones = new { type = "Point", coordinates = new[] { 14.56, 45.87 } } }));
        Assert.Equal("params.zones: required: the polygons as GeoJSON, or zonesFile: the id of a stored vector file", await Refusal(_alice, new { }));
        Assert.Equal("params.zonesFile: the id of a stored vector file (GeoJSON, GeoPackage or zipped shapefile)", await Refusal(_alice, new { zonesFile = "parcels" }));
        var bobRaster = await _server.Client("bob").UploadAsync(SampleData.File("S2_slovenia_NDVI_68dates.tif"), "ndvi68.tif");
        var theirs = await _server.Client("bob").PostAsJsonAsync("/processtask/addTask",
            new { name = "zonal", type = 13, inputs = new { stack = new { fileId = bobRaster } }, @params = new { zonesFile = zonesId } });
        Assert.Equal($"params.zonesFile: file {zonesId} does not exist",
            JsonDocument.Parse(await theirs.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }
}
