using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Tessera.Server.Access;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>Band merge (6), mosaic (2) and crop (12) as tasks through the HTTP API, their results checked against GDAL.</summary>
public sealed class RasterTasksApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private static Task<JsonElement> Data(HttpResponseMessage response) => ApiCalls.Data(response);

    private Task<long> UploadAsync(string sample) => _http.UploadAsync(SampleData.File(sample), sample);

    private Task<JsonElement> RunAsync(object task) => _http.RunToEndAsync(task);

    private async Task<string> DownloadAsync(JsonElement detail, string name)
    {
        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        var path = _server!.Data.File(name);
        await File.WriteAllBytesAsync(path, await _http.GetByteArrayAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString()));
        return path;
    }

    private async Task<string> BadRequest(object task)
    {
        var response = await _http.PostAsJsonAsync("/processtask/addTask", task);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()!;
    }

    [SampleDataFact]
    public async Task MergeTask_StacksTheBandsInOrder_AsGdalbuildvrtDoes()
    {
        var red = await UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var swir = await UploadAsync("S2A_29RKH_20200219_L2A_B11.tif");
        var aerosol = await UploadAsync("S2A_29RKH_20200219_L2A_B01.tif");
        var detail = await RunAsync(new
        {
            name = "merge", type = 6,
            inputs = new[] { new { role = "red", fileId = red }, new { role = "swir", fileId = swir }, new { role = "aerosol", fileId = aerosol } },
            @params = new { resampling = "bilinear" },
        });
        var output = await DownloadAsync(detail, "merged.tif");

        var result = PythonReference.Run("merge_reference.py", new
        {
            inputs = new[] { "B04", "B11", "B01" }.Select(b => SampleData.File($"S2A_29RKH_20200219_L2A_{b}.tif")),
            output, resampling = "bilinear",
        });
        Assert.True(result.GetProperty("sameGrid").GetBoolean(), result.ToString());
        Assert.All(result.GetProperty("bands").EnumerateArray(), b => Assert.Equal(0, b.GetProperty("differing").GetInt32()));
        using var merged = Raster.RasterDataset.Open(output);
        Assert.Equal(["red", "swir", "aerosol"], merged.Bands.Select(b => b.Description));
        var legend = JsonDocument.Parse(await _http.GetStringAsync(detail.GetProperty("result").GetProperty("legendUrl").GetString())).RootElement;
        Assert.Equal("rgb", legend.GetProperty("kind").GetString()); // three bands: an RGB preview
    }

    [SampleDataFact]
    public async Task MosaicTask_OfALandsatPairInTwoCrs_EqualsGdalwarp()
    {
        var utm = await UploadAsync("L8_mosaic_cog1_utm18n.tif");
        var lonLat = await UploadAsync("L8_mosaic_cog2_epsg4326.tif");
        var detail = await RunAsync(new
        {
            name = "mosaic", type = 2,
            inputs = new[] { new { role = "west", fileId = utm }, new { role = "east", fileId = lonLat } },
            @params = new { method = "last" },
        });
        var output = await DownloadAsync(detail, "mosaic.tif");
        var result = PythonReference.Run("mosaic_reference.py", new
        {
            inputs = new[] { SampleData.File("L8_mosaic_cog1_utm18n.tif"), SampleData.File("L8_mosaic_cog2_epsg4326.tif") }, output, method = "last",
        });
        Assert.All(result.GetProperty("bands").EnumerateArray(), b => Assert.Equal(0, b.GetProperty("differing").GetInt32()));

        // Harmonised: the first scene stays as it is, the second is matched to it, so the mosaic is no longer gdalwarp's.
        var harmonized = await RunAsync(new
        {
            name = "mosaic harmonized", type = 2,
            inputs = new[] { new { role = "west", fileId = utm }, new { role = "east", fileId = lonLat } },
            @params = new { method = "first", harmonize = true },
        });
        var matched = PythonReference.Run("mosaic_reference.py", new
        {
            inputs = new[] { SampleData.File("L8_mosaic_cog1_utm18n.tif"), SampleData.File("L8_mosaic_cog2_epsg4326.tif") },
            output = await DownloadAsync(harmonized, "harmonized.tif"), method = "first",
        });
        Assert.All(matched.GetProperty("bands").EnumerateArray(), b => Assert.True(b.GetProperty("differing").GetInt32() > 10_000, matched.ToString()));

        var image = new[] { new { role = "a", fileId = utm }, new { role = "b", fileId = lonLat } };
        Assert.Equal("params.harmonize: true or false", await BadRequest(new { name = "x", type = 2, inputs = image, @params = new { harmonize = "yes" } }));
        Assert.Equal("params.method: 'median' is not feather, first, last, min, max or mean", await BadRequest(new { name = "x", type = 2, inputs = image, @params = new { method = "median" } }));
        Assert.Equal("params.resolution: a positive number", await BadRequest(new { name = "x", type = 2, inputs = image, @params = new { resolution = -3 } }));
        Assert.StartsWith("params.crs: ", await BadRequest(new { name = "x", type = 2, inputs = image, @params = new { crs = "EPSG:999999" } }));
        Assert.Equal("inputs: MOSAIC needs at least 2 inputs", await BadRequest(new { name = "x", type = 2, inputs = image.Take(1) }));
        Assert.Equal("inputs.a.band: MOSAIC takes whole files (all their bands); give no band", await BadRequest(new
        {
            name = "x", type = 2, inputs = new object[] { new { role = "a", fileId = utm, band = 1 }, new { role = "b", fileId = lonLat } },
        }));
    }

    [SampleDataFact]
    public async Task CloudRemovalTask_WithTheSeedsInputs_FillsTheClouds()
    {
        var ndvi = await UploadAsync("S2_slovenia_NDVI_68dates.tif");
        var clm = await UploadAsync("S2_slovenia_CLM_68dates.tif");
        var detail = await RunAsync(new
        {
            name = "clouds", type = 4,
            inputs = new[] { new { role = "cloudy", fileId = ndvi, band = 48 }, new { role = "mask", fileId = clm, band = 48 }, new { role = "clear", fileId = ndvi, band = 47 } },
            @params = new { maskKind = "raster", feather = 2 },
        });
        var output = await DownloadAsync(detail, "filled.tif");
        var check = PythonReference.Run("cloud_reference.py", new
        {
            cloudy = new object[] { SampleData.File("S2_slovenia_NDVI_68dates.tif"), 48 }, clear = new object[] { SampleData.File("S2_slovenia_NDVI_68dates.tif"), 47 },
            mask = new object[] { SampleData.File("S2_slovenia_CLM_68dates.tif"), 48 }, output, dilate = 0, feather = 2,
        });
        Assert.InRange(check.GetProperty("cloud").GetInt32() / check.GetProperty("pixels").GetDouble(), 0.40, 0.55); // the README: 47 % cloud
        Assert.Equal(0, check.GetProperty("maxChangeFar").GetDouble());
        Assert.True(check.GetProperty("maxResidualCloud").GetDouble() < 1e-6, check.ToString());
        // The processing report, beside the result: the cloud it found, as numpy counts it under the mask.
        var report = JsonDocument.Parse(await _http.GetStringAsync(detail.GetProperty("result").GetProperty("reportUrl").GetString())).RootElement;
        Assert.Equal((check.GetProperty("pixels").GetInt64(), check.GetProperty("cloud").GetInt64()), (report.GetProperty("pixels").GetInt64(), report.GetProperty("cloud").GetInt64()));
        Assert.Equal(check.GetProperty("cloud").GetDouble() / check.GetProperty("pixels").GetDouble(), report.GetProperty("cloudShare").GetDouble(), 12);

        var inputs = new[] { new { role = "cloudy", fileId = ndvi }, new { role = "mask", fileId = clm }, new { role = "clear", fileId = ndvi } };
        Assert.Equal("params.maskKind: 'fmask' is not raster, scl, qa-pixel or bqa", await BadRequest(new { name = "x", type = 4, inputs, @params = new { maskKind = "fmask" } }));
        Assert.Equal("params.dilate: a whole number, 0 or more", await BadRequest(new { name = "x", type = 4, inputs, @params = new { dilate = -1 } }));
        Assert.Equal("inputs.clear: missing (Cloud_Remove needs cloudy, mask, clear)", await BadRequest(new { name = "x", type = 4, inputs = inputs.Take(2) }));
    }

    [SampleDataFact]
    public async Task AFusionTooSmallForItsQualityToBeMeasured_StillPublishes_SayingWhy()
    {
        // 12 x 12 pan pixels and 6 x 6 multispectral ones, cut by GDAL: under 8 x 8 once degraded by the ratio.
        var panPath = _server!.Data.File("pan-small.tif");
        var msPath = _server.Data.File("ms-small.tif");
        ExternalTool.Run("gdal_translate", "-q", "-srcwin", "200", "200", "12", "12", SampleData.File("LC80200392015216LGN00_B8.tif"), panPath);
        ExternalTool.Run("gdal_translate", "-q", "-srcwin", "100", "100", "6", "6", SampleData.File("LC80200392015216LGN00_B4.tif"), msPath);
        var pan = await _http.UploadAsync(panPath, "pan-small.tif");
        var ms = await _http.UploadAsync(msPath, "ms-small.tif");
        var detail = await RunAsync(new { name = "small fusion", type = 1, inputs = new[] { new { role = "pan", fileId = pan }, new { role = "ms", fileId = ms } } });
        Assert.Equal("PUBLISH_COMPLETED", detail.GetProperty("statusName").GetString());
        var report = JsonDocument.Parse(await _http.GetStringAsync(detail.GetProperty("result").GetProperty("reportUrl").GetString())).RootElement;
        Assert.Equal(JsonValueKind.Null, report.GetProperty("quality").ValueKind);
        Assert.Equal("not measured: the multispectral image is too small for Wald's protocol (under 8 x 8 pixels once degraded)", report.GetProperty("why").GetString());
    }

    [SampleDataFact]
    public async Task FusionTask_SharpensTheMultispectralFile_OnThePanGrid()
    {
        var pan = await UploadAsync("LC80200392015216LGN00_B8.tif");
        var bands = new List<long>();
        foreach (var b in new[] { "B2", "B3", "B4" })
        {
            bands.Add(await UploadAsync($"LC80200392015216LGN00_{b}.tif"));
        }
        // The seed's flow: the bands merged first, then fused with the pan.
        var merged = await RunAsync(new
        {
            name = "ms", type = 6,
            inputs = new[] { new { role = "blue", fileId = bands[0] }, new { role = "green", fileId = bands[1] }, new { role = "red", fileId = bands[2] } },
        });
        var ms = merged.GetProperty("result").GetProperty("outputFileId").GetInt64();
        var detail = await RunAsync(new
        {
            name = "fusion", type = 1, inputs = new[] { new { role = "pan", fileId = pan }, new { role = "ms", fileId = ms } },
            @params = new { method = "ihs" },
        });
        var output = await DownloadAsync(detail, "fused.tif");
        using (var fused = Raster.RasterDataset.Open(output))
        {
            Assert.Equal((1254, 1207, 3, 15.0), (fused.Width, fused.Height, fused.BandCount, fused.GeoTransform.PixelWidth));
            Assert.Equal(["blue", "green", "red"], fused.Bands.Select(b => b.Description));
        }
        // Its quality report, beside the result: the spatial correlation with the pan as numpy measures it, Wald's protocol.
        var quality = JsonDocument.Parse(await _http.GetStringAsync(detail.GetProperty("result").GetProperty("reportUrl").GetString())).RootElement;
        var expected = PythonReference.Run("spatial_correlation.py", new { fused = output, pan = SampleData.File("LC80200392015216LGN00_B8.tif") })
            .GetProperty("bands").EnumerateArray().Select(b => b.GetDouble()).ToList();
        var measured = quality.GetProperty("spatialCorrelation").EnumerateArray().Select(b => b.GetDouble()).ToList();
        Assert.Equal(3, measured.Count);
        Assert.All(measured.Zip(expected), m => Assert.True(Math.Abs(m.First - m.Second) < 1e-6, $"{m.First} vs numpy {m.Second}"));
        Assert.Equal(("ihs", 2.0), (quality.GetProperty("method").GetString(), quality.GetProperty("ratio").GetDouble()));
        Assert.InRange(quality.GetProperty("reducedScale").GetProperty("ergas").GetDouble(), 0.1, 5);
        var work = Path.Combine(_server!.Data.Path, "work");
        Assert.Empty(Directory.Exists(work) ? Directory.GetDirectories(work, "tessera-quality-*", SearchOption.AllDirectories) : []); // nothing left behind
        var inputs = new[] { new { role = "pan", fileId = pan }, new { role = "ms", fileId = ms } };
        Assert.Equal("params.method: 'pca' is not brovey, weighted-brovey, ihs, gram-schmidt or hpf", await BadRequest(new { name = "x", type = 1, inputs, @params = new { method = "pca" } }));
        Assert.Equal("params.weights: 'x' is not a non-negative number", await BadRequest(new { name = "x", type = 1, inputs, @params = new { weights = "0.5,x" } }));
    }

    [SampleDataFact]
    public async Task CompositeTask_OfThreeDatesWithTheirMasks_EqualsNumpy()
    {
        var ndvi = await UploadAsync("S2_slovenia_NDVI_68dates.tif");
        var clm = await UploadAsync("S2_slovenia_CLM_68dates.tif");
        int[] dates = [47, 48, 49]; // 0 %, 47 %, 0 % cloud
        var inputs = dates.SelectMany(d => new[] { new { role = $"d{d}", fileId = ndvi, band = d }, new { role = $"d{d}_mask", fileId = clm, band = d } }).ToArray();
        var detail = await RunAsync(new { name = "composite", type = 14, inputs, @params = new { method = "median" } });
        Assert.Equal("COMPOSITE", detail.GetProperty("typeName").GetString());
        var output = await DownloadAsync(detail, "composite.tif");
        var result = PythonReference.Run("composite_reference.py", new
        {
            values = SampleData.File("S2_slovenia_NDVI_68dates.tif"), masks = SampleData.File("S2_slovenia_CLM_68dates.tif"), bands = dates, output, method = "median",
        });
        Assert.True(result.GetProperty("maskEqual").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("maxAbsDiff").GetDouble() <= 1e-7, result.ToString());

        Assert.Equal("inputs: COMPOSITE takes pairs, in order: an image, then its cloud mask (5 inputs given)",
            await BadRequest(new { name = "x", type = 14, inputs = inputs.Take(5).ToArray() }));
        Assert.Equal("inputs: COMPOSITE needs at least 4 inputs", await BadRequest(new { name = "x", type = 14, inputs = inputs.Take(2).ToArray() }));
        Assert.Equal("params.method: 'mean' is not median or clearest", await BadRequest(new { name = "x", type = 14, inputs, @params = new { method = "mean" } }));
    }

    [SampleDataFact]
    public async Task ZonalStatisticsTask_OfTheNdviStack_IsATableEqualToTheReference()
    {
        var ndvi = await UploadAsync("S2_slovenia_NDVI_68dates.tif");
        var zonesPath = SampleData.File("S2_slovenia_LULC_polygons_wgs84.geojson");
        using var zones = JsonDocument.Parse(await File.ReadAllTextAsync(zonesPath));
        var detail = await RunAsync(new
        {
            name = "zonal", type = 13, inputs = new[] { new { role = "ndvi", fileId = ndvi } },
            @params = new { zones = zones.RootElement },
        });
        Assert.Equal("ZONAL_STATS", detail.GetProperty("typeName").GetString());
        var result = detail.GetProperty("result");
        Assert.Equal("table", result.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("previewUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("tileUrl").ValueKind);
        var csv = await DownloadAsync(detail, "zonal.csv");
        var compared = PythonReference.Run("zonal_reference.py", new { zones = zonesPath, raster = SampleData.File("S2_slovenia_NDVI_68dates.tif"), csv, allTouched = false });
        Assert.Equal(88 * 68, compared.GetProperty("compared").GetInt32());
        Assert.True(compared.GetProperty("differing").GetInt32() == 0, compared.ToString());

        // The table is a file of the store, but not a raster: no bands, tiles or preview; not an input of another task.
        var fileId = result.GetProperty("outputFileId").GetInt64();
        var file = await Data(await _http.GetAsync($"/files/{fileId}"));
        Assert.Equal(("zonal_stats-" + detail.GetProperty("id").GetInt64() + ".csv", "table"), (file.GetProperty("name").GetString(), file.GetProperty("kind").GetString()));
        using (var download = await _http.GetAsync($"/files/{fileId}/download"))
        {
            Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"/tiles/{fileId}/10/560/366.png")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"/files/{fileId}/preview.png")).StatusCode);
        Assert.Equal($"inputs.nir.fileId: file {fileId} is a table (zonal_stats-{detail.GetProperty("id").GetInt64()}.csv), not a raster",
            await BadRequest(new { name = "x", type = 7, inputs = new object[] { new { role = "nir", fileId }, new { role = "red", fileId = ndvi, band = 1 } } }));

        // GeoPackage, all touched, zones in UTM (the GeoJSON names its CRS).
        var utm = JsonDocument.Parse(await File.ReadAllTextAsync(SampleData.File("S2_slovenia_LULC_polygons_epsg32633.geojson")));
        var gpkg = await RunAsync(new
        {
            name = "zonal gpkg", type = 13, inputs = new[] { new { role = "ndvi", fileId = ndvi } },
            @params = new { zones = utm.RootElement, allTouched = true, format = "gpkg" },
        });
        var table = await DownloadAsync(gpkg, "zonal.gpkg");
        var touched = PythonReference.Run("zonal_reference.py", new
        {
            zones = SampleData.File("S2_slovenia_LULC_polygons_epsg32633.geojson"), raster = SampleData.File("S2_slovenia_NDVI_68dates.tif"), csv = table, allTouched = true,
        });
        Assert.Equal((88 * 68, 0, 0), (touched.GetProperty("compared").GetInt32(), touched.GetProperty("missing").GetInt32(), touched.GetProperty("differing").GetInt32()));

        var image = new[] { new { role = "ndvi", fileId = ndvi } };
        Assert.Equal("params.zones: required: the polygons as GeoJSON, or zonesFile: the id of a stored vector file", await BadRequest(new { name = "x", type = 13, inputs = image }));
        Assert.Equal("params.zones: not valid JSON; give a GeoJSON object", await BadRequest(new { name = "x", type = 13, inputs = image, @params = new { zones = "{nope" } }));
        Assert.Equal("params.format: 'xlsx' is not csv, geojson or gpkg", await BadRequest(new { name = "x", type = 13, inputs = image, @params = new { zones = zones.RootElement, format = "xlsx" } }));
    }

    [SampleDataFact]
    public async Task CropTasks_ToABoxAndToACutline_EqualTheReference()
    {
        var band = await UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var boxed = await RunAsync(new { name = "crop box", type = 12, inputs = new[] { new { role = "image", fileId = band } }, @params = new { bbox = "-11.6,24.6,-11.3,24.9" } });
        var output = await DownloadAsync(boxed, "boxed.tif");
        var box = PythonReference.Run("crop_reference.py", new { source = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), output, bbox = new[] { -11.6, 24.6, -11.3, 24.9 } });
        Assert.True(box.GetProperty("valuesEqual").GetBoolean(), box.ToString());
        Assert.Equal(box.GetProperty("expected").GetProperty("width").GetInt32(), box.GetProperty("width").GetInt32());

        var landsat = await UploadAsync("LC80200392015216LGN00_B4.tif");
        var zones = SampleData.File("LC80200392015216LGN00_zones_digitized_wgs84.geojson");
        var cut = await RunAsync(new
        {
            name = "crop cutline", type = 12, inputs = new[] { new { role = "image", fileId = landsat } },
            @params = new { cutline = JsonDocument.Parse(await File.ReadAllTextAsync(zones)).RootElement },
        });
        var cutOutput = await DownloadAsync(cut, "cut.tif");
        var polygons = PythonReference.Run("crop_reference.py", new { source = SampleData.File("LC80200392015216LGN00_B4.tif"), output = cutOutput, cutline = zones });
        Assert.True(polygons.GetProperty("outsideAllNoData").GetBoolean(), polygons.ToString());
        Assert.True(polygons.GetProperty("insideEqualsSource").GetBoolean(), polygons.ToString());
    }

    [SampleDataFact]
    public async Task BadMergeAndCropTasks_NameTheField_OrFailWithTheReason()
    {
        var band = await UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var image = new[] { new { role = "image", fileId = band } };
        Assert.Equal("params.bbox: give bbox or cutline (one of them)", await BadRequest(new { name = "x", type = 12, inputs = image }));
        Assert.Equal("params.bbox: give bbox or cutline (one of them)", await BadRequest(new
        {
            name = "x", type = 12, inputs = image, @params = new { bbox = "1,2,3,4", cutline = new { type = "Polygon", coordinates = Array.Empty<int>() } },
        }));
        Assert.StartsWith("params.bbox: bbox '3,2,1,4' has no area", await BadRequest(new { name = "x", type = 12, inputs = image, @params = new { bbox = "3,2,1,4" } }));
        Assert.Equal("params.cutline: not valid JSON; give a GeoJSON object", await BadRequest(new { name = "x", type = 12, inputs = image, @params = new { cutline = "{" } }));
        Assert.Equal("inputs.image: missing (CROP needs image)", await BadRequest(new { name = "x", type = 12, inputs = new[] { new { role = "img", fileId = band } }, @params = new { bbox = "1,2,3,4" } }));
        Assert.Equal("params.reference: 'blue' is not one of the inputs (red)", await BadRequest(new
        {
            name = "x", type = 6, inputs = new[] { new { role = "red", fileId = band } }, @params = new { reference = "blue" },
        }));
        Assert.Equal("inputs: BAND_MERGED needs at least 1 input", await BadRequest(new { name = "x", type = 6, inputs = Array.Empty<object>() }));

        // Whether a box overlaps the image is known from its header: refused before the task is queued, saying why.
        Assert.Equal("params.bbox: bbox 10,40,11,41 (EPSG:4326) does not overlap the inputs",
            await BadRequest(new { name = "x", type = 12, inputs = image, @params = new { bbox = "10,40,11,41" } }));
    }
}
