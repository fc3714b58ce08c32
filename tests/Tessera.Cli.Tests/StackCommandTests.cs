using System.Text.Json;
using Tessera.Raster;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>`tessera merge` and `tessera crop` as scripts call them: output shape, options, errors and exit codes.</summary>
public sealed class StackCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string S2(string band) => SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif");

    [SampleDataFact]
    public void Merge_WritesOneBandPerInput_OnTheFinestGrid()
    {
        var output = _folder.File("merged.tif");
        var run = CliRunner.Run("merge", "-o", output, S2("B04"), S2("B11"), $"{S2("B01")}@1", "-r", "bilinear", "--quiet");
        Assert.Equal(0, run.ExitCode);
        using var merged = RasterDataset.Open(output);
        Assert.Equal((1098, 1098, 3, RasterDataType.UInt16), (merged.Width, merged.Height, merged.BandCount, merged.Band(1).DataType));
        Assert.Equal("COG", merged.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE"));
    }

    [SampleDataFact]
    public void Merge_WithABboxAndAReference_CropsOnThatGrid()
    {
        var output = _folder.File("merged.tif");
        var run = CliRunner.Run("merge", "-o", output, S2("B04"), S2("B11"), "--reference", "S2A_29RKH_20200219_L2A_B11.tif",
            "--bbox", "-11.6,24.6,-11.3,24.9", "--of", "GTiff", "--quiet");
        Assert.Equal(0, run.ExitCode);
        using var merged = RasterDataset.Open(output);
        Assert.Equal(200, merged.GeoTransform.PixelWidth);
        Assert.InRange(merged.Width, 150, 170); // about 31 km at 200 m
    }

    [SampleDataFact]
    public void Crop_ByBoxInTheRastersCrs_AndByCutline()
    {
        var boxed = _folder.File("boxed.tif");
        Assert.Equal(0, CliRunner.Run("crop", S2("B04"), "-o", boxed, "--bbox", "209980,2700020,219980,2710020", "--bbox-crs", "EPSG:32629", "--quiet").ExitCode);
        using (var ds = RasterDataset.Open(boxed))
        {
            Assert.Equal((100, 100), (ds.Width, ds.Height)); // on pixel edges: exactly 100 x 100 pixels of 100 m
            Assert.Equal((209980.0, 2710020.0), (ds.GeoTransform.OriginX, ds.GeoTransform.OriginY));
        }
        var cut = _folder.File("cut.tif");
        Assert.Equal(0, CliRunner.Run("crop", SampleData.File("LC80200392015216LGN00_B4.tif"), "-o", cut,
            "--cutline", SampleData.File("LC80200392015216LGN00_zones_digitized_epsg32616.geojson"), "--quiet").ExitCode);
        Assert.True(File.Exists(cut));
    }

    [SampleDataTheory]
    [InlineData(2, "give --bbox or --cutline (one of them)", "--bbox", "1,2,3,4", "--cutline", "zones.geojson")]
    [InlineData(2, "give --bbox or --cutline (one of them)")]
    [InlineData(2, "bbox '3,2,1,4' has no area: west must be less than east and south less than north (it is zero-area or inverted)", "--bbox", "3,2,1,4")]
    [InlineData(2, "bbox '1,2,3' is not west,south,east,north (four numbers)", "--bbox", "1,2,3")]
    [InlineData(1, "bbox 10,40,11,41 (EPSG:4326) does not overlap", "--bbox", "10,40,11,41")]
    public void Crop_BadRegions_AreOneClearLine_AndLeaveNothing(int exitCode, string message, params string[] options)
    {
        var run = CliRunner.Run(["crop", S2("B04"), "-o", _folder.File("out.tif"), "--quiet", .. options]);
        Assert.Equal(exitCode, run.ExitCode);
        Assert.StartsWith(message, run.ErrorLine);
        Assert.Empty(_folder.Files());
    }

    [SampleDataFact]
    public void Zonal_WritesTheCsvScriptsReadByColumnName()
    {
        var output = _folder.File("stats.csv");
        var run = CliRunner.Run("zonal", "--zones", SampleData.File("S2_slovenia_LULC_polygons_epsg32633.geojson"),
            SampleData.File("S2_slovenia_NDVI_68dates.tif"), "-o", output, "--all-touched");
        Assert.Equal(0, run.ExitCode);
        var lines = File.ReadAllLines(output);
        Assert.Equal("zone,index,RABA_ID,AREA,DATE,LULC_ID,LULC_NAME,raster,band,label,count,valid,mean,min,max,std,median,sum", lines[0]);
        Assert.Equal(1 + 88 * 68, lines.Length);
        Assert.StartsWith("0,37649,1300,6200.4845,2018-02-02,3,grassland,S2_slovenia_NDVI_68dates.tif,1,2015-07-11T10:00:08,", lines[1]);
    }

    [SampleDataFact]
    public void Zonal_BadOutputOrZones_AreClearErrors()
    {
        var raster = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var bad = CliRunner.Run("zonal", "--zones", SampleData.File("S2_slovenia_LULC_polygons_epsg32633.geojson"), raster, "-o", _folder.File("stats.txt"));
        Assert.Equal((2, $"{_folder.File("stats.txt")}: write statistics to a .csv, .geojson or .gpkg file"), (bad.ExitCode, bad.ErrorLine));
        var missing = CliRunner.Run("zonal", "--zones", "/no/zones.geojson", raster, "-o", _folder.File("stats.csv"));
        Assert.Equal((1, "/no/zones.geojson: file not found"), (missing.ExitCode, missing.ErrorLine));
        Assert.Empty(_folder.Files());
    }

    [SampleDataFact]
    public void CloudRemove_PrintsTheShares_AndWritesTheReport()
    {
        var ndvi = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var report = _folder.File("report.json");
        var run = CliRunner.Run("cloud-remove", "--cloudy", $"{ndvi}@48", "--clear", $"{ndvi}@47",
            "--mask", $"{SampleData.File("S2_slovenia_CLM_68dates.tif")}@48", "-o", _folder.File("filled.tif"), "--report", report, "-q");
        Assert.Equal(0, run.ExitCode);
        // The cloud pixels counted independently (numpy on the mask) give the printed shares.
        var check = PythonReference.Run("cloud_reference.py", new
        {
            cloudy = new object[] { ndvi, 48 }, clear = new object[] { ndvi, 47 }, mask = new object[] { SampleData.File("S2_slovenia_CLM_68dates.tif"), 48 },
            output = _folder.File("filled.tif"), dilate = 0, feather = 3,
        });
        var share = (100.0 * check.GetProperty("cloud").GetInt64() / check.GetProperty("pixels").GetInt64()).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"cloud {share} %, replaced {share} %, left cloudy 0.00 %", run.Out.Trim());
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(check.GetProperty("cloud").GetInt64(), json.RootElement.GetProperty("cloud").GetInt64());
    }

    [SampleDataFact]
    public void CloudRemove_NeedsExactlyOneMask()
    {
        var b04 = S2("B04");
        var none = CliRunner.Run("cloud-remove", "--cloudy", b04, "--clear", b04, "-o", _folder.File("o.tif"));
        Assert.Equal((2, "give one cloud mask: --mask, --scl, --qa-pixel or --bqa"), (none.ExitCode, none.ErrorLine));
        var two = CliRunner.Run("cloud-remove", "--cloudy", b04, "--clear", b04, "--scl", S2("SCL"), "--mask", S2("SCL"), "-o", _folder.File("o.tif"));
        Assert.Equal(2, two.ExitCode);
        var bands = CliRunner.Run("cloud-remove", "--cloudy", b04, "--clear", SampleData.File("S2_L1C_slovenia_20150711_13bands.tif"),
            "--scl", S2("SCL"), "-o", _folder.File("o.tif"));
        Assert.Equal((1, "the cloudy image has 1 band(s) and the clear one 13: they must match"), (bands.ExitCode, bands.ErrorLine));
        Assert.Empty(_folder.Files());
    }

    [SampleDataFact]
    public void Composite_TakesOneMaskPerImage()
    {
        var ndvi = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var clm = SampleData.File("S2_slovenia_CLM_68dates.tif");
        var output = _folder.File("composite.tif");
        var run = CliRunner.Run("composite", $"{ndvi}@47", $"{ndvi}@48", "--masks", $"{clm}@47", $"{clm}@48", "--method", "clearest", "-o", output, "-q");
        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(output));
        var bad = CliRunner.Run("composite", $"{ndvi}@47", "--masks", $"{clm}@47", "--method", "mode", "-o", _folder.File("x.tif"));
        Assert.Equal((2, "unknown composite method 'mode'; use median or clearest"), (bad.ExitCode, bad.ErrorLine));
    }

    [SampleDataFact]
    public void Pansharpen_WritesTheMultispectralBandsOnThePanGrid()
    {
        string L8(string band) => SampleData.File($"LC80200392015216LGN00_{band}.tif");
        var output = _folder.File("sharp.tif");
        var run = CliRunner.Run("pansharpen", "--pan", L8("B8"), "--ms", L8("B2"), L8("B3"), L8("B4"), "--method", "weighted-brovey",
            "--weights", "0.2", "0.3", "0.5", "-o", output, "-q");
        Assert.Equal(0, run.ExitCode);
        using var sharp = RasterDataset.Open(output);
        Assert.Equal((1254, 1207, 3, RasterDataType.UInt16, 15.0), (sharp.Width, sharp.Height, sharp.BandCount, sharp.Band(1).DataType, sharp.GeoTransform.PixelWidth));
        var bad = CliRunner.Run("pansharpen", "--pan", L8("B8"), "--ms", L8("B2"), "--method", "pca", "-o", _folder.File("x.tif"));
        Assert.Equal((2, "unknown pan-sharpening method 'pca'; use brovey, weighted-brovey, ihs, gram-schmidt or hpf"), (bad.ExitCode, bad.ErrorLine));
    }

    [SampleDataFact]
    public void Pansharpen_WithQuality_WritesWaldsProtocolAndTheSpatialCorrelation()
    {
        string L8(string band) => SampleData.File($"LC80200392015216LGN00_{band}.tif");
        var (output, report) = (_folder.File("hpf.tif"), _folder.File("quality.json"));
        var run = CliRunner.Run("pansharpen", "--pan", L8("B8"), "--ms", L8("B2"), L8("B3"), L8("B4"), "--method", "hpf",
            "--quality", report, "-o", output, "-q", "--of", "GTiff");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("hpf: ERGAS ", run.Out);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal(("hpf", 2.0), (root.GetProperty("method").GetString(), root.GetProperty("ratio").GetDouble()));
        var reduced = root.GetProperty("reducedScale");
        Assert.InRange(reduced.GetProperty("ergas").GetDouble(), 0.1, 5);
        Assert.InRange(reduced.GetProperty("sam").GetDouble(), 0.01, 2);
        Assert.Equal(["LC80200392015216LGN00_B2", "LC80200392015216LGN00_B3", "LC80200392015216LGN00_B4"],
            reduced.GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("band").GetString()));
        var expected = PythonReference.Run("spatial_correlation.py", new { fused = output, pan = L8("B8") }).GetProperty("bands")
            .EnumerateArray().Select(b => b.GetDouble()).ToList();
        var measured = root.GetProperty("spatialCorrelation").EnumerateArray().Select(b => b.GetDouble()).ToList();
        Assert.Equal(3, measured.Count);
        for (var k = 0; k < 3; k++)
        {
            Assert.True(Math.Abs(measured[k] - expected[k]) < 1e-6, $"band {k + 1}: {measured[k]} vs numpy {expected[k]}");
        }
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetTempPath(), "tessera-quality-*"), d => Directory.GetCreationTimeUtc(d) > DateTime.UtcNow.AddMinutes(-5));
    }

    public void Dispose() => _folder.Dispose();
}
