using System.Text.Json;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

public class InfoCommandTests
{
    [SampleDataFact]
    public void InfoJson_OfSentinel2Band_ReportsWhatGdalReports()
    {
        var path = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif");
        var run = CliRunner.Run("info", path, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        // Facts from the data folder's README (and gdalinfo): 1098 x 1098 UInt16, 100 m, EPSG:32629,
        // upper-left corner (199980, 2800020), nodata 0.
        Assert.Equal(1098, root.GetProperty("width").GetInt32());
        Assert.Equal(1098, root.GetProperty("height").GetInt32());
        Assert.Equal(32629, root.GetProperty("epsg").GetInt32());
        Assert.Equal(100, root.GetProperty("resolutionX").GetDouble());
        var bounds = root.GetProperty("bounds");
        Assert.Equal(199980, bounds.GetProperty("minX").GetDouble());
        Assert.Equal(2800020, bounds.GetProperty("maxY").GetDouble());
        Assert.Equal(199980 + 1098 * 100, bounds.GetProperty("maxX").GetDouble());
        var band = root.GetProperty("bands")[0];
        Assert.Equal("UInt16", band.GetProperty("dataType").GetString());
        Assert.Equal(0, band.GetProperty("noData").GetDouble());
        Assert.Equal(1, band.GetProperty("scale").GetDouble());
        Assert.True(band.GetProperty("overviewCount").GetInt32() >= 1); // the sample is a COG

        // Lon/lat bounds against GDAL's own corner coordinates (within 0.01°; ours are densified along the edges).
        var gdal = PythonReference.Run("wgs84_extent.py", new { path });
        var lonLat = root.GetProperty("lonLatBounds");
        Assert.Equal(gdal.GetProperty("minX").GetDouble(), lonLat.GetProperty("minX").GetDouble(), 0.01);
        Assert.Equal(gdal.GetProperty("minY").GetDouble(), lonLat.GetProperty("minY").GetDouble(), 0.01);
        Assert.Equal(gdal.GetProperty("maxX").GetDouble(), lonLat.GetProperty("maxX").GetDouble(), 0.01);
        Assert.Equal(gdal.GetProperty("maxY").GetDouble(), lonLat.GetProperty("maxY").GetDouble(), 0.01);
    }

    [SampleDataFact]
    public void InfoStats_MatchNumpy_AndCountNoData()
    {
        var path = SampleData.File("LC08_L2SP_001062_20201031_20201106_02_T2_SR_B4.tif");
        var run = CliRunner.Run("info", path, "--json", "--stats");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var stats = json.RootElement.GetProperty("bands")[0].GetProperty("statistics");
        var numpy = PythonReference.Run("band_stats.py", new { path, band = 1 });
        Assert.Equal(numpy.GetProperty("count").GetInt64(), stats.GetProperty("count").GetInt64());
        Assert.Equal(numpy.GetProperty("valid").GetInt64(), stats.GetProperty("validCount").GetInt64());
        Assert.Equal(numpy.GetProperty("min").GetDouble(), stats.GetProperty("min").GetDouble());
        Assert.Equal(numpy.GetProperty("max").GetDouble(), stats.GetProperty("max").GetDouble());
        Assert.Equal(numpy.GetProperty("mean").GetDouble(), stats.GetProperty("mean").GetDouble(), 6);
        Assert.Equal(numpy.GetProperty("std").GetDouble(), stats.GetProperty("stdDev").GetDouble(), 6);
    }

    [SampleDataFact]
    public void InfoText_ShowsTheEssentials()
    {
        var path = SampleData.File("MCD43A4.A2017006.h21v11.006.2017018074804_B01.tif");
        var run = CliRunner.Run("info", path);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Driver:     GTiff", run.Out);
        Assert.Contains("Int16", run.Out);
        Assert.Contains("nodata 32767", run.Out);
        Assert.Contains("Lon/lat:", run.Out);
        Assert.DoesNotContain("EPSG:", run.Out); // MODIS sinusoidal has no EPSG code
    }
}
