using System.Security.Cryptography;
using Tessera.Catalog.Downloads;
using Tessera.Catalog.Remote;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Downloads;

/// <summary>Downloads from a real HTTP server on loopback (npm's http-server, which answers Range requests).</summary>
public sealed class AssetDownloaderTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly StaticHttpServer _server;
    private readonly byte[] _content;
    private readonly HttpClient _http = RemoteHttp.Client(AllowedHosts.Parse("127.0.0.1"));

    public AssetDownloaderTests()
    {
        _content = new byte[3_000_000];
        new Random(9).NextBytes(_content);
        Directory.CreateDirectory(_root.File("www"));
        File.WriteAllBytes(Path.Combine(_root.File("www"), "scene.tif"), _content);
        _server = StaticHttpServer.Serve(_root.File("www"));
    }

    private Uri Url => new(_server.Address, "scene.tif");

    private static string Checksum(byte[] bytes) => "1220" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task AWholeDownload_AppearsUnderItsNameOnlyWhenComplete_AndChecked()
    {
        var destination = _root.File("downloads/scene.tif");

        var size = await new AssetDownloader(_http).DownloadAsync(Url, destination, _content.Length, Checksum(_content), null, CancellationToken.None);

        Assert.Equal(_content.Length, size);
        Assert.Equal(_content, await File.ReadAllBytesAsync(destination));
        Assert.False(File.Exists(destination + ".part"));
        // Done already: a second call (another task) finds it without asking the server.
        _server.Dispose();
        Assert.Equal(_content.Length, await new AssetDownloader(_http).DownloadAsync(Url, destination, _content.Length, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task ABrokenDownload_ContinuesWithARangeRequest_FromWhereThePartEnds()
    {
        var destination = _root.File("downloads/scene.tif");
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        // A part whose bytes differ from the file's: were the whole file sent again, they would be overwritten.
        var half = _content.Length / 2;
        await File.WriteAllBytesAsync(destination + ".part", new byte[half]);

        await new AssetDownloader(_http).DownloadAsync(Url, destination, _content.Length, null, null, CancellationToken.None);

        var downloaded = await File.ReadAllBytesAsync(destination);
        Assert.Equal(new byte[half], downloaded[..half]);
        Assert.Equal(_content[half..], downloaded[half..]);
    }

    [Fact]
    public async Task AChecksumOrSizeThatDiffers_IsRefused_AndNothingIsKept()
    {
        var destination = _root.File("downloads/scene.tif");
        var wrong = Checksum([1, 2, 3]);

        var checksum = await Assert.ThrowsAsync<RemoteAccessException>(() =>
            new AssetDownloader(_http).DownloadAsync(Url, destination, null, wrong, null, CancellationToken.None));
        Assert.Equal($"{Url}: the file's SHA-256 is {Checksum(_content)[4..]}, not the {wrong[4..]} the catalog says", checksum.Message);
        Assert.False(File.Exists(destination) || File.Exists(destination + ".part"));

        var size = await Assert.ThrowsAsync<RemoteAccessException>(() =>
            new AssetDownloader(_http).DownloadAsync(Url, destination, 1234, null, null, CancellationToken.None));
        Assert.Equal($"{Url}: the server has {_content.Length} bytes where the catalog says 1234", size.Message);
        Assert.False(File.Exists(destination));
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _root.Dispose();
    }
}
