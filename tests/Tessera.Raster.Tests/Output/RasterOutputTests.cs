using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Output;

public class RasterOutputTests
{
    private static string WriteConstant(TempFolder temp, string name, OutputOptions options, int size = 1200)
    {
        var grid = SyntheticRaster.Grid(size, size);
        using var output = RasterOutput.Begin(temp.File(name), options, grid, RasterDataType.Float32, ["NDVI"], double.NaN);
        var row = Enumerable.Range(0, size).Select(i => i / (float)size).ToArray();
        for (var r = 0; r < size; r++)
        {
            output.Dataset.Write<float>(1, new Window(0, r, size, 1), row);
        }
        output.Commit();
        Assert.False(output.OverviewsMadeInPass); // written row by row, not through the engine: GDAL makes them
        return temp.File(name);
    }

    [Fact]
    public void Cog_IsTiledCompressedWithOverviews_AndKeepsGridAndDescription()
    {
        using var temp = new TempFolder();
        var path = WriteConstant(temp, "out.tif", new OutputOptions());
        using var ds = RasterDataset.Open(path);
        Assert.Equal("COG", ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE"));
        Assert.Equal("ZSTD", ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"));
        Assert.Equal("3", ds.GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE"));
        var band = ds.Band(1);
        Assert.Equal(512, band.BlockWidth);
        Assert.True(band.OverviewCount >= 1);
        Assert.True(double.IsNaN(band.NoData!.Value));
        Assert.Equal("NDVI", band.Description);
        Assert.Equal(SyntheticRaster.Grid(1200, 1200).Transform, ds.GeoTransform);
        Assert.Equal([path], temp.Files());
    }

    [Fact]
    public void CreationOptions_OverrideDefaults()
    {
        using var temp = new TempFolder();
        var path = WriteConstant(temp, "out.tif", new OutputOptions("COG", ["COMPRESS=DEFLATE", "OVERVIEWS=NONE"]), size: 600);
        using var ds = RasterDataset.Open(path);
        Assert.Equal("DEFLATE", ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"));
        Assert.Equal(0, ds.Band(1).OverviewCount);
    }

    [Fact]
    public void GTiff_IsTiledAndUncompressedByDefault()
    {
        using var temp = new TempFolder();
        var path = WriteConstant(temp, "out.tif", new OutputOptions("GTiff"), size: 600);
        using var ds = RasterDataset.Open(path);
        Assert.Null(ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"));
        Assert.Equal(512, ds.Band(1).BlockWidth);
    }

    [Fact]
    public void Begin_UnknownFormatOrBadOption_IsRefused()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(4, 4);
        Assert.Throws<RasterArgumentException>(() => RasterOutput.Begin(temp.File("x.tif"), new OutputOptions("PNG"), grid, RasterDataType.Byte, ["x"], 0));
        Assert.Throws<RasterArgumentException>(() => RasterOutput.Begin(temp.File("x.tif"), new OutputOptions("COG", ["NOEQUALS"]), grid, RasterDataType.Byte, ["x"], 0));
        Assert.Empty(temp.Files());
    }

    [Fact]
    public void Begin_OverSomethingOtherThanAFile_IsRefused_AndLeavesItThere()
    {
        // A result is renamed over its path: a device or pipe there (-o /dev/null) would be replaced by a file.
        using var temp = new TempFolder();
        var pipe = temp.File("pipe.tif");
        ExternalTool.Run("mkfifo", pipe);
        foreach (var format in new[] { "COG", "GTiff" })
        {
            var error = Assert.Throws<RasterIOException>(() =>
                RasterOutput.Begin(pipe, new OutputOptions(format), SyntheticRaster.Grid(8, 8), RasterDataType.Float32, ["x"], double.NaN));
            Assert.Equal($"{pipe}: cannot write: it is a named pipe, not a file", error.Message);
        }
        Assert.Equal([pipe], temp.Files());
        ExternalTool.Run("test", "-p", pipe); // still the pipe it was
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNothing_AndKeepsAnExistingFile()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("out.tif"), "previous result");
        using (var output = RasterOutput.Begin(temp.File("out.tif"), new OutputOptions(), SyntheticRaster.Grid(8, 8), RasterDataType.Float32, ["x"], double.NaN))
        {
            output.Dataset.Write<float>(1, new Window(0, 0, 8, 8), new float[64]);
        }
        Assert.Equal([temp.File("out.tif")], temp.Files());
        Assert.Equal("previous result", File.ReadAllText(temp.File("out.tif")));
    }
}
