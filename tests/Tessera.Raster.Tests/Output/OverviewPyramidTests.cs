using Tessera.Raster.Blocks;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Output;

/// <summary>
/// A COG's overviews made in the processing pass: the same file GDAL's validator accepts, full resolution unchanged,
/// and every level equal, bit for bit, to what <c>gdaladdo -r average</c> computes from the same pixels.
/// </summary>
public class OverviewPyramidTests
{
    private static string Write(TempFolder temp, string name, OutputOptions options, int width, int height, bool inPass = false,
        RasterDataType type = RasterDataType.Float32, double noData = double.NaN, float scale = 1)
    {
        var grid = SyntheticRaster.Grid(width, height);
        using var output = RasterOutput.Begin(temp.File(name), options, grid, type, ["field"], noData);
        BlockEngine.Run(new BlockJob(grid, [], 1, () => new FieldKernel(scale), noData), output.Dataset);
        output.Commit();
        Assert.Equal(inPass, output.OverviewsMadeInPass);
        return temp.File(name);
    }

    [Fact]
    public void LevelCount_HalvesUntilALevelFitsInOneTile()
    {
        Assert.Equal(5, Tessera.Raster.Output.Cog.CogSettings.LevelCount(10980, 10980, 512));
        Assert.Equal(2, Tessera.Raster.Output.Cog.CogSettings.LevelCount(1800, 1300, 512));
        Assert.Equal(0, Tessera.Raster.Output.Cog.CogSettings.LevelCount(512, 300, 512));
        Assert.Equal(1, Tessera.Raster.Output.Cog.CogSettings.LevelCount(1025, 1025, 512)); // 1025 / 2 rounds down to one tile
    }

