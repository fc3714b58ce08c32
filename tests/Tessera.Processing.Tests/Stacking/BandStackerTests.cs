using Tessera.Processing.Stacking;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Stacking;

/// <summary>Band merge and crop against GDAL's own tools (through its Python bindings), pixel for pixel.</summary>
public sealed class BandStackerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string S2(string band) => SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif");

    private static readonly OutputOptions Plain = new(OutputFormats.GTiff);

    [SampleDataTheory]
    [InlineData(Resampling.Nearest)]
    [InlineData(Resampling.Bilinear)]
    [InlineData(Resampling.Cubic)]
    [InlineData(Resampling.Average)]
    public void Merge_Of100_200_600mBands_EqualsGdalbuildvrtSeparate(Resampling resampling)
    {
        string[] inputs = [S2("B04"), S2("B11"), S2("B01"), S2("B8A")];
        var output = _folder.File($"merge-{resampling}.tif");

        BandStacker.Run(new StackRequest(BandStacker.Expand(inputs), output, Plain, Resampling: resampling));

        var result = PythonReference.Run("merge_reference.py", new { inputs, output, resampling = resampling.ToGdal() });
        Assert.True(result.GetProperty("sameGrid").GetBoolean(), result.ToString());
        Assert.Equal(4, result.GetProperty("bandCount").GetInt32());
        foreach (var band in result.GetProperty("bands").EnumerateArray())
        {
            Assert.Equal(0, band.GetProperty("differing").GetInt32());
            Assert.True(band.GetProperty("sameType").GetBoolean(), result.ToString());
            Assert.Equal(0, band.GetProperty("noData").GetDouble());
        }
        using var merged = RasterDataset.Open(output);
        Assert.Equal(["S2A_29RKH_20200219_L2A_B04", "S2A_29RKH_20200219_L2A_B11", "S2A_29RKH_20200219_L2A_B01", "S2A_29RKH_20200219_L2A_B8A"],
            merged.Bands.Select(b => b.Description));
    }

    [SampleDataFact]
    public void Merge_OntoANamedReference_AndOfSelectedBands_KeepsOrderAndDescriptions()
    {
        var stack = _folder.File("stack.tif");
        BandStacker.Run(new StackRequest(BandStacker.Expand([S2("B04"), S2("B03"), S2("B02")]), stack, Plain,
            Descriptions: ["red", "green", "blue"]));
        var output = _folder.File("selected.tif");

        BandStacker.Run(new StackRequest(BandStacker.Expand([$"{stack}@blue", $"{stack}@1", S2("B11")]), output, Plain,
            Reference: "S2A_29RKH_20200219_L2A_B11.tif"));

        using var result = RasterDataset.Open(output);
        Assert.Equal((549, 549, 3), (result.Width, result.Height, result.BandCount)); // the 200 m grid
        Assert.Equal(["blue", "red", "S2A_29RKH_20200219_L2A_B11"], result.Bands.Select(b => b.Description));
    }

    [SampleDataTheory]
    [InlineData(-11.6, 24.6, -11.3, 24.9, "EPSG:4326")] // lon/lat over a UTM raster
    [InlineData(-12.5, 24.6, -11.5, 25.1, "EPSG:4326")] // straddling the west edge
    [InlineData(210_123.4, 2_700_456.7, 230_987.6, 2_720_001.2, "EPSG:32629")] // not pixel-aligned, the raster's CRS
    public void Crop_ToABox_IsTheSliceOfTheSourceThatCoversIt(double w, double s, double e, double n, string crs)
    {
        var output = _folder.File("crop.tif");
        BandStacker.Run(new StackRequest(BandStacker.Expand([S2("B04")]), output, Plain, Box: new CropBox(w, s, e, n, crs)));

        var result = PythonReference.Run("crop_reference.py", new { source = S2("B04"), output, bbox = new[] { w, s, e, n }, bboxCrs = crs });
        var expected = result.GetProperty("expected");
        Assert.Equal((expected.GetProperty("col0").GetInt32(), expected.GetProperty("row0").GetInt32()),
            (result.GetProperty("col0").GetInt32(), result.GetProperty("row0").GetInt32()));
        Assert.Equal((expected.GetProperty("width").GetInt32(), expected.GetProperty("height").GetInt32()),
            (result.GetProperty("width").GetInt32(), result.GetProperty("height").GetInt32()));
        Assert.True(result.GetProperty("valuesEqual").GetBoolean(), result.ToString());
    }

    [SampleDataTheory]
    [InlineData("LC80200392015216LGN00_zones_digitized_wgs84.geojson")]
    [InlineData("LC80200392015216LGN00_zones_digitized_epsg32616.geojson")]
    public void Crop_ToACutline_KeepsThePolygonsAndBlanksTheRest(string zones)
    {
        var source = SampleData.File("LC80200392015216LGN00_B4.tif");
        var output = _folder.File("cut.tif");
        BandStacker.Run(new StackRequest(BandStacker.Expand([source]), output, Plain, Cutline: SampleData.File(zones)));

        var result = PythonReference.Run("crop_reference.py", new { source, output, cutline = SampleData.File(zones) });
        Assert.True(result.GetProperty("inside").GetInt32() > 1000, result.ToString());
        Assert.True(result.GetProperty("outsideAllNoData").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("insideEqualsSource").GetBoolean(), result.ToString());
        using var cut = RasterDataset.Open(output);
        Assert.True(cut.Width < 627 && cut.Height <= 603, $"{cut.Width}x{cut.Height}: not cropped to the polygons");
    }

    [SampleDataFact]
    public void BadBoxes_AreClearErrors_AndWriteNothing()
    {
        Assert.Equal("bbox '1,2,1,3' has no area: west must be less than east and south less than north (it is zero-area or inverted)",
            Assert.Throws<RasterArgumentException>(() => CropBox.Parse("1,2,1,3")).Message);
        Assert.StartsWith("bbox '3,2,1,4' has no area", Assert.Throws<RasterArgumentException>(() => CropBox.Parse("3,2,1,4")).Message);
        Assert.Equal("bbox '1,2,3' is not west,south,east,north (four numbers)", Assert.Throws<RasterArgumentException>(() => CropBox.Parse("1,2,3")).Message);
        var output = _folder.File("nothing.tif");
        var error = Assert.Throws<RasterArgumentException>(() =>
            BandStacker.Run(new StackRequest(BandStacker.Expand([S2("B04")]), output, Plain, Box: new CropBox(10, 40, 11, 41))));
        Assert.Equal($"bbox 10,40,11,41 (EPSG:4326) does not overlap {S2("B04")}", error.Message);
        var outside = _folder.File("outside.geojson");
        File.WriteAllText(outside, """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[10,40],[11,40],[11,41],[10,40]]]}}]}""");
        Assert.StartsWith($"the cutline {outside} does not overlap", Assert.Throws<RasterArgumentException>(() =>
            BandStacker.Run(new StackRequest(BandStacker.Expand([S2("B04")]), output, Plain, Cutline: outside))).Message);
        Assert.Equal(["outside.geojson"], _folder.Files().Select(Path.GetFileName));
    }

    public void Dispose() => _folder.Dispose();
}
