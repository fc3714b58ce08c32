using System.IO.Compression;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests;

/// <summary>
/// The file policy of code that opens other people's files: in force only where it was applied (and in what that
/// code starts), GeoTIFF only, no virtual file systems, the engine's own in-memory and inline rasters still usable.
/// </summary>
public sealed class RasterFilePolicyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string GeoTiff() => SyntheticRaster.Write<byte>(_folder.File($"{Guid.NewGuid():N}.tif"), SyntheticRaster.Grid(8, 8), (c, r) => (byte)(c + r));

    private string VrtOf(string source)
    {
        var path = _folder.File($"{Guid.NewGuid():N}.tif");
        File.WriteAllText(path, $"""
            <VRTDataset rasterXSize="8" rasterYSize="8"><VRTRasterBand dataType="Byte" band="1"><SimpleSource>
            <SourceFilename relativeToVRT="0">{source}</SourceFilename><SourceBand>1</SourceBand></SimpleSource></VRTRasterBand></VRTDataset>
            """);
        return path;
    }

    [Fact]
    public void WithoutThePolicy_AVrtOpens_AsOnTheCommandLine()
    {
        using var vrt = RasterDataset.Open(VrtOf(GeoTiff()));
        Assert.Equal("VRT", vrt.DriverName);
    }

    [Fact]
    public async Task UnderThePolicy_OnlyGeoTiffsOpen_InWhatTheCodeStartsToo()
    {
        var tiff = GeoTiff();
        var vrt = VrtOf(tiff);
        await Task.Run(() =>
        {
            RasterFilePolicy.Apply(RasterFilePolicy.Service);
            using (var ok = RasterDataset.Open(tiff))
            {
                Assert.Equal("GTiff", ok.DriverName);
            }
            Assert.EndsWith(": not a raster in a format read here (GeoTIFF)", Assert.Throws<RasterOpenException>(() => RasterDataset.Open(vrt)).Message);
            Assert.Equal("/vsicurl/http://127.0.0.1:9/x.tif: only plain files are opened here, not GDAL virtual file systems, network addresses or subdatasets",
                Assert.Throws<RasterOpenException>(() => RasterDataset.Open("/vsicurl/http://127.0.0.1:9/x.tif")).Message);
            Assert.Throws<RasterOpenException>(() => RasterDataset.Open($"GTIFF_DIR:1:{tiff}"));
            // The engine's own inline rasters (warps of files opened under the policy) still open.
            using (var inline = RasterDataset.Open(File.ReadAllText(vrt)))
            {
                Assert.Equal(8, inline.Width);
            }
            var refused = 0;
            Parallel.For(0, 4, _ =>
            {
                if (Assert.Throws<RasterOpenException>(() => RasterDataset.Open(vrt)) is not null)
                {
                    Interlocked.Increment(ref refused);
                }
            });
            Assert.Equal(4, refused);
        });
        // Not here: the policy was applied inside the task only.
        using var outside = RasterDataset.Open(vrt);
        Assert.Equal("VRT", outside.DriverName);
    }

    [Fact]
    public async Task InsideOneFile_ItsMembersOpen_WithItsDriversOnly_AndNothingElseChanges()
    {
        var zip = _folder.File("product.zip");
        var other = _folder.File("other.zip");
        foreach (var archive in new[] { zip, other })
        {
            using var writing = ZipFile.Open(archive, ZipArchiveMode.Create);
            writing.CreateEntryFromFile(GeoTiff(), "bands/a.tif");
            writing.CreateEntryFromFile(VrtOf(GeoTiff()), "bands/b.tif");
        }
        var vrt = VrtOf(GeoTiff());
        await Task.Run(() =>
        {
            var policy = RasterFilePolicy.Service.Inside(zip, ["GTiff"]);
            RasterFilePolicy.Apply(policy);
            using (var member = RasterDataset.Open($"/vsizip/{{{zip}}}/bands/a.tif"))
            {
                Assert.Equal(("GTiff", 8), (member.DriverName, member.Width));
            }
            // Its drivers only (a VRT inside is refused), only this file, no climbing out, no other spelling.
            Assert.Throws<RasterOpenException>(() => RasterDataset.Open($"/vsizip/{{{zip}}}/bands/b.tif"));
            Assert.Throws<RasterOpenException>(() => RasterDataset.Open($"/vsizip/{{{other}}}/bands/a.tif"));
            Assert.Throws<RasterOpenException>(() => RasterDataset.Open($"/vsizip/{{{zip}}}/bands/../bands/a.tif"));
            Assert.Throws<RasterOpenException>(() => RasterDataset.Open($"/vsizip/{zip}/bands/a.tif"));
            Assert.Throws<RasterOpenException>(() => RasterDataset.Open($"/vsitar/{{{zip}}}/bands/a.tif"));
            // The rest of the policy is the service's.
            Assert.EndsWith(": not a raster in a format read here (GeoTIFF)", Assert.Throws<RasterOpenException>(() => RasterDataset.Open(vrt)).Message);
            Assert.Equal(policy.MaxBlockBytes, RasterFilePolicy.Service.MaxBlockBytes);
        });
        await Task.Run(() =>
        {
            RasterFilePolicy.Apply(RasterFilePolicy.Service);
            Assert.Throws<RasterOpenException>(() => RasterDataset.Open($"/vsizip/{{{zip}}}/bands/a.tif"));
        });
    }

    public void Dispose() => _folder.Dispose();
}
