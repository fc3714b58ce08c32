using System.Globalization;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Output;

/// <summary>An uncompressed result is written into space reserved for it beforehand, and what was reserved past its end
/// is given back: the file takes on disk what its bytes need, read back as written.</summary>
public class PreallocationTests
{
    /// <summary>Bytes the file takes on disk (<c>stat</c>'s allocated blocks).</summary>
    private static long Allocated(string path)
    {
        var parts = ExternalTool.Output("stat", "-c", "%b %B", path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(parts[0], CultureInfo.InvariantCulture) * long.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Reserve_AllocatesWithoutChangingTheSize_AndReleaseGivesItBack()
    {
        using var temp = new TempFolder();
        var path = temp.File("f.bin");
        File.WriteAllBytes(path, new byte[4096]);
        Preallocation.Reserve(path, 8 << 20);
        Assert.Equal(4096, new FileInfo(path).Length);
        Assert.True(Allocated(path) >= 8 << 20, $"{Allocated(path)} bytes allocated after reserving 8 MiB");
        Preallocation.ReleaseBeyondEnd(path, 8 << 20);
        Assert.Equal(4096, new FileInfo(path).Length);
        Assert.True(Allocated(path) <= 64 << 10, $"{Allocated(path)} bytes still allocated for a 4 KiB file");
    }

    [Fact]
    public void AnUncompressedResult_IsReservedWhole_AndWithBlocksNeverWrittenTakesOnlyItsBytesOnDisk()
    {
        using var temp = new TempFolder();
        var path = temp.File("sparse.tif");
        var grid = SyntheticRaster.Grid(2048, 2048);
        var options = new OutputOptions(OutputFormats.GTiff, ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "SPARSE_OK=TRUE"]);
        // 16 MiB of Float32 are reserved when the file is made; no block is written, so GDAL stores none.
        using (var output = RasterOutput.Begin(path, options, grid, RasterDataType.Float32, ["field"], -9999))
        {
            var staging = output.Dataset.Path;
            Assert.True(Allocated(staging) >= 2048L * 2048 * 4, $"{Allocated(staging)} bytes reserved for 16 MiB of pixels");
            output.Commit();
        }
        var length = new FileInfo(path).Length;
        Assert.True(length < 1 << 20, $"an unwritten sparse file of {length} bytes");
        Assert.True(Allocated(path) <= length + (64 << 10), $"{Allocated(path)} bytes on disk for a file of {length}");
    }

    [Fact]
    public void AnUncompressedResult_ReadsBackAsTheSameResultCompressed_AndTakesWhatItsBytesNeed()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(1000, 700);
        float[] Write(string name, string compression)
        {
            var path = temp.File(name);
            var options = new OutputOptions(OutputFormats.GTiff, ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", $"COMPRESS={compression}"]);
            using (var output = RasterOutput.Begin(path, options, grid, RasterDataType.Float32, ["field"], -9999))
            {
                BlockEngine.Run(new BlockJob(grid, [], 1, () => new FieldKernel(0.5f), -9999, BlockSize: 256), output);
                output.Commit();
            }
            using var dataset = RasterDataset.Open(path);
            var values = new float[1000 * 700];
            dataset.Read(1, new Window(0, 0, 1000, 700), values.AsSpan());
            return values;
        }
        var plain = Write("plain.tif", "NONE");
        var deflated = Write("deflate.tif", "DEFLATE");
        Assert.Equal(deflated, plain);
        var length = new FileInfo(temp.File("plain.tif")).Length;
        Assert.True(length >= 1024L * 768 * 4, $"{length} bytes for 4 x 3 tiles of 256 x 256 Float32");
        Assert.True(Allocated(temp.File("plain.tif")) <= length + (64 << 10), $"{Allocated(temp.File("plain.tif"))} bytes on disk for a file of {length}");
    }
}
