using Tessera.TestSupport;

namespace Tessera.Raster.Tests;

public class RasterDatasetTests
{
    [Fact]
    public void WriteThenRead_Window_RoundTripsValuesAndMetadata()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(40, 30);
        var path = SyntheticRaster.Write<ushort>(temp.File("a.tif"), grid, (c, r) => (ushort)(c * 100 + r),
            noData: 0, scale: 0.0001, offset: -0.1, description: "B04");

        using var ds = RasterDataset.Open(path);
        Assert.Equal(40, ds.Width);
        Assert.Equal(30, ds.Height);
        var band = ds.Band(1);
        Assert.Equal(RasterDataType.UInt16, band.DataType);
        Assert.Equal(0, band.NoData);
        Assert.Equal(0.0001, band.Scale, 12);
        Assert.Equal(-0.1, band.Offset, 12);
        Assert.True(band.HasScaleOffset);
        Assert.Equal("B04", band.Description);
        Assert.Equal(16, band.BlockWidth);
        Assert.Equal(grid.Transform, ds.GeoTransform);

        var window = new Window(5, 7, 3, 2);
        var values = new ushort[6];
        ds.Read<ushort>(1, window, values);
        Assert.Equal([507, 607, 707, 508, 608, 708], values);
    }

    [Fact]
    public void Crs_OfUtmRaster_HasEpsgCode()
    {
        using var temp = new TempFolder();
        var path = SyntheticRaster.Write<byte>(temp.File("a.tif"), SyntheticRaster.Grid(4, 4), (c, r) => 1);
        using var ds = RasterDataset.Open(path);
        using var srs = SpatialReference.FromWkt(ds.CrsWkt);
        Assert.Equal(32633, srs.EpsgCode);
    }

    [Fact]
    public void Open_MissingFile_NamesTheFile()
    {
        var e = Assert.Throws<RasterOpenException>(() => RasterDataset.Open("/nonexistent/x.tif"));
        Assert.Equal("/nonexistent/x.tif: file not found", e.Message);
    }

    [Fact]
    public void Open_TextFile_SaysNotARaster()
    {
        using var temp = new TempFolder();
        var path = temp.File("notes.tif");
        File.WriteAllText(path, "this is not a TIFF");
        var e = Assert.Throws<RasterOpenException>(() => RasterDataset.Open(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("not a raster", e.Message);
    }

    [Fact]
    public void Open_TruncatedTiff_FailsWithoutCrashing()
    {
        using var temp = new TempFolder();
        var good = SyntheticRaster.Write<ushort>(temp.File("good.tif"), SyntheticRaster.Grid(64, 64), (c, r) => (ushort)(c + r));
        var bytes = File.ReadAllBytes(good);
        var cut = temp.File("cut.tif");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 3)]);
        var e = Assert.ThrowsAny<RasterException>(() =>
        {
            using var ds = RasterDataset.Open(cut);
            ds.Read<float>(1, new Window(0, 0, 64, 64), new float[64 * 64]);
        });
        Assert.Contains("cut.tif", e.Message);
    }

    [Fact]
    public void Read_BandOutOfRange_SaysHowManyBandsThereAre()
    {
        using var temp = new TempFolder();
        var path = SyntheticRaster.Write<byte>(temp.File("a.tif"), SyntheticRaster.Grid(4, 4), (c, r) => 1);
        using var ds = RasterDataset.Open(path);
        var e = Assert.Throws<RasterArgumentException>(() => ds.Read<float>(3, new Window(0, 0, 4, 4), new float[16]));
        Assert.Equal($"{path}: band 3 does not exist (the raster has 1 band)", e.Message);
    }

    [Fact]
    public void Read_WindowOutsideRaster_IsRefused()
    {
        using var temp = new TempFolder();
        var path = SyntheticRaster.Write<byte>(temp.File("a.tif"), SyntheticRaster.Grid(4, 4), (c, r) => 1);
        using var ds = RasterDataset.Open(path);
        Assert.Throws<RasterArgumentException>(() => ds.Read<float>(1, new Window(2, 2, 4, 4), new float[16]));
        Assert.Throws<RasterArgumentException>(() => ds.Read<float>(1, new Window(0, 0, 4, 4), new float[15]));
    }

    [Fact]
    public void Create_InMissingFolder_NamesThePath()
    {
        var e = Assert.Throws<RasterIOException>(() =>
            RasterDataset.Create("/nonexistent-folder/x.tif", "GTiff", SyntheticRaster.Grid(4, 4), 1, RasterDataType.Byte));
        Assert.Contains("/nonexistent-folder/x.tif", e.Message);
    }
}
