using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Raster.Tiles;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// openEO secondary web services over a harvested collection of five Sentinel-2 dates of one Slovenian patch (red and
/// near-infrared served by a real HTTP server on loopback): a service of an NDVI graph (max over the dates) draws XYZ
/// tiles whose grey levels are numpy's NDVI warped by GDAL onto each tile; GDAL's own WMTS driver reads the same
/// drawing, and GDAL's WCS driver (2.0.1) reads a subset whose values equal numpy's NDVI cell for cell; a finished batch
/// job's stored result is read by the same two drivers. The services' API answers as the openEO API says (validated
/// against its OpenAPI document), refuses unknown fields and another user's services.
/// </summary>
public sealed class OpenEoServiceTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private readonly TempFolder _out = new();
    private StaticHttpServer? _source;
    private RunningServer? _server;
    private HttpClient _http = new();
    private readonly HttpClient _anonymous = new();

    private static readonly string[] Dates = ["20150711", "20150731", "20150820", "20150830", "20150909"];

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1),
            AllowedHosts: "127.0.0.1"), url), ("alice", "alice", Role.Write), ("bob", "bob", Role.Write));
        _http = _server.Client("alice");
        if (!SampleData.IsAvailable)
        {
            return;
        }
        _source = StaticHttpServer.Serve(_www.Path);
        var items = new List<CatalogItem>();
        foreach (var date in Dates)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_www.Path, date)).FullName;
            var source = SampleData.File($"S2_L1C_slovenia_{date}_13bands.tif");
            ExternalTool.Run("gdal_translate", "-q", "-b", "4", source, Path.Combine(folder, "B04.tif"));
            ExternalTool.Run("gdal_translate", "-q", "-b", "8", source, Path.Combine(folder, "B08.tif"));
            var box = PatchLonLat();
            var time = DateTimeOffset.ParseExact(date, "yyyyMMdd", null, System.Globalization.DateTimeStyles.AssumeUniversal).AddHours(10);
            items.Add(new CatalogItem("slovenia", $"S2A_{date}", time, time, time, Tessera.Catalog.Stac.StacItems.Polygon(box.MinX, box.MinY, box.MaxX, box.MaxY),
                box, 0, "sentinel-2a", null, [],
                [
                    new CatalogAsset("B04", new Uri(_source.Address, $"{date}/B04.tif").ToString(), "image/tiff; application=geotiff", Roles: ["data"], Band: "red"),
                    new CatalogAsset("B08", new Uri(_source.Address, $"{date}/B08.tif").ToString(), "image/tiff; application=geotiff", Roles: ["data"], Band: "nir"),
                ]));
        }
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("slovenia", "Slovenia patch", "Five dates of a Sentinel-2 L1C patch", "CC-BY-4.0",
            CollectionKind.Harvested, [new CatalogBand("B04", "red", 0.665), new CatalogBand("B08", "nir", 0.842)], []));
        await catalog.UpsertItemsAsync(items);
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _server!.DisposeAsync();
        _source?.Dispose();
        _www.Dispose();
        _out.Dispose();
    }

    private static Bounds PatchLonLat()
    {
        using var ds = RasterDataset.Open(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"));
        using var own = SpatialReference.FromWkt(ds.Grid.CrsWkt);
        using var wgs84 = SpatialReference.Wgs84();
        return own.TransformBounds(wgs84, ds.Grid.Bounds);
    }

    /// <summary>load_collection (the whole patch, all five dates) → ndvi → reduce_dimension(t, max) → save_result.</summary>
    private static JsonObject Process()
    {
        var box = PatchLonLat();
        return JsonNode.Parse("""
            {"process_graph": {
              "load": {"process_id": "load_collection", "arguments": {"id": "slovenia",
                "spatial_extent": {"west": WEST, "south": SOUTH, "east": EAST, "north": NORTH},
                "temporal_extent": ["2015-07-01", "2015-09-10"], "bands": ["B04", "B08"]}},
              "ndvi": {"process_id": "ndvi", "arguments": {"data": {"from_node": "load"}}},
              "reduce": {"process_id": "reduce_dimension", "arguments": {"data": {"from_node": "ndvi"}, "dimension": "t",
                "reducer": {"process_graph": {"r": {"process_id": "max", "arguments": {"data": {"from_parameter": "data"}}, "result": true}}}}},
              "save": {"process_id": "save_result", "arguments": {"data": {"from_node": "reduce"}, "format": "GTiff"}, "result": true}}}
            """.Replace("WEST", F(box.MinX)).Replace("SOUTH", F(box.MinY)).Replace("EAST", F(box.MaxX)).Replace("NORTH", F(box.MaxY)))!.AsObject();
    }

    private static string F(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private object[] DateFiles() => Dates.Select(d => (object)new { nir = Path.Combine(_www.Path, d, "B08.tif"), red = Path.Combine(_www.Path, d, "B04.tif") }).ToArray();

    private async Task<string> CreateAsync(JsonObject body, HttpClient? client = null)
    {
        var response = await (client ?? _http).PostAsync("/openeo/1.2/services", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("OpenEO-Identifier").Single();
    }

    /// <summary>The tiles of a zoom that hold the patch, from its north-west corner to its south-east one.</summary>
    private static List<TileAddress> TilesOver(Bounds lonLat, int zoom)
    {
        var (a, b) = (WebMercator.TileAt(lonLat.MinX, lonLat.MaxY, zoom), WebMercator.TileAt(lonLat.MaxX, lonLat.MinY, zoom));
        return [.. from x in Enumerable.Range(a.X, b.X - a.X + 1) from y in Enumerable.Range(a.Y, b.Y - a.Y + 1) select new TileAddress(zoom, x, y)];
    }

    private async Task<object[]> FetchTilesAsync(string template, IEnumerable<TileAddress> tiles, string name)
    {
        var list = new List<object>();
        foreach (var tile in tiles)
        {
            var url = template.Replace("{z}", tile.Z.ToString()).Replace("{x}", tile.X.ToString()).Replace("{y}", tile.Y.ToString());
            var response = await _anonymous.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
            var path = _out.File($"{name}-{tile.Z}-{tile.X}-{tile.Y}.png");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
            list.Add(new { z = tile.Z, x = tile.X, y = tile.Y, path });
        }
        return [.. list];
    }

    private static void AssertDrawn(JsonElement part, bool values = true)
    {
        Assert.True(part.GetProperty("valid").GetInt32() > 0, part.ToString());
        Assert.True(part.GetProperty("maskMismatch").GetInt32() == 0, part.ToString());
        Assert.True(part.GetProperty("partialAlpha").GetInt32() == 0, part.ToString());
        if (values)
        {
            Assert.True(part.GetProperty("valueMismatch").GetInt32() == 0, part.ToString());
        }
    }

    [SampleDataFact]
    public async Task AnNdviService_DrawsTilesOfNumpysValues_AndGdalReadsItThroughWmtsAndWcs()
    {
        var body = new JsonObject
        {
            ["type"] = "xyz", // service types are named without regard to case
            ["title"] = "NDVI max",
            ["process"] = Process(),
            ["configuration"] = new JsonObject { ["colormap"] = "greys", ["rescale"] = new JsonArray(-1, 1) },
        };
        var id = await CreateAsync(body);
        var service = (await _http.GetFromJsonAsync<JsonObject>($"/openeo/1.2/services/{id}"))!;
        Assert.Equal(("XYZ", true), (service["type"]!.GetValue<string>(), service["enabled"]!.GetValue<bool>()));
        var template = service["url"]!.GetValue<string>();
        Assert.EndsWith("/xyz/{z}/{x}/{y}.png", template);
        var attributes = service["attributes"]!;
        // As the OpenAPI document says, but for one departure: an XYZ service's url is its tile template, not a URI.
        var departures = OpenEoValidator.Validate([new OpenEoValidator.Response("get", "/services/{service_id}", 200, service)]);
        Assert.True(departures.All(e => e.Contains("/url must match format \"uri\"")), string.Join("\n", departures));

        // Zoom 14 pixels (about 6.6 m on the ground here) are finer than the scenes' 10 m: every tile pixel is one of the cube's.
        var box = PatchLonLat();
        var tiles = TilesOver(box, 14);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = await FetchTilesAsync(template, tiles.Take(1), "ndvi"); // the graph evaluated: catalog search, downloads
        var firstTime = clock.Elapsed;
        var rest = await FetchTilesAsync(template, tiles.Skip(1), "ndvi");
        output.WriteLine($"first tile (graph evaluated) {firstTime.TotalMilliseconds:0} ms, {tiles.Count - 1} more {(clock.Elapsed - firstTime).TotalMilliseconds:0} ms");
        var fetched = first.Concat(rest).ToArray();
        // Zoom 11 pixels are about five of the scenes' a side: drawn from a coarser grid than the cube's (every second pixel of it).
        var zoomedOut = await FetchTilesAsync(template, TilesOver(box, 11), "ndvi-z11");
        var outside = await _anonymous.GetAsync(template.Replace("{z}", "14").Replace("{x}", (tiles[0].X - 3).ToString()).Replace("{y}", tiles[0].Y.ToString()));
        Assert.Equal(HttpStatusCode.OK, outside.StatusCode);
        var farPath = _out.File("outside.png");
        await File.WriteAllBytesAsync(farPath, await outside.Content.ReadAsByteArrayAsync());

        var wmts = "WMTS:" + attributes["wmts"]!.GetValue<string>();
        var wcsBase = attributes["wcs"]!.GetValue<string>();
        var wcs = "WCS:" + wcsBase[..wcsBase.IndexOf('?')] + $"?version=2.0.1&coverage={id}";
        var reference = PythonReference.Run("openeo_service_reference.py", new
        {
            dates = DateFiles(),
            reducer = "max",
            work = _out.File("work"),
            rescale = new[] { -1.0, 1.0 },
            tiles = fetched.Append(new { z = 14, x = tiles[0].X - 3, y = tiles[0].Y, path = farPath }).Concat(zoomedOut).ToArray(),
            wmts = new { url = wmts, rescale = new[] { -1.0, 1.0 } },
            wcs = new { url = wcs, window = new[] { 10, 20, 60, 50 } },
        });

        var drawn = reference.GetProperty("tiles").EnumerateArray().ToList();
        foreach (var tile in drawn.Take(tiles.Count))
        {
            Assert.Equal(4, tile.GetProperty("bands").GetInt32());
            Assert.True(tile.GetProperty("maskMismatch").GetInt32() == 0 && tile.GetProperty("valueMismatch").GetInt32() == 0, reference.ToString());
        }
        // Finer pixels than the scenes': more drawn pixels than the patch has.
        Assert.True(drawn.Take(tiles.Count).Sum(t => t.GetProperty("valid").GetInt32()) > reference.GetProperty("referenceValid").GetInt32(), reference.ToString());
        var far = drawn[tiles.Count];
        Assert.Equal(0, far.GetProperty("valid").GetInt32()); // outside: transparent
        Assert.Equal(0, far.GetProperty("maskMismatch").GetInt32());
        // Zoomed out, an overview: where it has data as the whole warped would (but at the edge), grey levels near (measured: 2 of 361
        // pixels differ in where, the levels by 2 of 255 on average).
        foreach (var tile in drawn.Skip(tiles.Count + 1))
        {
            var valid = tile.GetProperty("valid").GetInt32();
            Assert.True(valid > 100 && tile.GetProperty("maskMismatch").GetInt32() <= valid / 50 && tile.GetProperty("meanGreyDiff").GetDouble() < 5, tile.ToString());
        }

        var layer = reference.GetProperty("wmts");
        AssertDrawn(layer);
        Assert.Equal(("3857", 4), (layer.GetProperty("epsg").GetString(), layer.GetProperty("bands").GetInt32()));
        Assert.Equal(WebMercator.Resolution(14), layer.GetProperty("pixel").GetDouble(), 6);

        var coverage = reference.GetProperty("wcs");
        Assert.True(coverage.GetProperty("maskEqual").GetBoolean(), coverage.ToString());
        Assert.Equal(0.0, coverage.GetProperty("maxAbsDiff").GetDouble());
        Assert.True(coverage.GetProperty("onLattice").GetBoolean(), coverage.ToString());
        Assert.Equal(60 * 50, coverage.GetProperty("valid").GetInt32());

        // One catalog search for all of it: the evaluated graph was kept between requests.
        var logs = (await _http.GetFromJsonAsync<JsonObject>($"/openeo/1.2/services/{id}/logs"))!["logs"]!.AsArray();
        Assert.Single(logs, l => l!["message"]!.GetValue<string>().StartsWith("graph evaluated in ", StringComparison.Ordinal));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), clock.Elapsed.ToString());
    }
    [SampleDataFact]
    public async Task Services_AreCreatedListedChangedAndDeleted_AsTheOpenEoApiSays_AndAnotherUsersAreNotFound()
    {
        var seen = new List<OpenEoValidator.Response>();
        var bob = _server!.Client("bob");
        async Task<(HttpResponseMessage Response, JsonNode? Body)> Call(HttpMethod method, string path, string url, JsonObject? body = null, HttpClient? client = null)
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }
            var response = await (client ?? _http).SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length == 0 ? null : JsonNode.Parse(text);
            seen.Add(new OpenEoValidator.Response(method.Method, path, (int)response.StatusCode, json));
            return (response, json);
        }
        async Task Refused(HttpMethod method, string path, string url, JsonObject? body, HttpStatusCode status, string code, HttpClient? client = null)
        {
            var (response, json) = await Call(method, path, url, body, client);
            Assert.True((status, code) == (response.StatusCode, json?["code"]?.GetValue<string>()), json?.ToJsonString());
        }

        var types = await Call(HttpMethod.Get, "/service_types", "/openeo/1.2/service_types");
        Assert.Equal(["XYZ", "WMTS"], types.Body!.AsObject().Select(t => t.Key));
        Assert.Equal(["colormap", "rescale", "bands"], types.Body["WMTS"]!["configuration"]!.AsObject().Select(c => c.Key));

        await Refused(HttpMethod.Post, "/services", "/openeo/1.2/services", new JsonObject { ["type"] = "WMTS", ["process"] = Process(), ["layers"] = "ndvi" },
            HttpStatusCode.BadRequest, "BadRequest");
        await Refused(HttpMethod.Post, "/services", "/openeo/1.2/services", new JsonObject { ["type"] = "WMS", ["process"] = Process() },
            HttpStatusCode.BadRequest, "ServiceUnsupported");
        await Refused(HttpMethod.Post, "/services", "/openeo/1.2/services",
            new JsonObject { ["type"] = "WMTS", ["process"] = Process(), ["configuration"] = new JsonObject { ["colormap"] = "rainbow" } },
            HttpStatusCode.BadRequest, "ServiceConfigInvalid");
        await Refused(HttpMethod.Post, "/services", "/openeo/1.2/services",
            new JsonObject { ["type"] = "WMTS", ["process"] = Process(), ["configuration"] = new JsonObject { ["version"] = "1.0.0" } },
            HttpStatusCode.BadRequest, "ServiceConfigUnsupported");
        var unknown = Process();
        unknown["process_graph"]!["ndvi"]!["process_id"] = "ndvvi";
        await Refused(HttpMethod.Post, "/services", "/openeo/1.2/services", new JsonObject { ["type"] = "WMTS", ["process"] = unknown },
            HttpStatusCode.BadRequest, "ProcessUnsupported");

        var created = await Call(HttpMethod.Post, "/services", "/openeo/1.2/services",
            new JsonObject { ["type"] = "WMTS", ["title"] = "NDVI", ["process"] = Process(), ["log_level"] = "debug", ["budget"] = 3 });
        Assert.Equal(HttpStatusCode.Created, created.Response.StatusCode);
        var id = created.Response.Headers.GetValues("OpenEO-Identifier").Single();
        Assert.EndsWith($"/openeo/1.2/services/{id}", created.Response.Headers.Location!.ToString());
        var listed = await Call(HttpMethod.Get, "/services", "/openeo/1.2/services");
        Assert.Equal(id, Assert.Single(listed.Body!["services"]!.AsArray())!["id"]!.GetValue<string>());
        var described = await Call(HttpMethod.Get, "/services/{service_id}", $"/openeo/1.2/services/{id}");
        Assert.Equal(("WMTS", "NDVI", true, "debug", 3.0), (described.Body!["type"]!.GetValue<string>(), described.Body["title"]!.GetValue<string>(),
            described.Body["enabled"]!.GetValue<bool>(), described.Body["log_level"]!.GetValue<string>(), described.Body["budget"]!.GetValue<double>()));
        var url = described.Body["url"]!.GetValue<string>();
        Assert.EndsWith("/wmts", url);

        // The capabilities and a tile, through KVP, without an Authorization header.
        var capabilities = System.Xml.Linq.XDocument.Parse(await _anonymous.GetStringAsync(url + "?SERVICE=WMTS&REQUEST=GetCapabilities"));
        System.Xml.Linq.XNamespace wmts = "http://www.opengis.net/wmts/1.0", ows = "http://www.opengis.net/ows/1.1";
        Assert.Equal(id, capabilities.Descendants(wmts + "Layer").Single().Element(ows + "Identifier")!.Value);
        Assert.Equal(Enumerable.Range(0, 15).Select(z => z.ToString()), capabilities.Descendants(wmts + "TileMatrix")
            .Where(m => m.Parent!.Name == wmts + "TileMatrixSet").Select(m => m.Element(ows + "Identifier")!.Value));
        var tile = TilesOver(PatchLonLat(), 14)[0];
        var getTile = $"{url}?service=WMTS&request=GetTile&version=1.0.0&layer={id}&style=default&tilematrixset=GoogleMapsCompatible&tilematrix=14&tilerow={tile.Y}&tilecol={tile.X}&format=image/png";
        var png = await _anonymous.GetAsync(getTile);
        Assert.Equal((HttpStatusCode.OK, "image/png"), (png.StatusCode, png.Content.Headers.ContentType!.MediaType));
        var outOfRange = await _anonymous.GetAsync(getTile.Replace("tilematrix=14", "tilematrix=25"));
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Contains("exceptionCode=\"InvalidParameterValue\"", await outOfRange.Content.ReadAsStringAsync()); // an OWS exception report

        // WCS beside it: a subset is the coverage's cells it touches, in a GeoTIFF of their size (or of the size asked for).
        var wcsAddress = described.Body["attributes"]!["wcs"]!.GetValue<string>();
        wcsAddress = wcsAddress[..wcsAddress.IndexOf('?')];
        var description = System.Xml.Linq.XDocument.Parse(await _anonymous.GetStringAsync($"{wcsAddress}?SERVICE=WCS&VERSION=2.0.1&REQUEST=DescribeCoverage&COVERAGEID={id}"));
        System.Xml.Linq.XNamespace gml = "http://www.opengis.net/gml/3.2";
        var origin = description.Descendants(gml + "pos").Single().Value.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var offsets = description.Descendants(gml + "offsetVector").Select(v => v.Value.Split(' ').Select(n => double.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var (x0, y0, px, py) = (origin[0] - offsets[0][0] / 2, origin[1] - offsets[1][1] / 2, offsets[0][0], offsets[1][1]);
        var subset = $"SUBSET=E({F(x0 + 10.2 * px)},{F(x0 + 16.7 * px)})&SUBSET=N({F(y0 + 25.5 * py)},{F(y0 + 20.1 * py)})";
        async Task<(int Width, int Height, double OriginX, double OriginY)> CoverageAsync(string query)
        {
            var response = await _anonymous.GetAsync($"{wcsAddress}?SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID={id}&FORMAT=image/tiff&{query}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var path = _out.File($"coverage-{Guid.NewGuid():N}.tif");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
            using var tiff = RasterDataset.Open(path);
            return (tiff.Width, tiff.Height, tiff.GeoTransform.OriginX, tiff.GeoTransform.OriginY);
        }
        var cells = await CoverageAsync(subset);
        Assert.Equal((7, 6), (cells.Width, cells.Height)); // columns 10..16, rows 20..25
        Assert.Equal(x0 + 10 * px, cells.OriginX, 6);
        Assert.Equal(y0 + 20 * py, cells.OriginY, 6);
        Assert.Equal((14, 3), ((await CoverageAsync(subset + "&SCALESIZE=i(14),j(3)")).Width, (await CoverageAsync(subset + "&SCALESIZE=i(14),j(3)")).Height));
        var badAxis = await _anonymous.GetAsync($"{wcsAddress}?SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID={id}&SUBSET=t(0,1)");
        Assert.Equal(HttpStatusCode.BadRequest, badAxis.StatusCode);
        Assert.Contains("ExceptionReport", await badAxis.Content.ReadAsStringAsync());
        var key = url.Split('/')[^2];
        Assert.Equal(HttpStatusCode.Forbidden, (await _anonymous.GetAsync(getTile.Replace(key, new string('0', key.Length)))).StatusCode);

        var logs = await Call(HttpMethod.Get, "/services/{service_id}/logs", $"/openeo/1.2/services/{id}/logs");
        var messages = logs.Body!["logs"]!.AsArray().Select(l => l!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains("5 scenes of 'slovenia' found"));
        Assert.Contains(messages, m => m.StartsWith("graph evaluated in ", StringComparison.Ordinal) && m.Contains("tiles up to zoom 14"));
        Assert.Empty((await Call(HttpMethod.Get, "/services/{service_id}/logs", $"/openeo/1.2/services/{id}/logs?level=error")).Body!["logs"]!.AsArray());

        // Bob sees none of it.
        await Refused(HttpMethod.Get, "/services/{service_id}", $"/openeo/1.2/services/{id}", null, HttpStatusCode.NotFound, "ServiceNotFound", bob);
        await Refused(HttpMethod.Patch, "/services/{service_id}", $"/openeo/1.2/services/{id}", new JsonObject { ["title"] = "mine" }, HttpStatusCode.NotFound, "ServiceNotFound", bob);
        await Refused(HttpMethod.Delete, "/services/{service_id}", $"/openeo/1.2/services/{id}", null, HttpStatusCode.NotFound, "ServiceNotFound", bob);
        await Refused(HttpMethod.Get, "/services/{service_id}/logs", $"/openeo/1.2/services/{id}/logs", null, HttpStatusCode.NotFound, "ServiceNotFound", bob);
        Assert.Empty((await Call(HttpMethod.Get, "/services", "/openeo/1.2/services", client: bob)).Body!["services"]!.AsArray());

        // Changed: disabled, it answers no tile; the type stays; unknown fields are refused.
        await Refused(HttpMethod.Patch, "/services/{service_id}", $"/openeo/1.2/services/{id}", new JsonObject { ["type"] = "XYZ" }, HttpStatusCode.BadRequest, "BadRequest");
        await Refused(HttpMethod.Patch, "/services/{service_id}", $"/openeo/1.2/services/{id}", new JsonObject { ["owner"] = "bob" }, HttpStatusCode.BadRequest, "BadRequest");
        var patched = await Call(HttpMethod.Patch, "/services/{service_id}", $"/openeo/1.2/services/{id}", new JsonObject { ["title"] = "NDVI, July to September", ["enabled"] = false });
        Assert.Equal(HttpStatusCode.NoContent, patched.Response.StatusCode);
        var disabled = await Call(HttpMethod.Get, "/services/{service_id}", $"/openeo/1.2/services/{id}");
        Assert.Equal(("NDVI, July to September", false, "WMTS"), (disabled.Body!["title"]!.GetValue<string>(), disabled.Body["enabled"]!.GetValue<bool>(),
            disabled.Body["type"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.GetAsync(getTile)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Call(HttpMethod.Patch, "/services/{service_id}", $"/openeo/1.2/services/{id}",
            new JsonObject { ["enabled"] = true, ["configuration"] = new JsonObject { ["colormap"] = "blues" } })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(getTile)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Call(HttpMethod.Delete, "/services/{service_id}", $"/openeo/1.2/services/{id}")).Response.StatusCode);
        await Refused(HttpMethod.Get, "/services/{service_id}", $"/openeo/1.2/services/{id}", null, HttpStatusCode.NotFound, "ServiceNotFound");
        Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.GetAsync(getTile)).StatusCode);
        Assert.Empty((await Call(HttpMethod.Get, "/services", "/openeo/1.2/services")).Body!["services"]!.AsArray());

        var errors = OpenEoValidator.Validate(seen);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SampleDataFact]
    public async Task AServiceInLongitudeAndLatitude_IsReadByGdalsWcsDriver_AsTheSynchronousResultOfItsGraph()
    {
        // The NDVI graph resampled to EPSG:4326 (latitude first in GML, which GDAL's client swaps back).
        var process = Process();
        var nodes = process["process_graph"]!.AsObject();
        nodes["resample"] = JsonNode.Parse("""
            {"process_id": "resample_spatial", "arguments": {"data": {"from_node": "reduce"}, "projection": 4326, "resolution": 0, "method": "near"}}
            """);
        nodes["save"]!["arguments"]!["data"] = new JsonObject { ["from_node"] = "resample" };
        var response = await _http.PostAsync("/openeo/1.2/result", new StringContent(new JsonObject { ["process"] = process.DeepClone() }.ToJsonString(),
            Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var synchronous = _out.File("lonlat.tif");
        await File.WriteAllBytesAsync(synchronous, await response.Content.ReadAsByteArrayAsync());
        var id = await CreateAsync(new JsonObject { ["type"] = "WMTS", ["process"] = process });
        var wcs = (await _http.GetFromJsonAsync<JsonObject>($"/openeo/1.2/services/{id}"))!["attributes"]!["wcs"]!.GetValue<string>();

        var reference = PythonReference.Run("openeo_service_reference.py", new
        {
            stored = synchronous,
            work = _out.File("lonlat-work"),
            wcs = new { url = "WCS:" + wcs[..wcs.IndexOf('?')] + $"?version=2.0.1&coverage={id}", window = (int[]?)null },
        });

        var coverage = reference.GetProperty("wcs");
        using var result = RasterDataset.Open(synchronous);
        Assert.Equal((result.Width, result.Height), (coverage.GetProperty("width").GetInt32(), coverage.GetProperty("height").GetInt32()));
        var transform = coverage.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(result.GeoTransform.OriginX, transform[0], 9);
        Assert.Equal(result.GeoTransform.OriginY, transform[3], 9);
        Assert.Equal(result.GeoTransform.PixelHeight, transform[5], 12);
        Assert.True(coverage.GetProperty("maskEqual").GetBoolean(), coverage.ToString());
        Assert.Equal(0.0, coverage.GetProperty("maxAbsDiff").GetDouble());
        Assert.True(coverage.GetProperty("valid").GetInt32() > 9000, coverage.ToString());
    }

    /// <summary>A user-defined process: ndvi, then <paramref name="reducer"/> over t.</summary>
    private async Task PutNdviProcessAsync(string reducer)
    {
        var process = JsonNode.Parse("""
            {"parameters": [{"name": "data", "description": "A cube of red and nir.", "schema": {"type": "object", "subtype": "datacube"}}],
             "process_graph": {
               "n": {"process_id": "ndvi", "arguments": {"data": {"from_parameter": "data"}}},
               "r": {"process_id": "reduce_dimension", "arguments": {"data": {"from_node": "n"}, "dimension": "t",
                 "reducer": {"process_graph": {"m": {"process_id": "REDUCER", "arguments": {"data": {"from_parameter": "data"}}, "result": true}}}},
                 "result": true}}}
            """.Replace("REDUCER", reducer))!;
        var response = await _http.PutAsync("/openeo/1.2/process_graphs/ndvi_over_time", new StringContent(process.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [SampleDataFact]
    public async Task AServiceCallingAUserProcess_KeepsItAsItWasGiven_UntilItsGraphChanges()
    {
        await PutNdviProcessAsync("max");
        var process = Process();
        var nodes = process["process_graph"]!.AsObject();
        nodes.Remove("ndvi");
        nodes.Remove("reduce");
        nodes["udp"] = JsonNode.Parse("""{"process_id": "ndvi_over_time", "namespace": "user", "arguments": {"data": {"from_node": "load"}}}""");
        nodes["save"]!["arguments"]!["data"] = new JsonObject { ["from_node"] = "udp" };
        var id = await CreateAsync(new JsonObject { ["type"] = "XYZ", ["process"] = process.DeepClone() });
        var wcs = (await _http.GetFromJsonAsync<JsonObject>($"/openeo/1.2/services/{id}"))!["attributes"]!["wcs"]!.GetValue<string>();
        wcs = "WCS:" + wcs[..wcs.IndexOf('?')] + $"?version=2.0.1&coverage={id}";
        JsonElement Read(string reducer, string work) => PythonReference.Run("openeo_service_reference.py", new
        {
            dates = DateFiles(), reducer, work = _out.File(work), wcs = new { url = wcs, window = (int[]?)null },
        }).GetProperty("wcs");

        await PutNdviProcessAsync("min"); // changed afterwards: the service computes what it was given
        var kept = Read("max", "udp-max");
        Assert.True(kept.GetProperty("maskEqual").GetBoolean() && kept.GetProperty("maxAbsDiff").GetDouble() == 0, kept.ToString());
        Assert.Equal(100 * 101, kept.GetProperty("valid").GetInt32());

        // A new graph takes the process as it is now (GDAL's cache is another folder: the coverage is read afresh).
        var patched = await _http.PatchAsync($"/openeo/1.2/services/{id}", new StringContent(new JsonObject { ["process"] = process }.ToJsonString(),
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        var now = Read("min", "udp-min");
        Assert.True(now.GetProperty("maskEqual").GetBoolean() && now.GetProperty("maxAbsDiff").GetDouble() == 0, now.ToString());
    }

    [SampleDataFact]
    public async Task AFinishedJobsStoredResult_IsReadByGdalThroughWmtsAndWcs_AndItsTilesAreNumpysValues()
    {
        var created = await _http.PostAsync("/openeo/1.2/jobs", new StringContent(new JsonObject { ["title"] = "NDVI max", ["process"] = Process() }.ToJsonString(),
            Encoding.UTF8, "application/json"));
        var id = created.Headers.GetValues("OpenEO-Identifier").Single();
        Assert.Equal("finished", await _http.RunToEndAsync(id));
        var results = JsonNode.Parse(await _http.GetStringAsync($"/openeo/1.2/jobs/{id}/results"))!;
        var errors = OpenEoValidator.Validate([new OpenEoValidator.Response("get", "/jobs/{job_id}/results", 200, results)]);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        string Link(string rel) => results["links"]!.AsArray().Single(l => l!["rel"]!.GetValue<string>() == rel)!["href"]!.GetValue<string>();
        var (wmts, wcs) = (Link("wmts"), Link("alternate"));
        var xyz = wmts[..wmts.LastIndexOf('/')] + "/xyz/{z}/{x}/{y}.png"; // beside the WMTS address, as the service's attributes show
        Assert.Equal(id, results["links"]!.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "wmts")!["wmts:layer"]!.GetValue<string>());

        var tiles = await FetchTilesAsync(xyz + "?colormap=greys&rescale=-1,1", TilesOver(PatchLonLat(), 13), "job");
        var reference = PythonReference.Run("openeo_service_reference.py", new
        {
            dates = DateFiles(),
            reducer = "max",
            work = _out.File("job-work"),
            rescale = new[] { -1.0, 1.0 },
            tiles,
            wmts = new { url = "WMTS:" + wmts + "?SERVICE=WMTS&REQUEST=GetCapabilities", rescale = (double[]?)null },
            wcs = new { url = "WCS:" + wcs[..wcs.IndexOf('?')] + $"?version=2.0.1&coverage={id}", window = (int[]?)null },
        });

        foreach (var tile in reference.GetProperty("tiles").EnumerateArray())
        {
            Assert.True(tile.GetProperty("maskMismatch").GetInt32() == 0 && tile.GetProperty("valueMismatch").GetInt32() == 0, reference.ToString());
        }
        AssertDrawn(reference.GetProperty("wmts"), values: false); // drawn in the result's default colours: where, not how
        var coverage = reference.GetProperty("wcs");
        Assert.True(coverage.GetProperty("maskEqual").GetBoolean(), coverage.ToString());
        Assert.Equal(0.0, coverage.GetProperty("maxAbsDiff").GetDouble());
        Assert.Equal(100 * 101, coverage.GetProperty("valid").GetInt32()); // the whole coverage: every pixel of the patch

        // Another job's key does not open this one.
        var other = wcs.Replace($"/jobs/{id}/", "/jobs/j-00000000000000000000/");
        Assert.Equal(HttpStatusCode.Forbidden, (await _anonymous.GetAsync(other)).StatusCode);
    }
}
