using Tessera.Raster.Blocks;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Output;

/// <summary>
/// The COG written in the processing pass: accepted by GDAL's own validator (full check: tile leaders and trailers),
/// the full resolution bit for bit what the plain GeoTIFF path stores, every overview level what GDAL's COG driver
/// computes from those pixels, the same file as rasterio reads it, and about the size GDAL writes with the same options.
/// </summary>
public class CogInPassTests
{
    private const string Validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";

    private static RasterOutput Run(string path, OutputOptions options, int width, int height, RasterDataType type,
        double noData, float scale, int bands = 1)
    {
        var grid = SyntheticRaster.Grid(width, height);
        var output = RasterOutput.Begin(path, options, grid, type, Enumerable.Range(1, bands).Select(b => $"field {b}").ToList(), noData);
        BlockEngine.Run(new BlockJob(grid, [], bands, () => new FieldKernel(scale, bands), noData), output);
        output.Commit();
        return output;
    }

    /// <summary>GDAL's COG driver on the plain GeoTIFF of the same pixels, with the same options.</summary>
    private static string GdalCog(TempFolder temp, string plain, params string[] options)
    {
        var path = temp.File($"gdal-{Guid.NewGuid():N}.tif");
        var args = new List<string> { "-q", "-of", "COG" };
        foreach (var option in options)
        {
            args.Add("-co");
            args.Add(option);
        }
        args.AddRange([plain, path]);
        ExternalTool.Run("gdal_translate", [.. args]);
        return path;
    }

