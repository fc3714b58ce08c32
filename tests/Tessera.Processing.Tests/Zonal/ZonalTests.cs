using System.Text.Json;
using Tessera.Processing.Zonal;
using Tessera.Raster.Features;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Zonal;

/// <summary>Zonal statistics against GDAL rasterize + numpy, zone by zone, band by band.</summary>
public sealed class ZonalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private System.Text.Json.JsonElement Compare(string zones, string raster, bool allTouched)
    {
        var csv = _folder.File($"stats-{Guid.NewGuid():N}.csv");
        var rows = ZonalCalculator.Run(new ZonalRequest(zones, [raster], AllTouched: allTouched));
        ZonalWriter.Write(rows, zones, csv);
        return PythonReference.Run("zonal_reference.py", new { zones, raster, csv, allTouched });
    }

    [Fact]
    public void Writing_OverAPipe_IsRefused_AndLeavesItThere()
    {
        var pipe = _folder.File("stats.csv");
        ExternalTool.Run("mkfifo", pipe);
        var error = Assert.Throws<Tessera.Raster.RasterIOException>(() => ZonalWriter.Write([], "zones.geojson", pipe));
        Assert.Equal($"{pipe}: cannot write: it is a named pipe, not a file", error.Message);
        ExternalTool.Run("test", "-p", pipe);
    }

    [SampleDataTheory]
    [InlineData("S2_slovenia_LULC_polygons_wgs84.geojson", false)]
    [InlineData("S2_slovenia_LULC_polygons_epsg32633.geojson", false)]
    [InlineData("S2_slovenia_LULC_polygons_epsg32633.geojson", true)]
    public void SloveniaNdviStack_Over88Parcels_EqualsTheReference(string zones, bool allTouched)
    {
        var result = Compare(SampleData.File(zones), SampleData.File("S2_slovenia_NDVI_68dates.tif"), allTouched);
        Assert.Equal(88 * 68, result.GetProperty("compared").GetInt32());
        Assert.Equal(0, result.GetProperty("missing").GetInt32());
        Assert.True(result.GetProperty("differing").GetInt32() == 0, result.ToString());
    }

    [SampleDataFact]
    public void EdgeCaseZones_HoleMultipolygonPartlyAndWhollyOutside()
    {
        var zones = SampleData.File("LC80200392015216LGN00_zones_digitized_wgs84.geojson");
        var raster = SampleData.File("LC80200392015216LGN00_B4.tif");
        var result = Compare(zones, raster, allTouched: false);
        Assert.True(result.GetProperty("differing").GetInt32() == 0, result.ToString());

        var rows = ZonalCalculator.Run(new ZonalRequest(zones, [raster]));
        Assert.Equal(6, rows.Count);
        var outside = rows[5];
        Assert.Equal((0L, 0L, (double?)null, (double?)null), (outside.Count, outside.Valid, outside.Mean, outside.Median)); // no error: count 0
        Assert.True(rows[3].Count > 0, "the zone partly outside counts its pixels on the raster");
        // Holes and the two-part polygon are as GDAL's rasterizer draws them (the reference above); counting every
        // touched pixel never counts fewer than counting covered centres.
        var allTouched = ZonalCalculator.Run(new ZonalRequest(zones, [raster], AllTouched: true));
        Assert.All(Enumerable.Range(0, 5), i => Assert.True(allTouched[i].Count >= rows[i].Count));
    }

    [SampleDataFact]
    public void GeoJsonAndGeoPackage_HoldOneFeaturePerRow_WithTheZonesGeometry()
    {
        var zones = SampleData.File("LC80200392015216LGN00_zones_digitized_epsg32616.geojson");
        var rows = ZonalCalculator.Run(new ZonalRequest(zones, [SampleData.File("LC80200392015216LGN00_B4.tif"), SampleData.File("LC80200392015216LGN00_B5.tif")]));
        Assert.Equal(12, rows.Count); // 6 zones x 2 rasters (a time series)

        var geojson = _folder.File("stats.geojson");
        ZonalWriter.Write(rows, zones, geojson);
        using var doc = JsonDocument.Parse(File.ReadAllText(geojson));
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(12, features.Count);
        Assert.Equal("LC80200392015216LGN00_B5.tif", features[6].GetProperty("properties").GetProperty("raster").GetString());
        var ring = features[0].GetProperty("geometry").GetProperty("coordinates")[0][0];
        Assert.InRange(ring[0].GetDouble(), -90, -80); // written in lon/lat (the zones were in UTM 16N)
        Assert.Equal(JsonValueKind.Null, features[5].GetProperty("properties").GetProperty("mean").ValueKind);

        var gpkg = _folder.File("stats.gpkg");
        ZonalWriter.Write(rows, zones, gpkg);
        using var package = VectorFile.Open(gpkg);
        Assert.Equal(12, package.FeatureCount);
        // The zones' own attributes (zone_id, name), as the GeoJSON file has them, between the zone and the statistics.
        var csv = _folder.File("stats.csv");
        ZonalWriter.Write(rows, zones, csv);
        Assert.Equal("zone,zone_id,name,raster,band,label,count,valid,mean,min,max,std,median,sum", File.ReadAllLines(csv)[0]);
        Assert.StartsWith("0,1,south_square_3km,LC80200392015216LGN00_B4.tif,1,band 1,", File.ReadAllLines(csv)[1]);
        var properties = features[7].GetProperty("properties");
        Assert.Equal((2, "cloud_belt_triangle"), (properties.GetProperty("zone_id").GetInt32(), properties.GetProperty("name").GetString()));
        Assert.Equal(["zone", "zone_id", "name", "raster", "band", "label"], properties.EnumerateObject().Take(6).Select(p => p.Name));
    }

    [SampleDataTheory]
    [InlineData("csv")]
    [InlineData("geojson")]
    [InlineData("gpkg")]
    public void EveryFormat_CarriesTheZonesAttributes_AndTheBandsDatesAsLabels(string format)
    {
        // 88 land-use parcels with six attributes each, over the 68-date NDVI stack whose band descriptions are the dates.
        var zones = SampleData.File("S2_slovenia_LULC_polygons_epsg32633.geojson");
        var raster = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var output = _folder.File($"stats.{format}");
        ZonalWriter.Write(ZonalCalculator.Run(new ZonalRequest(zones, [raster])), zones, output);
        var result = PythonReference.Run("zonal_reference.py", new { zones, raster, csv = output, allTouched = false });
        Assert.Equal(88 * 68, result.GetProperty("compared").GetInt32());
        Assert.Equal(0, result.GetProperty("missing").GetInt32());
        Assert.True(result.GetProperty("differing").GetInt32() == 0, result.ToString());
    }

    public void Dispose() => _folder.Dispose();
}
