namespace Tessera.Raster.Tests;

public class RasterPathsTests
{
    [Theory]
    [InlineData("B04.tif", true)]
    [InlineData("/data/B04.tif", true)]
    [InlineData("C:\\data\\B04.tif", true)]
    [InlineData("/data/odd:name.tif", true)]
    [InlineData("/vsicurl/https://example.com/B04.tif", false)]
    [InlineData("/vsizip/archive.zip/B04.tif", false)]
    [InlineData("NETCDF:\"file.nc\":ndvi", false)]
    [InlineData("HDF5:file.h5://band", false)]
    [InlineData("<VRTDataset rasterXSize=\"1\"/>", false)]
    public void IsPlainFile_TellsFilesFromGdalNames(string path, bool plain) =>
        Assert.Equal(plain, RasterPaths.IsPlainFile(path));

    [Fact]
    public void Normalize_LeavesGdalNamesAlone()
    {
        Assert.Equal("/vsicurl/https://example.com/x.tif", RasterPaths.Normalize("/vsicurl/https://example.com/x.tif"));
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "x.tif"), RasterPaths.Normalize("x.tif"));
    }
}