    private static void AssertSameAsGdal(string ours, string gdal, int bands, int levels)
    {
        ExternalTool.Run("/usr/bin/python3", Validator, "-q", "--full-check=yes", ours);
        using (var a = RasterDataset.Open(ours))
        using (var b = RasterDataset.Open(gdal))
        {
            Assert.Equal("COG", a.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE"));
            Assert.Equal(levels, a.Band(1).OverviewCount);
            Assert.Equal(b.Band(1).OverviewCount, a.Band(1).OverviewCount);
            Assert.Equal(b.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"), a.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"));
            Assert.Equal(b.GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE"), a.GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE"));
            Assert.Equal(b.GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE"), a.GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE"));
        }
        for (var band = 1; band <= bands; band++)
        {
            foreach (int? level in new int?[] { null }.Concat(Enumerable.Range(0, levels).Select(l => (int?)l)))
            {
                var compared = PythonReference.Run("compare_bands.py", new { a = ours, aBand = band, b = gdal, bBand = band, overview = level });
                Assert.True(compared.GetProperty("identical").GetBoolean(), $"band {band}, overview {level}: {compared}");
                Assert.True(compared.GetProperty("nodataCount").GetInt64() > 0, compared.ToString());
            }
        }
        var read = PythonReference.Run("cog_reading.py", new { path = ours });
        Assert.True(read.GetProperty("identical").GetBoolean(), read.ToString());
    }

    [Fact]
    public void Float32_WrittenInThePass_IsGdalsCog_BitForBit()
    {
        using var temp = new TempFolder();
        using var cog = Run(temp.File("cog.tif"), new OutputOptions(), 1800, 1300, RasterDataType.Float32, double.NaN, 1);
        Assert.True(cog.WrittenInPass);
        Assert.True(cog.OverviewsMadeInPass);
        Assert.True(cog.StatisticsStored);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), 1800, 1300, RasterDataType.Float32, double.NaN, 1);
        Assert.False(plain.WrittenInPass);
        var gdal = GdalCog(temp, temp.File("plain.tif"), "COMPRESS=ZSTD", "LEVEL=1", "PREDICTOR=YES", "OVERVIEW_RESAMPLING=AVERAGE");
        AssertSameAsGdal(temp.File("cog.tif"), gdal, 1, 2);
        var compared = PythonReference.Run("compare_bands.py", new { a = temp.File("cog.tif"), b = temp.File("plain.tif") });
        Assert.True(compared.GetProperty("identical").GetBoolean(), compared.ToString());

        // What rasterio reports: the grid, CRS, nodata and description kept.
        var read = PythonReference.Run("cog_reading.py", new { path = temp.File("cog.tif") });
        var grid = SyntheticRaster.Grid(1800, 1300);
        Assert.Equal(grid.Transform.ToArray()[1], read.GetProperty("transform")[0].GetDouble());
        Assert.Equal(grid.Transform.ToArray()[0], read.GetProperty("transform")[2].GetDouble());
        Assert.Equal(grid.Transform.ToArray()[3], read.GetProperty("transform")[5].GetDouble());
        Assert.Equal("nan", read.GetProperty("nodata").GetString());
        Assert.Equal("field 1", read.GetProperty("descriptions")[0].GetString());
        using var ours = RasterDataset.Open(temp.File("cog.tif"));
        using var reference = RasterDataset.Open(temp.File("plain.tif"));
        Assert.Equal(reference.CrsWkt, ours.CrsWkt);

        // Within 5 % of the size GDAL writes.
        var size = new FileInfo(temp.File("cog.tif")).Length;
        var gdalSize = new FileInfo(gdal).Length;
        Assert.InRange(size, gdalSize * 0.95, gdalSize * 1.05);
    }

    [Theory]
    [InlineData(2060, 1300)] // deeper levels of odd size: 515 -> 257 and 325 -> 162 weigh fractional pixels, as GDAL does
    [InlineData(1024, 2048)] // levels down to one tile: 512 x 1024, 256 x 512
    [InlineData(2058, 1302)] // an even size whose first level is odd (1029 x 651): the second averaged from its rows
    public void DeeperLevels_OfAnySize_AreGdals(int width, int height)
    {
        using var temp = new TempFolder();
        using var cog = Run(temp.File("cog.tif"), new OutputOptions(), width, height, RasterDataType.Float32, -9999, 100);
        Assert.True(cog.WrittenInPass);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), width, height, RasterDataType.Float32, -9999, 100);
        var gdal = GdalCog(temp, temp.File("plain.tif"), "COMPRESS=ZSTD", "LEVEL=1", "PREDICTOR=YES", "OVERVIEW_RESAMPLING=AVERAGE");
        using var g = RasterDataset.Open(gdal);
        AssertSameAsGdal(temp.File("cog.tif"), gdal, 1, g.Band(1).OverviewCount);
    }

    [Theory]
    [InlineData(RasterDataType.UInt16, 0, 900.5f)] // values 0.5 apart around integers: every rounding case, and nodata 0
    [InlineData(RasterDataType.Int16, -9999, 1000.5f)] // negative values too
    [InlineData(RasterDataType.Byte, 255, 120.5f)] // clipped at both ends of the range
    public void Integers_RoundAsGdalDoes_InEveryBand(RasterDataType type, double noData, float scale)
    {
        using var temp = new TempFolder();
        using var cog = Run(temp.File("cog.tif"), new OutputOptions(), 1800, 1300, type, noData, scale, bands: 3);
        Assert.True(cog.WrittenInPass);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), 1800, 1300, type, noData, scale, bands: 3);
        var gdal = GdalCog(temp, temp.File("plain.tif"), "COMPRESS=ZSTD", "LEVEL=1", "PREDICTOR=YES", "OVERVIEW_RESAMPLING=AVERAGE");
        AssertSameAsGdal(temp.File("cog.tif"), gdal, 3, 2);
    }

    [Theory]
    [InlineData("DEFLATE", "YES")]
    [InlineData("DEFLATE", "NO")]
    [InlineData("LZW", "YES")]
    [InlineData("LZW", "NO")]
    [InlineData("ZSTD", "NO")]
    [InlineData("NONE", "NO")] // one band: GDAL stores several uncompressed bands band by band, which it then writes itself
    public void OtherCompressions_ReadTheSame_AndAreAboutGdalsSize(string compress, string predictor)
    {
        using var temp = new TempFolder();
        string[] options = [$"COMPRESS={compress}", $"PREDICTOR={predictor}"];
        var bands = compress == "NONE" ? 1 : 2;
        using var cog = Run(temp.File("cog.tif"), new OutputOptions("COG", options), 1800, 1300, RasterDataType.UInt16, 0, 900.5f, bands);
        Assert.True(cog.WrittenInPass);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), 1800, 1300, RasterDataType.UInt16, 0, 900.5f, bands);
        var gdal = GdalCog(temp, temp.File("plain.tif"), [.. CreationOptions.Merge(RasterOutput.DefaultCogOptions(), options)]);
        AssertSameAsGdal(temp.File("cog.tif"), gdal, bands, 2);
        var size = new FileInfo(temp.File("cog.tif")).Length;
        var gdalSize = new FileInfo(gdal).Length;
        Assert.InRange(size, gdalSize * 0.95, gdalSize * 1.05);
    }

    [Fact]
    public void BigTiff_WhenAsked()
    {
        using var temp = new TempFolder();
        using var cog = Run(temp.File("cog.tif"), new OutputOptions("COG", ["BIGTIFF=YES"]), 1800, 1300, RasterDataType.Float32, double.NaN, 1);
        Assert.True(cog.WrittenInPass);
        var header = File.ReadAllBytes(temp.File("cog.tif")).AsSpan(0, 4).ToArray();
        Assert.Equal(new byte[] { (byte)'I', (byte)'I', 43, 0 }, header);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), 1800, 1300, RasterDataType.Float32, double.NaN, 1);
        var gdal = GdalCog(temp, temp.File("plain.tif"), "COMPRESS=ZSTD", "LEVEL=1", "PREDICTOR=YES", "OVERVIEW_RESAMPLING=AVERAGE");
        AssertSameAsGdal(temp.File("cog.tif"), gdal, 1, 2);
    }

    [Theory]
    [InlineData("LERC", RasterDataType.Float32, 1, double.NaN)] // NaN masked out
    [InlineData("LERC_ZSTD", RasterDataType.Float32, 2, -9999)] // several bands: nodata other than NaN
    [InlineData("LERC_ZSTD", RasterDataType.Int16, 3, -9999)]
    [InlineData("LERC_DEFLATE", RasterDataType.UInt16, 2, 0)]
    public void Lerc_Lossless_IsGdals(string compress, RasterDataType type, int bands, double noData)
    {
        using var temp = new TempFolder();
        string[] options = [$"COMPRESS={compress}"];
        using var cog = Run(temp.File("cog.tif"), new OutputOptions("COG", options), 1800, 1300, type, noData, 100.5f, bands);
        Assert.True(cog.WrittenInPass);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), 1800, 1300, type, noData, 100.5f, bands);
        var gdal = GdalCog(temp, temp.File("plain.tif"), [.. CreationOptions.Merge(RasterOutput.DefaultCogOptions(), options)]);
        AssertSameAsGdal(temp.File("cog.tif"), gdal, bands, 2);
        Assert.InRange(new FileInfo(temp.File("cog.tif")).Length, new FileInfo(gdal).Length * 0.95, new FileInfo(gdal).Length * 1.05);
    }

    [Fact]
    public void Lerc_MaxZError_KeepsEveryValueWithinIt()
    {
        using var temp = new TempFolder();
        string[] options = ["COMPRESS=LERC_ZSTD", "MAX_Z_ERROR=0.05"];
        using var cog = Run(temp.File("cog.tif"), new OutputOptions("COG", options), 1800, 1300, RasterDataType.Float32, double.NaN, 100.5f);
        Assert.True(cog.WrittenInPass);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), 1800, 1300, RasterDataType.Float32, double.NaN, 100.5f);
        var gdal = GdalCog(temp, temp.File("plain.tif"), [.. CreationOptions.Merge(RasterOutput.DefaultCogOptions(), options)]);
        ExternalTool.Run("/usr/bin/python3", Validator, "-q", "--full-check=yes", temp.File("cog.tif"));
        for (var band = 1; band <= 1; band++)
        {
            // The full resolution within the error of the exact values, and really quantised.
            var exact = PythonReference.Run("compare_bands.py", new { a = temp.File("cog.tif"), aBand = band, b = temp.File("plain.tif"), bBand = band });
            Assert.True(exact.GetProperty("maskEqual").GetBoolean(), exact.ToString());
            // (LERC keeps the error in double; the decoded value is then rounded to float: half an ulp near 100, 4e-6.)
            Assert.InRange(exact.GetProperty("maxAbsDiff").GetDouble(), 1e-6, 0.05 + 1e-5);
            // Every overview within the error of GDAL's (both quantise the same exact averages).
            foreach (var level in new[] { 0, 1 })
            {
                var overview = PythonReference.Run("compare_bands.py", new { a = temp.File("cog.tif"), aBand = band, b = gdal, bBand = band, overview = level });
                Assert.True(overview.GetProperty("maskEqual").GetBoolean(), overview.ToString());
                Assert.InRange(overview.GetProperty("maxAbsDiff").GetDouble(), 0, 0.1 + 2e-5);
            }
        }
        var read = PythonReference.Run("cog_reading.py", new { path = temp.File("cog.tif") });
        Assert.True(read.GetProperty("identical").GetBoolean(), read.ToString());
        Assert.InRange(new FileInfo(temp.File("cog.tif")).Length, new FileInfo(gdal).Length * 0.95, new FileInfo(gdal).Length * 1.05);
    }

    [Fact]
    public void Lerc_WithNaNInSeveralBands_IsRefused_AndLeavesNothing()
    {
        // GDAL's libtiff (4.5) cannot decode a LERC mask over several bands: what it would write reads back wrong or not at all.
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(1800, 1300);
        using (var output = RasterOutput.Begin(temp.File("cog.tif"), new OutputOptions("COG", ["COMPRESS=LERC"]), grid, RasterDataType.Float32,
            ["a", "b"], double.NaN))
        {
            var error = Assert.Throws<RasterException>(() =>
                BlockEngine.Run(new BlockJob(grid, [], 2, () => new FieldKernel(1, 2), double.NaN), output));
            Assert.Contains("NaN", error.Message);
            Assert.Contains("another compression", error.Message);
        }
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Theory]
    [InlineData("COMPRESS=LZMA")] // another codec
    [InlineData("OVERVIEW_RESAMPLING=BILINEAR")] // another resampling
    [InlineData("BLOCKSIZE=256")] // tiles other than the engine's blocks
    public void WhatThePassDoesNotWrite_GdalStillDoes(string option)
    {
        using var temp = new TempFolder();
        using var cog = Run(temp.File("cog.tif"), new OutputOptions("COG", [option]), 1800, 1300, RasterDataType.Float32, double.NaN, 1);
        Assert.False(cog.WrittenInPass);
        ExternalTool.Run("/usr/bin/python3", Validator, "-q", cog.FinalPath);
    }

    [Theory]
    [InlineData(1801, 1300, RasterDataType.Float32, -9999)] // the first level's pixels straddle blocks: whole rows averaged
    [InlineData(2061, 1301, RasterDataType.UInt16, 0)] // odd both ways, and odd deeper levels
    [InlineData(1200, 3001, RasterDataType.Int16, -9999)]
    public void OddSizes_AreWrittenInThePass_WithGdalsOverviews(int width, int height, RasterDataType type, double noData)
    {
        using var temp = new TempFolder();
        using var cog = Run(temp.File("cog.tif"), new OutputOptions(), width, height, type, noData, 100.5f, bands: 2);
        Assert.True(cog.WrittenInPass);
        Assert.True(cog.StatisticsStored);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), width, height, type, noData, 100.5f, bands: 2);
        var gdal = GdalCog(temp, temp.File("plain.tif"), "COMPRESS=ZSTD", "LEVEL=1", "PREDICTOR=YES", "OVERVIEW_RESAMPLING=AVERAGE");
        using var g = RasterDataset.Open(gdal);
        AssertSameAsGdal(temp.File("cog.tif"), gdal, 2, g.Band(1).OverviewCount);
    }

    [Theory]
    [InlineData(2060, 1300, RasterDataType.Byte, 255)] // even: the first two levels halved on the computing threads
    [InlineData(2058, 1302, RasterDataType.UInt16, 0)] // an odd first level: the second taken from its rows
    [InlineData(2061, 1301, RasterDataType.Float32, -9999)] // odd: every level from rows, ratios other than 2
    public void NearestOverviews_AreGdals(int width, int height, RasterDataType type, double noData)
    {
        using var temp = new TempFolder();
        string[] options = ["OVERVIEW_RESAMPLING=NEAREST"];
        using var cog = Run(temp.File("cog.tif"), new OutputOptions("COG", options), width, height, type, noData, 100.5f, bands: 2);
        Assert.True(cog.WrittenInPass);
        using var plain = Run(temp.File("plain.tif"), new OutputOptions("GTiff"), width, height, type, noData, 100.5f, bands: 2);
        var gdal = GdalCog(temp, temp.File("plain.tif"), [.. CreationOptions.Merge(RasterOutput.DefaultCogOptions(), options)]);
        using var g = RasterDataset.Open(gdal);
        AssertSameAsGdal(temp.File("cog.tif"), gdal, 2, g.Band(1).OverviewCount);
    }

    [Fact]
    public void AFailedPass_LeavesNothing()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(1800, 1300);
        using (var output = RasterOutput.Begin(temp.File("cog.tif"), new OutputOptions(), grid, RasterDataType.Float32, ["x"], double.NaN))
        {
            Assert.Throws<RasterException>(() => BlockEngine.Run(new BlockJob(grid, [], 1, () => new FailingKernel(), double.NaN), output));
        }
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    private sealed class FailingKernel : IBlockKernel
    {
        public void Process(RasterBlock block)
        {
            if (block.Window.RowOffset >= 512)
            {
                throw new RasterException("this block fails");
            }
        }
    }
}
