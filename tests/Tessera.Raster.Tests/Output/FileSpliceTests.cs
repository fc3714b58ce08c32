using Tessera.Raster.Output.Cog;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Output;

public class FileSpliceTests
{
    [Theory]
    [InlineData(true)] // in place (ext4 and XFS insert the range)
    [InlineData(false)] // rewritten, as on file systems that cannot
    public void InsertFront_MovesTheContentsBack_AndLeavesZerosInFront(bool inPlace)
    {
        using var temp = new TempFolder();
        var path = temp.File("f.bin");
        var contents = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 + 3)).ToArray();
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite);
        file.Write(contents);
        using (var result = FileSplice.InsertFront(file, path, 3 * FileSplice.BlockSize, inPlace))
        {
            Assert.Equal(3 * FileSplice.BlockSize + contents.Length, result.Length);
        }
        file.Dispose();
        var bytes = File.ReadAllBytes(path);
        Assert.All(bytes.Take((int)(3 * FileSplice.BlockSize)), b => Assert.Equal(0, b));
        Assert.Equal(contents, bytes.Skip((int)(3 * FileSplice.BlockSize)));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Copy_CopiesARange_BetweenFiles()
    {
        using var temp = new TempFolder();
        var contents = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();
        File.WriteAllBytes(temp.File("a"), contents);
        using (var a = new FileStream(temp.File("a"), FileMode.Open, FileAccess.Read))
        using (var b = new FileStream(temp.File("b"), FileMode.CreateNew, FileAccess.ReadWrite))
        {
            b.SetLength(50_000);
            FileSplice.Copy(a.SafeFileHandle, 1000, b.SafeFileHandle, 10, 40_000);
        }
        var copied = File.ReadAllBytes(temp.File("b"));
        Assert.Equal(contents.Skip(1000).Take(40_000), copied.Skip(10).Take(40_000));
        Assert.All(copied.Take(10), x => Assert.Equal(0, x));
    }
}