    [Fact]
    public void EngineWrittenCog_HasGdalsOverviews_MadeInThePass()
    {
        using var temp = new TempFolder();
        var cog = Write(temp, "cog.tif", new OutputOptions(), 1800, 1300, inPass: true);
        var plain = Write(temp, "plain.tif", new OutputOptions("GTiff"), 1800, 1300);
        ExternalTool.Run("gdaladdo", "-q", "-r", "average", plain, "2", "4");
        ExternalTool.Run("/usr/bin/python3", "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py", "-q", cog);

        using var a = RasterDataset.Open(cog);
        using var b = RasterDataset.Open(plain);
        Assert.Equal("COG", a.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE"));
        Assert.Equal(2, a.Band(1).OverviewCount);
        var (x, y) = (new float[1800 * 1300], new float[1800 * 1300]);
        a.Read(1, new Window(0, 0, 1800, 1300), x.AsSpan());
        b.Read(1, new Window(0, 0, 1800, 1300), y.AsSpan());
        Assert.Equal(y.Select(BitConverter.SingleToInt32Bits), x.Select(BitConverter.SingleToInt32Bits));
        foreach (var level in new[] { 0, 1 })
        {
            var compared = PythonReference.Run("compare_bands.py", new { a = cog, b = plain, overview = level });
            Assert.True(compared.GetProperty("identical").GetBoolean(), compared.ToString());
            Assert.True(compared.GetProperty("nodataCount").GetInt64() > 0, compared.ToString());
        }
    }

    [Theory]
    [InlineData(RasterDataType.UInt16, 0, 900.5f)] // values 0.5 apart around integers: every rounding case, and nodata 0
    [InlineData(RasterDataType.Int16, -9999, 1000.5f)] // negative values too
    [InlineData(RasterDataType.Byte, 255, 120.5f)] // clipped at both ends of the range
    public void IntegerCogs_RoundAsGdalDoes(RasterDataType type, double noData, float scale)
    {
        using var temp = new TempFolder();
        var cog = Write(temp, "cog.tif", new OutputOptions(), 1800, 1300, inPass: true, type, noData, scale);
        var plain = Write(temp, "plain.tif", new OutputOptions("GTiff"), 1800, 1300, type: type, noData: noData, scale: scale);
        ExternalTool.Run("gdaladdo", "-q", "-r", "average", plain, "2", "4");
        foreach (int? level in new int?[] { null, 0, 1 })
        {
            var compared = PythonReference.Run("compare_bands.py", new { a = cog, b = plain, overview = level });
            Assert.True(compared.GetProperty("identical").GetBoolean(), compared.ToString());
            Assert.True(compared.GetProperty("nodataCount").GetInt64() > 0, compared.ToString());
        }
    }

    [Theory]
    [InlineData(RasterDataType.Float32, double.NaN, 1f, 1800, "ZSTD")] // COG written in the pass
    [InlineData(RasterDataType.UInt16, 0, 900.5f, 1801, "ZSTD")]
    [InlineData(RasterDataType.Float32, double.NaN, 1f, 1801, "LZMA")] // GDAL writes the COG, the pass still counts
    [InlineData(RasterDataType.UInt16, 0, 900.5f, 1800, "LZMA")]
    public void Statistics_CountedInThePass_AreStoredAsGdalStoresThem(RasterDataType type, double noData, float scale, int width,
        string compress)
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(width, 1300);
        using (var output = RasterOutput.Begin(temp.File("cog.tif"), new OutputOptions("COG", [$"COMPRESS={compress}"]), grid, type,
            ["field"], noData))
        {
            BlockEngine.Run(new BlockJob(grid, [], 1, () => new FieldKernel(scale), noData), output);
            output.Commit();
            Assert.True(output.StatisticsStored);
            Assert.Equal(compress != "LZMA", output.WrittenInPass);
        }
        var numpy = PythonReference.Run("band_stats.py", new { path = temp.File("cog.tif") });
        var stored = numpy.GetProperty("stored");
        Assert.Equal(numpy.GetProperty("min").GetDouble(), stored.GetProperty("minimum").GetDouble());
        Assert.Equal(numpy.GetProperty("max").GetDouble(), stored.GetProperty("maximum").GetDouble());
        Assert.Equal(numpy.GetProperty("mean").GetDouble(), stored.GetProperty("mean").GetDouble(), 1e-9);
        Assert.Equal(numpy.GetProperty("std").GetDouble(), stored.GetProperty("stddev").GetDouble(), 1e-9);
        Assert.Equal(100.0 * numpy.GetProperty("valid").GetInt64() / numpy.GetProperty("count").GetInt64(),
            stored.GetProperty("valid_percent").GetDouble(), 1e-9);
        Assert.True(numpy.GetProperty("valid").GetInt64() < numpy.GetProperty("count").GetInt64()); // the holes are left out

        // Written otherwise than through the engine: no statistics rather than partial ones.
        using var rows = RasterOutput.Begin(temp.File("rows.tif"), new OutputOptions(), grid, type, ["field"], noData);
        rows.Dataset.Write<float>(1, new Window(0, 0, width, 1), Enumerable.Repeat(5f, width).ToArray());
        rows.Commit();
        Assert.False(rows.StatisticsStored);
        Assert.Empty(PythonReference.Run("band_stats.py", new { path = temp.File("rows.tif") }).GetProperty("stored").EnumerateObject());
    }

    [Fact]
    public void OddSizes_AndOtherOverviewChoices_AreLeftToGdal()
    {
        using var temp = new TempFolder();
        var odd = Write(temp, "odd.tif", new OutputOptions(), 1801, 1300);
        var nearest = Write(temp, "nearest.tif", new OutputOptions("COG", ["OVERVIEW_RESAMPLING=NEAREST"]), 1800, 1300);
        foreach (var path in new[] { odd, nearest })
        {
            ExternalTool.Run("/usr/bin/python3", "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py", "-q", path);
            using var ds = RasterDataset.Open(path);
            Assert.Equal(2, ds.Band(1).OverviewCount);
        }
        // Nearest neighbour, as asked (not the average made in the pass): GDAL's own nearest overview.
        var plain = Write(temp, "plain.tif", new OutputOptions("GTiff"), 1800, 1300);
        ExternalTool.Run("gdaladdo", "-q", "-r", "nearest", plain, "2", "4");
        var compared = PythonReference.Run("compare_bands.py", new { a = nearest, b = plain, overview = 0 });
        Assert.True(compared.GetProperty("identical").GetBoolean(), compared.ToString());
    }
}
