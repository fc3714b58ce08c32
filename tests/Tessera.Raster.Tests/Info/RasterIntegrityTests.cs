using Tessera.Raster.Info;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Info;

/// <summary>Decoding every block of a file: a whole file passes; one whose last tile is cut off fails, naming it, whichever thread reads it.</summary>
public sealed class RasterIntegrityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>A 256 x 256 UInt16 DEFLATE file in 64-pixel tiles (its directory comes first, its tiles after, in order).</summary>
    private string Compressed()
    {
        var path = _folder.File($"{Guid.NewGuid():N}.tif");
        var grid = SyntheticRaster.Grid(256, 256);
        using var ds = RasterDataset.Create(path, "GTiff", grid, 2, RasterDataType.UInt16, ["TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=64", "COMPRESS=DEFLATE"]);
        var values = Enumerable.Range(0, 256 * 256).Select(i => (ushort)(i % 1000)).ToArray();
        ds.Write<ushort>(1, grid.FullWindow, values);
        ds.Write<ushort>(2, grid.FullWindow, values);
        ds.Close();
        return path;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Check_AWholeFile_Passes(int threads)
    {
        using var ds = RasterDataset.Open(Compressed());
        RasterIntegrity.Check(ds, threads: threads);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Check_AFileWhoseLastTilesAreCut_FailsNamingTheBand(int threads)
    {
        var path = Compressed();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 300)]);
        using var ds = RasterDataset.Open(path); // the directory is whole: it opens
        var e = Assert.Throws<RasterIOException>(() => RasterIntegrity.Check(ds, threads: threads));
        Assert.Contains(": cannot read band 1 (col 192, row 192, 64x64)", e.Message); // the last tile, bands interleaved in it
    }

    public void Dispose() => _folder.Dispose();
}
