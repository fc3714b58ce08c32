using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// The collection builder's <c>action: start</c> against a static STAC catalog and asset server on loopback holding three
/// Landsat Level-1 scenes (their bands and MTL files): download -> correction -> publish runs to the end on each scene
/// whose files are there; the TOA reflectance equals the USGS formulas computed by numpy from the MTL, pixel by pixel; the
/// published item keeps the scene's id and asset keys, with NDVI and EVI numpy agrees with and a quicklook; two scenes
/// whose band is missing fail their download and wait, and restarting one by id, then the other by status, re-runs only
/// those.
/// </summary>
public sealed class RadcorStartTests : IAsyncLifetime
{
    private const string Product = "LC80200392015216LGN00";
    private static readonly string[] Bands = ["B2", "B3", "B4", "B5"];

    /// <summary>The scenes: id, date, and the band whose file the server does not have at first.</summary>
    private static readonly (string Id, string Date, string? Missing)[] Scenes =
    [
        ("LC80200392015216LGN00", "2015-08-04", null),
        ("LC80200392015232LGN00", "2015-08-20", "B4"),
        ("LC80200392015248LGN00", "2015-09-05", "B5"),
    ];

    private readonly TempFolder _www = new();
    private StaticHttpServer? _source;
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_www.Path, "landsat")).FullName;
        var links = new JsonArray();
        foreach (var (id, date, missing) in Scenes)
        {
            var assets = new JsonObject();
            foreach (var band in Bands)
            {
                if (band != missing)
                {
                    File.Copy(SampleData.File($"{Product}_{band}.tif"), Path.Combine(folder, $"{id}_{band}.tif"));
                }
                assets[band] = new JsonObject { ["href"] = $"./{id}_{band}.tif", ["type"] = "image/tiff; application=geotiff", ["roles"] = new JsonArray("data") };
            }
            File.Copy(SampleData.File($"{Product}_MTL.txt"), Path.Combine(folder, $"{id}_MTL.txt"));
            assets["MTL"] = new JsonObject { ["href"] = $"./{id}_MTL.txt", ["type"] = "text/plain", ["roles"] = new JsonArray("metadata") };
            var ring = new JsonArray(new JsonArray(-87.52, 30.64), new JsonArray(-87.30, 30.64), new JsonArray(-87.30, 30.82), new JsonArray(-87.52, 30.82),
                new JsonArray(-87.52, 30.64));
            await File.WriteAllTextAsync(Path.Combine(folder, id + ".json"), new JsonObject
            {
                ["type"] = "Feature", ["stac_version"] = "1.0.0", ["id"] = id, ["collection"] = "landsat_ot_c2_l1",
                ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) },
                ["bbox"] = new JsonArray(-87.52, 30.64, -87.30, 30.82),
                ["properties"] = new JsonObject { ["datetime"] = $"{date}T16:20:00Z", ["eo:cloud_cover"] = 20.5, ["platform"] = "landsat-8" },
                ["assets"] = assets, ["links"] = new JsonArray(),
            }.ToJsonString());
            links.Add(new JsonObject { ["rel"] = "item", ["href"] = $"./{id}.json" });
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "collection.json"), new JsonObject
        {
            ["type"] = "Collection", ["stac_version"] = "1.0.0", ["id"] = "landsat_ot_c2_l1", ["description"] = "Landsat 8 Level-1", ["license"] = "PDDL-1.0",
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(new JsonArray(-88, 30, -87, 31)) },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray("2015-01-01T00:00:00Z", null)) },
            },
            ["links"] = links,
        }.ToJsonString());
        await WriteSentinel2Async();
        await File.WriteAllTextAsync(Path.Combine(_www.Path, "catalog.json"), new JsonObject
        {
            ["type"] = "Catalog", ["stac_version"] = "1.0.0", ["id"] = "usgs", ["description"] = "A provider",
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "child", ["href"] = "./landsat/collection.json" },
                new JsonObject { ["rel"] = "child", ["href"] = "./s2/collection.json" }),
        }.ToJsonString());
        _source = StaticHttpServer.Serve(_www.Path);
        var harvests = _www.File("harvests.yml");
        await File.WriteAllTextAsync(harvests, $"providers:\n  USGS: '{new Uri(_source.Address, "catalog.json")}'\n");
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(
            new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1), AllowedHosts: "127.0.0.1", HarvestConfig: harvests), url),
            ("ana", "ana", Role.Write), ("rui", "rui", Role.Read));
        _http = _server.Client("ana");
    }

    private const string S2Scene = "S2A_MSIL1C_20200219T112121_N0400_R037_T29RKH_20200219T132855";

    /// <summary>Sentinel-2 bands at 0.1 of their resolution (blue, red, narrow NIR), with a product metadata file that gives
    /// the quantification and the offset of processing baseline 04.00.</summary>
    private async Task WriteSentinel2Async()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_www.Path, "s2")).FullName;
        var assets = new JsonObject();
        foreach (var band in new[] { "B02", "B04", "B8A" })
        {
            File.Copy(SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif"), Path.Combine(folder, $"{band}.tif"));
            assets[band] = new JsonObject { ["href"] = $"./{band}.tif", ["type"] = "image/tiff; application=geotiff", ["roles"] = new JsonArray("data") };
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "MTD_MSIL1C.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <n1:Level-1C_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-1C.xsd">
              <n1:General_Info><Product_Image_Characteristics>
                <QUANTIFICATION_VALUE unit="none">10000</QUANTIFICATION_VALUE>
                <Radiometric_Offset_List>
                  <RADIO_ADD_OFFSET band_id="1">-1000</RADIO_ADD_OFFSET>
                  <RADIO_ADD_OFFSET band_id="3">-1000</RADIO_ADD_OFFSET>
                  <RADIO_ADD_OFFSET band_id="8">-1000</RADIO_ADD_OFFSET>
                </Radiometric_Offset_List>
              </Product_Image_Characteristics></n1:General_Info>
            </n1:Level-1C_User_Product>
            """.Trim());
        assets["MTD_MSIL1C"] = new JsonObject { ["href"] = "./MTD_MSIL1C.xml", ["type"] = "application/xml", ["roles"] = new JsonArray("metadata") };
        var ring = new JsonArray(new JsonArray(-12.0, 24.2), new JsonArray(-10.9, 24.2), new JsonArray(-10.9, 25.3), new JsonArray(-12.0, 25.3), new JsonArray(-12.0, 24.2));
        await File.WriteAllTextAsync(Path.Combine(folder, "item.json"), new JsonObject
        {
            ["type"] = "Feature", ["stac_version"] = "1.0.0", ["id"] = S2Scene, ["collection"] = "s2_l1c",
            ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) },
            ["bbox"] = new JsonArray(-12.0, 24.2, -10.9, 25.3),
            ["properties"] = new JsonObject { ["datetime"] = "2020-02-19T11:21:21Z", ["eo:cloud_cover"] = 0.6, ["platform"] = "sentinel-2a", ["s2:mgrs_tile"] = "29RKH" },
            ["assets"] = assets, ["links"] = new JsonArray(),
        }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(folder, "collection.json"), new JsonObject
        {
            ["type"] = "Collection", ["stac_version"] = "1.0.0", ["id"] = "s2_l1c", ["description"] = "Sentinel-2 L1C", ["license"] = "proprietary",
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(new JsonArray(-13, 24, -10, 26)) },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray("2020-01-01T00:00:00Z", null)) },
            },
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "item", ["href"] = "./item.json" }),
        }.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _source?.Dispose();
        _www.Dispose();
    }

    private static object Request(string action) => new
    {
        w = -88.0, s = 30.0, e = -87.0, n = 31.0, catalog = "USGS", dataset = "landsat_ot_c2_l1",
        start = "2015-08-01T00:00:00", end = "2015-09-30T23:59:59", cloud = 100, action, force = true,
        tasks = new[]
        {
            new
            {
                type = "download", collection = "LC8_DN-1", args = new { },
                tasks = new[]
                {
                    new
                    {
                        type = "correction", collection = "LC8_TOA-1", args = new { method = "toa" },
                        tasks = new[] { new { type = "publish", collection = "LC8_TOA-1", args = new { } } },
                    },
                },
            },
        },
    };

    private async Task<JsonObject> ActivitiesAsync(string query = "") =>
        JsonNode.Parse(await _http.GetStringAsync("/api/radcor/activities" + query))!.AsObject();

    /// <summary>Waits until every activity of <paramref name="scene"/> has the status given (in chain order).</summary>
    private async Task<JsonObject[]> UntilAsync(string scene, params string[] statuses)
    {
        for (var i = 0; i < 600; i++)
        {
            var list = (await ActivitiesAsync($"?sceneid={scene}"))["activities"]!.AsArray().Select(a => a!.AsObject()).ToArray();
            if (list.Select(a => a["status"]!.GetValue<string>()).SequenceEqual(statuses))
            {
                return list;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{scene}: {(await ActivitiesAsync($"?sceneid={scene}")).ToJsonString()}");
    }

    private async Task<string> AssetAsync(string collection, string item, string key)
    {
        var path = _www.File($"{collection}-{item}-{key}");
        await File.WriteAllBytesAsync(path, await _http.GetByteArrayAsync($"/stac/collections/{collection}/items/{item}/assets/{key}"));
        return path;
    }

    [SampleDataFact]
    public async Task StartRunsDownloadCorrectionPublish_TheReflectanceIsTheUsgsFormula_AndRestartsReRunOnlyWhatTheyName()
    {
        // A reader may preview, not start.
        var refused = await _server!.Client("rui").PostAsJsonAsync("/api/radcor", Request("start"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var response = await _http.PostAsJsonAsync("/api/radcor", Request("start"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        Assert.Equal(3, answer["Results"]!.GetValue<int>());
        foreach (var (id, date, _) in Scenes)
        {
            var scene = answer[id]!.AsObject();
            Assert.Equal(date, scene["date"]!.GetValue<string>());
            Assert.Equal(["download", "correction", "publish"], scene["activities"]!.AsArray().Select(a => a!["activity_type"]!.GetValue<string>()));
            Assert.Equal(["LC8_DN-1", "LC8_TOA-1", "LC8_TOA-1"], scene["activities"]!.AsArray().Select(a => a!["collection_id"]!.GetValue<string>()));
        }

        var done = await UntilAsync(Scenes[0].Id, "PUBLISH_COMPLETED", "PUBLISH_COMPLETED", "PUBLISH_COMPLETED");
        var failedB = await UntilAsync(Scenes[1].Id, "DOWNLOAD_FAILED", "NOT_STARTED", "NOT_STARTED");
        var failedC = await UntilAsync(Scenes[2].Id, "DOWNLOAD_FAILED", "NOT_STARTED", "NOT_STARTED");
        Assert.Contains("404", failedB[0]["error"]!.GetValue<string>());

        // The published item keeps the scene's id and asset keys, with the indexes and a quicklook added.
        var item = JsonNode.Parse(await _http.GetStringAsync($"/stac/collections/LC8_TOA-1/items/{Scenes[0].Id}"))!.AsObject();
        var keys = item["assets"]!.AsObject().Select(a => a.Key).Order().ToList();
        Assert.Equal(new[] { "B2", "B3", "B4", "B5", "EVI", "MTL", "NDVI", "thumbnail" }.Order(), keys);
        Assert.Equal("image/png", item["assets"]!["thumbnail"]!["type"]!.GetValue<string>());
        var png = await _http.GetByteArrayAsync($"/stac/collections/LC8_TOA-1/items/{Scenes[0].Id}/assets/thumbnail");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        // Every pixel of each band's TOA reflectance is USGS's formula, computed by numpy from the MTL.
        var mtl = SampleData.File($"{Product}_MTL.txt");
        foreach (var band in Bands)
        {
            var output = await AssetAsync("LC8_TOA-1", Scenes[0].Id, band);
            var reference = PythonReference.Run("landsat_toa_reference.py", new { mtl, dn = SampleData.File($"{Product}_{band}.tif"), band = int.Parse(band[1..]), output });
            Assert.True(reference.GetProperty("shapeEqual").GetBoolean() && reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
            Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 2e-6, reference.ToString());
            Assert.True(reference.GetProperty("validCount").GetInt64() > 370_000, reference.ToString());
        }
        // NDVI and EVI of the reflectance, as numpy computes them from the published bands.
        var (red, nir, blue) = (await AssetAsync("LC8_TOA-1", Scenes[0].Id, "B4"), await AssetAsync("LC8_TOA-1", Scenes[0].Id, "B5"), await AssetAsync("LC8_TOA-1", Scenes[0].Id, "B2"));
        foreach (var (index, inputs) in new (string, Dictionary<string, object>)[]
        {
            ("ndvi", new() { ["nir"] = new { path = nir }, ["red"] = new { path = red } }),
            ("evi", new() { ["nir"] = new { path = nir }, ["red"] = new { path = red }, ["blue"] = new { path = blue } }),
        })
        {
            var output = await AssetAsync("LC8_TOA-1", Scenes[0].Id, index.ToUpperInvariant());
            var reference = PythonReference.Run("index_reference.py", new { index, output, inputs });
            Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
            Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
        }

        // Restart by id: only the second scene's download runs again, and its chain after it.
        File.Copy(SampleData.File($"{Product}_B4.tif"), Path.Combine(_www.Path, "landsat", $"{Scenes[1].Id}_B4.tif"));
        File.Copy(SampleData.File($"{Product}_B5.tif"), Path.Combine(_www.Path, "landsat", $"{Scenes[2].Id}_B5.tif"));
        var restart = JsonNode.Parse(await _http.GetStringAsync($"/api/radcor/restart?ids={failedB[0]["id"]},{done[0]["id"]}"))!.AsObject();
        Assert.Equal([failedB[0]["id"]!.GetValue<long>()], restart["restarted"]!.AsArray().Select(r => r!.GetValue<long>()));
        Assert.Contains("PUBLISH_COMPLETED", restart["skipped"]![done[0]["id"]!.ToString()]!.GetValue<string>());
        await UntilAsync(Scenes[1].Id, "PUBLISH_COMPLETED", "PUBLISH_COMPLETED", "PUBLISH_COMPLETED");
        await Task.Delay(1500);
        await UntilAsync(Scenes[2].Id, "DOWNLOAD_FAILED", "NOT_STARTED", "NOT_STARTED");

        // Restart by status: the third scene's failed download, and nothing else.
        restart = JsonNode.Parse(await _http.GetStringAsync("/api/radcor/restart?status=DOWNLOAD_FAILED"))!.AsObject();
        Assert.Equal([failedC[0]["id"]!.GetValue<long>()], restart["restarted"]!.AsArray().Select(r => r!.GetValue<long>()));
        await UntilAsync(Scenes[2].Id, "PUBLISH_COMPLETED", "PUBLISH_COMPLETED", "PUBLISH_COMPLETED");

        // The first scene's activities ran once each: restarting the others touched none of them.
        foreach (var activity in done)
        {
            var detail = await ApiCalls.Data(await _http.GetAsync($"/processtask/query/task/detail?id={activity["id"]}"));
            Assert.Equal(1, detail.GetProperty("attempts").GetInt32());
        }
        var bad = await _http.GetAsync("/api/radcor/restart?status=DONE");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(9, (await ActivitiesAsync())["Results"]!.GetValue<int>());
        Assert.Equal(3, (await ActivitiesAsync("?type=correction"))["Results"]!.GetValue<int>());
    }

    [SampleDataFact]
    public async Task ASentinel2Chain_CorrectsWithTheProductsOffset_HarmonizesToOli_Publishes_ThenArchivesAndCropsSideBySide()
    {
        var response = await _http.PostAsJsonAsync("/api/radcor", JsonNode.Parse("""
            {"w": -11.6, "s": 24.5, "e": -11.4, "n": 24.7, "catalog": "USGS", "dataset": "s2_l1c", "start": "2020-02-19", "end": "2020-02-19T23:59:59",
             "action": "start",
             "tasks": {"type": "download", "collection": "S2_L1C-1",
               "tasks": {"type": "correction", "collection": "S2_TOA-1",
                 "tasks": {"type": "harmonization", "collection": "S2_HLS-1",
                   "tasks": {"type": "publish", "collection": "S2_HLS-1", "args": {"indexes": []},
                     "tasks": [{"type": "post", "collection": "S2_HLS-1", "args": {"action": "archive"}},
                               {"type": "post", "collection": "S2_CROP-1", "args": {"action": "crop", "bbox": [-11.6, 24.6, -11.3, 24.9]}}]}}}}}
            """));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        Assert.Equal(["download", "correction", "harmonization", "publish", "post", "post"],
            answer[S2Scene]!["activities"]!.AsArray().Select(a => a!["activity_type"]!.GetValue<string>()));
        await UntilAsync(S2Scene, "PUBLISH_COMPLETED", "PUBLISH_COMPLETED", "PUBLISH_COMPLETED", "PUBLISH_COMPLETED", "PUBLISH_COMPLETED", "PUBLISH_COMPLETED");

        // Reflectance is (DN + RADIO_ADD_OFFSET) / QUANTIFICATION_VALUE, DN 0 no data; the harmonized band HLS's slope and
        // intercept of it: blue 0.9778 and -0.004, narrow NIR 0.9983 and -0.0001.
        foreach (var (band, slope, intercept) in new[] { ("B02", 0.9778, -0.004), ("B8A", 0.9983, -0.0001) })
        {
            var input = SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif");
            var toa = PythonReference.Run("linear_reference.py", new { input, output = await AssetAsync("S2_TOA-1", S2Scene, band), gain = 1e-4, bias = -0.1, nodata = 0 });
            Assert.True(toa.GetProperty("shapeEqual").GetBoolean() && toa.GetProperty("maskEqual").GetBoolean(), toa.ToString());
            Assert.True(toa.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, toa.ToString());
            var hls = PythonReference.Run("linear_reference.py", new
            {
                input, output = await AssetAsync("S2_HLS-1", S2Scene, band), gain = 1e-4, bias = -0.1, nodata = 0, then = new[] { new[] { slope, intercept } },
            });
            Assert.True(hls.GetProperty("maskEqual").GetBoolean() && hls.GetProperty("validCount").GetInt64() > 200_000, hls.ToString());
            Assert.True(hls.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, hls.ToString());
        }
        var item = JsonNode.Parse(await _http.GetStringAsync($"/stac/collections/S2_HLS-1/items/{S2Scene}"))!.AsObject();
        Assert.Contains(item["assets"]!.AsObject(), a => a.Value!["type"]!.GetValue<string>() == "application/gzip");
        // Side by side with the archive, the crop: each band of the published item cut to the box as the reference cuts it.
        foreach (var band in new[] { "B02", "B8A" })
        {
            var crop = PythonReference.Run("crop_reference.py", new
            {
                source = await AssetAsync("S2_HLS-1", S2Scene, band), output = await AssetAsync("S2_CROP-1", S2Scene, band), bbox = new[] { -11.6, 24.6, -11.3, 24.9 },
            });
            Assert.True(crop.GetProperty("valuesEqual").GetBoolean(), crop.ToString());
            Assert.Equal(crop.GetProperty("expected").GetProperty("width").GetInt32(), crop.GetProperty("width").GetInt32());
        }
        Assert.Equal(["B02", "B04", "B8A", "MTD_MSIL1C"], item["assets"]!.AsObject().Select(a => a.Key).Where(k => k.StartsWith('B') || k.StartsWith('M')).Order());
    }

    [SampleDataFact]
    public async Task AnIngestionsProcessingMayBeAChain_EachScenesStepsAfterItsDownloadAndItsTilesEarlierDates()
    {
        // The three scenes complete, in a collection of the catalog (as a harvest leaves them), their files on the asset server.
        File.Copy(SampleData.File($"{Product}_B4.tif"), Path.Combine(_www.Path, "landsat", $"{Scenes[1].Id}_B4.tif"));
        File.Copy(SampleData.File($"{Product}_B5.tif"), Path.Combine(_www.Path, "landsat", $"{Scenes[2].Id}_B5.tif"));
        var catalog = _server!.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("landsat-l1", "Landsat L1", "three dates", "PDDL-1.0", CollectionKind.Harvested, [], []));
        var box = new Tessera.Raster.Bounds(-87.52, 30.64, -87.30, 30.82);
        await catalog.UpsertItemsAsync(Scenes.Select(s =>
        {
            var time = DateTimeOffset.Parse($"{s.Date}T16:20:00Z", System.Globalization.CultureInfo.InvariantCulture);
            return new CatalogItem("landsat-l1", s.Id, time, time, time, Tessera.Catalog.Stac.StacItems.Polygon(box.MinX, box.MinY, box.MaxX, box.MaxY), box, 20,
                "landsat-8", null, [], [.. Bands.Select(b => new CatalogAsset(b, new Uri(_source!.Address, $"landsat/{s.Id}_{b}.tif").ToString(), "image/tiff", Roles: ["data"])),
                    new CatalogAsset("MTL", new Uri(_source!.Address, $"landsat/{s.Id}_MTL.txt").ToString(), "text/plain", Roles: ["metadata"])]);
        }).ToList());

        var response = await _http.PostAsJsonAsync("/ingest", JsonNode.Parse("""
            {"name": "chain", "aoi": {"type": "Polygon", "coordinates": [[[-88, 30], [-87, 30], [-87, 31], [-88, 31], [-88, 30]]]},
             "start": "2015-08-01", "end": "2015-09-30", "collections": ["landsat-l1"],
             "operation": {"chain": {"type": "correction", "collection": "LC8_TOA-2", "tasks": {"type": "publish", "collection": "LC8_TOA-2"}}}}
            """));
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToJsonString());
        Assert.Equal(9, created["taskCount"]!.GetValue<int>());
        var id = created["id"]!.GetValue<long>();
        JsonNode graph = new JsonObject();
        for (var i = 0; i < 600 && graph["summary"]?["DONE"]?.GetValue<int>() != 9; i++)
        {
            await Task.Delay(200);
            graph = JsonNode.Parse(await _http.GetStringAsync($"/ingest/{id}"))!["data"]!;
        }
        Assert.True(graph["summary"]!["DONE"]!.GetValue<int>() == 9, graph.ToJsonString());

        // Each scene: download, then correction (after its download and the tile's previous and first dates' last step), then publish.
        var tasks = graph["tasks"]!.AsArray().Select(t => t!).ToList();
        var byScene = tasks.GroupBy(t => t["scene"]!.GetValue<string>()).OrderBy(g => g.Key).ToList();
        Assert.Equal(Scenes.Select(s => $"landsat-l1/{s.Id}").Order(), byScene.Select(g => g.Key));
        long Of(IGrouping<string, JsonNode> scene, string step) => scene.Single(t => t["step"]!.GetValue<string>() == step)["taskId"]!.GetValue<long>();
        for (var d = 0; d < 3; d++)
        {
            var correction = byScene[d].Single(t => t["step"]!.GetValue<string>() == "correction");
            var after = correction["after"]!.AsArray().Select(a => (a!["taskId"]!.GetValue<long>(), a["kind"]!.GetValue<string>())).ToHashSet();
            var expected = new HashSet<(long, string)> { (Of(byScene[d], "download"), "input") };
            if (d > 0)
            {
                expected.Add((Of(byScene[d - 1], "publish"), "previous"));
                expected.Add((Of(byScene[0], "publish"), "reference"));
            }
            Assert.Equal(expected, after);
            Assert.Equal((Of(byScene[d], "correction"), "input"), byScene[d].Single(t => t["step"]!.GetValue<string>() == "publish")["after"]!.AsArray()
                .Select(a => (a!["taskId"]!.GetValue<long>(), a["kind"]!.GetValue<string>())).Single());
        }
        // The last date's TOA reflectance is USGS's formula of its bands, and each scene is published with its NDVI.
        var output = await AssetAsync("LC8_TOA-2", Scenes[2].Id, "B5");
        var reference = PythonReference.Run("landsat_toa_reference.py", new { mtl = SampleData.File($"{Product}_MTL.txt"), dn = SampleData.File($"{Product}_B5.tif"), band = 5, output });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean() && reference.GetProperty("maxAbsDiff").GetDouble() <= 2e-6, reference.ToString());
        foreach (var (scene, _, _) in Scenes)
        {
            var item = JsonNode.Parse(await _http.GetStringAsync($"/stac/collections/LC8_TOA-2/items/{scene}"))!;
            Assert.NotNull(item["assets"]!["NDVI"]);
        }
    }

    [SampleDataFact]
    public async Task CatalogArgs_GiveTheCatalogsCredentials_ForItsSearchAndTheDownloadsDispatched_NeverShownAgain()
    {
        using var guarded = StaticHttpServer.Serve(_www.Path, "collector", "s3cret-pass");
        var catalog = new Uri(guarded.Address, "catalog.json").ToString();
        object Request(string action, object? catalogArgs) => new
        {
            scenes = new[] { Scenes[0].Id }, catalog, dataset = "landsat_ot_c2_l1", action, catalog_args = catalogArgs,
            tasks = new { type = "download", collection = "LC8_GUARDED-1" },
        };
        var refused = await _http.PostAsJsonAsync("/api/radcor", Request("preview", null));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("401", await refused.Content.ReadAsStringAsync());
        var unknown = await _http.PostAsJsonAsync("/api/radcor", Request("preview", new { username = "collector", password = "s3cret-pass", progress = true }));
        Assert.Contains("catalog_args.progress: not taken", await unknown.Content.ReadAsStringAsync());

        var preview = JsonNode.Parse(await (await _http.PostAsJsonAsync("/api/radcor", Request("preview", new { username = "collector", password = "s3cret-pass" })))
            .Content.ReadAsStringAsync())!;
        Assert.Equal(1, preview["Results"]!.GetValue<int>());
        var started = JsonNode.Parse(await (await _http.PostAsJsonAsync("/api/radcor", Request("start", new { username = "collector", password = "s3cret-pass" })))
            .Content.ReadAsStringAsync())!;
        var download = started[Scenes[0].Id]!["activities"]![0]!["id"]!.GetValue<long>();
        await UntilAsync(Scenes[0].Id, "PUBLISH_COMPLETED");
        var item = JsonNode.Parse(await _http.GetStringAsync($"/stac/collections/LC8_GUARDED-1/items/{Scenes[0].Id}"))!;
        Assert.Equal(5, item["assets"]!.AsObject().Count);
        var b4 = await AssetAsync("LC8_GUARDED-1", Scenes[0].Id, "B4");
        Assert.Equal(await File.ReadAllBytesAsync(SampleData.File($"{Product}_B4.tif")), await File.ReadAllBytesAsync(b4));
        // The task names the kept credentials, never the password.
        var detail = await _http.GetStringAsync($"/processtask/query/task/detail?id={download}");
        Assert.DoesNotContain("s3cret-pass", detail);
        Assert.Contains("\"credentials\":\"radcor-", detail.Replace(" ", ""));
    }

    [Fact]
    public async Task AStartWithAMalformedChain_IsRefusedNamingTheField()
    {
        async Task<string> RefusedAsync(object body)
        {
            var response = await _http.PostAsJsonAsync("/api/radcor", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            return text;
        }
        Assert.Contains("tasks: give the steps to run on each scene", await RefusedAsync(new { w = -88, s = 30, e = -87, n = 31, catalog = "USGS", action = "start" }));
        Assert.Contains("tasks[0].type: 'download2' is not one of download, correction, publish, post, harmonization",
            await RefusedAsync(new { w = -88, s = 30, e = -87, n = 31, catalog = "USGS", action = "start", tasks = new[] { new { type = "download2", collection = "X" } } }));
        Assert.Contains("tasks[0].tasks[0].args.method: give toa or dos", await RefusedAsync(new
        {
            w = -88, s = 30, e = -87, n = 31, catalog = "USGS", action = "start",
            tasks = new[] { new { type = "download", collection = "X", tasks = new[] { new { type = "correction", collection = "Y", args = new { method = "lasrc" } } } } },
        }));
        Assert.Contains("a chain starts with a download", await RefusedAsync(new
        {
            w = -88, s = 30, e = -87, n = 31, catalog = "USGS", dataset = "landsat_ot_c2_l1", action = "start",
            tasks = new[] { new { type = "publish", collection = "X" } },
        }));
    }
}
