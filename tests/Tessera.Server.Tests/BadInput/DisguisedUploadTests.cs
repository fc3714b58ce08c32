using System.IO.Compression;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using System.Text;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Api;
using Tessera.TestSupport;
using static Tessera.Server.Tests.BadInput.TiffBytes;

namespace Tessera.Server.Tests.BadInput;

/// <summary>
/// Files that are not what their name says (VRT, WMS and other XML dressed as .tif, pointing at server files,
/// another user's stored file or internal addresses) and files that declare far more than they hold (one tile of
/// 65536 x 65536 in 200 bytes, millions of blocks, an overview of gigantic tiles, absurd sizes): each is refused
/// with a 400 naming the upload; nothing is stored, no request leaves the server, the service stays up. A VRT
/// that got into the store before these checks fails its task at download, naming the input, and its preview and
/// tiles answer 422.
/// </summary>
public sealed class DisguisedUploadTests : IAsyncLifetime
{
    private RunningServer? _server;
    private TcpListener? _internal;
    private int _connections;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 1, PollInterval: TimeSpan.FromMilliseconds(200)), url),
            ("alice", "alice", Role.Write), ("bob", "bob", Role.Write));
        // An "internal service" on loopback: nothing the server is given may make it connect here.
        _internal = new TcpListener(IPAddress.Loopback, 0);
        _internal.Start();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await _internal.AcceptTcpClientAsync();
                Interlocked.Increment(ref _connections);
            }
        });
    }

    public async Task DisposeAsync()
    {
        _internal!.Stop();
        await _server!.DisposeAsync();
    }

    private int InternalPort => ((IPEndPoint)_internal!.LocalEndpoint).Port;

    private static async Task<(int Status, string Detail)> UploadAsync(HttpClient http, byte[] bytes, string name)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        using var response = await http.PostAsync("/files", form);
        var body = await response.Content.ReadAsStringAsync();
        var detail = body.TrimStart().StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        return ((int)response.StatusCode, detail);
    }

    private string StoredPathOf(long id) =>
        Directory.GetFiles(Path.Combine(_server!.Data.Path, "files"), "*", SearchOption.AllDirectories)
            .Single(p => Path.GetFileName(Path.GetDirectoryName(p)!) == _server.Get<Tessera.Catalog.Files.FileStore>()
                .GetAsync(id, null).GetAwaiter().GetResult()!.RelativePath.Split('/')[1] && !p.EndsWith(".png") && !p.EndsWith(".json"));

    private IEnumerable<(string Name, string Content)> Disguised(string bobsFile)
    {
        yield return ("passwd.tif", """
            <VRTDataset rasterXSize="16" rasterYSize="16"><VRTRasterBand dataType="Byte" band="1" subClass="VRTRawRasterBand">
            <SourceFilename relativeToVRT="0">/etc/passwd</SourceFilename><ImageOffset>0</ImageOffset><PixelOffset>1</PixelOffset><LineOffset>16</LineOffset>
            </VRTRasterBand></VRTDataset>
            """);
        yield return ("environ.tif", """
            <VRTDataset rasterXSize="64" rasterYSize="1"><VRTRasterBand dataType="Byte" band="1" subClass="VRTRawRasterBand">
            <SourceFilename relativeToVRT="0">/proc/self/environ</SourceFilename><ImageOffset>0</ImageOffset><PixelOffset>1</PixelOffset><LineOffset>64</LineOffset>
            </VRTRasterBand></VRTDataset>
            """);
        yield return ("bobs.tif", $"""
            <VRTDataset rasterXSize="32" rasterYSize="32"><VRTRasterBand dataType="UInt16" band="1"><SimpleSource>
            <SourceFilename relativeToVRT="0">{bobsFile}</SourceFilename><SourceBand>1</SourceBand></SimpleSource></VRTRasterBand></VRTDataset>
            """);
        yield return ("wms.tif", $$"""
            <GDAL_WMS><Service name="TMS"><ServerUrl>http://127.0.0.1:{{InternalPort}}/${z}/${x}/${y}.png</ServerUrl></Service>
            <DataWindow><UpperLeftX>-20037508.34</UpperLeftX><UpperLeftY>20037508.34</UpperLeftY><LowerRightX>20037508.34</LowerRightX>
            <LowerRightY>-20037508.34</LowerRightY><TileLevel>1</TileLevel><TileCountX>1</TileCountX><TileCountY>1</TileCountY></DataWindow>
            <Projection>EPSG:3857</Projection><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY><BandsCount>1</BandsCount></GDAL_WMS>
            """);
        yield return ("curl.tif", $"""
            <VRTDataset rasterXSize="16" rasterYSize="16"><VRTRasterBand dataType="Byte" band="1"><SimpleSource>
            <SourceFilename relativeToVRT="0">/vsicurl/http://127.0.0.1:{InternalPort}/secret.tif</SourceFilename><SourceBand>1</SourceBand>
            </SimpleSource></VRTRasterBand></VRTDataset>
            """);
        yield return ("page.tif", "<html><body>not a raster</body></html>");
        yield return ("data.tif", """{"type": "FeatureCollection", "features": []}""");
        yield return ("name.tif", $"/vsicurl/http://127.0.0.1:{InternalPort}/x.tif");
    }

    [Fact]
    public async Task VrtWmsAndOtherTextDressedAsTiff_AreRefused_NothingIsStored_AndNoRequestLeaves()
    {
        var bob = _server!.Client("bob");
        var bobsId = await bob.UploadAsync(SyntheticRaster.Write<ushort>(_server.Data.File("b.src"), SyntheticRaster.Grid(32, 32), (c, r) => 7), "b.tif");
        var alice = _server.Client("alice");
        foreach (var (name, content) in Disguised(StoredPathOf(bobsId)))
        {
            var (status, detail) = await UploadAsync(alice, Encoding.UTF8.GetBytes(content), name);
            Assert.Equal(400, status);
            Assert.Equal($"{name}: not a raster in a format read here (GeoTIFF)", detail);
        }
        await Task.Delay(500);
        Assert.Equal(0, _connections);
        Assert.Equal(0, (await ApiCalls.Data(await alice.GetAsync("/files"))).GetProperty("total").GetInt64());
        Assert.Empty(Directory.GetFiles(Path.Combine(_server.Data.Path, "incoming")));
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task AVrtThatGotIntoTheStoreBeforeTheChecks_FailsItsTaskAtDownload_AndItsPreviewAndTilesAre422()
    {
        var alice = _server!.Client("alice");
        var id = await alice.UploadAsync(SyntheticRaster.Write<ushort>(_server.Data.File("a.src"), SyntheticRaster.Grid(32, 32), (c, r) => 9), "old.tif");
        // As a store written before the file policy could hold it: the stored bytes are a VRT reading /etc/passwd.
        await File.WriteAllTextAsync(StoredPathOf(id), Disguised("").First().Content);

        // A new task on it is refused when it is added: validation reads the inputs' headers, naming the input, not its path.
        using (var refused = await alice.PostAsJsonAsync("/processtask/addTask",
            new { name = "old", type = 7, inputs = new { nir = new { fileId = id }, red = new { fileId = id } } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
            Assert.Equal($"inputs: input 'nir' (file {id}): not a raster in a format read here (GeoTIFF)", problem);
        }
        // A task queued before (as the store held it): it fails at DOWNLOAD, naming the input.
        var queued = await _server.Get<Tessera.Tasks.Stores.ITaskStore>().CreateAsync(new Tessera.Tasks.NewTask("old", new Tessera.Tasks.TaskType(7), "alice",
            $$$"""{"nir": {"fileId": {{{id}}}}, "red": {"fileId": {{{id}}}}}"""));
        _server.Get<Tessera.Tasks.Workers.TaskSignal>().Notify();
        var detail = await alice.WaitToEndAsync(queued.Id);
        Assert.Equal(9, detail.GetProperty("status").GetInt32()); // DOWNLOAD_FAILED
        Assert.Equal($"input 'nir' (file {id}): not a raster in a format read here (GeoTIFF)", detail.GetProperty("errorMessage").GetString());
        foreach (var path in new[] { $"/files/{id}/preview.png", $"/tiles/{id}/0/0/0.png" })
        {
            using var response = await alice.GetAsync(path);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
            Assert.EndsWith(": not a raster in a format read here (GeoTIFF)", problem);
            Assert.DoesNotContain("/", problem);
        }
        Assert.Equal(0, _connections);
    }

    private static byte[] Deflated(int bytes)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[bytes]);
        }
        return output.ToArray();
    }

    [Fact]
    public async Task FilesThatDeclareFarMoreThanTheyHold_AreRefused_NamingWhat()
    {
        var alice = _server!.Client("alice");
        var data = Deflated(4096);
        // One 65536 x 65536 tile: 4 GiB to decode, in a couple of hundred bytes.
        var oneTile = Build([[L(256, 65536), L(257, 65536), S(258, 8), S(259, 8), S(262, 1), S(277, 1), S(284, 1), L(322, 65536), L(323, 65536),
            L(324, 0), L(325, (uint)data.Length)]], data, out var at);
        oneTile = Build([[L(256, 65536), L(257, 65536), S(258, 8), S(259, 8), S(262, 1), S(277, 1), S(284, 1), L(322, 65536), L(323, 65536),
            L(324, at), L(325, (uint)data.Length)]], data);
        Assert.True(oneTile.Length < 300, $"{oneTile.Length} bytes");
        Assert.Equal((400, "one-tile.tif: band 1 declares blocks of 65536 x 65536 pixels (4096 MiB each; at most 64 MiB are read here): tile it first, e.g. gdal_translate -co TILED=YES"),
            await UploadAsync(alice, oneTile, "one-tile.tif"));

        // 100 000 x 100 000 in 256-pixel tiles: 152 881 blocks whose entries a 2 KB file cannot hold.
        var manyBlocks = Build([[L(256, 100_000), L(257, 100_000), S(258, 8), S(259, 1), S(262, 1), S(277, 1), S(284, 1), L(322, 256), L(323, 256),
            new Entry(324, Long, Enumerable.Repeat(0u, 256).ToArray()), new Entry(325, Long, Enumerable.Repeat(0u, 256).ToArray())]]);
        var (status, detail) = await UploadAsync(alice, manyBlocks, "many-blocks.tif");
        Assert.Equal(400, status);
        Assert.Equal("many-blocks.tif: declares 100000 x 100000 pixels in more blocks than a file of 2194 bytes can hold", detail);

        // A small image whose overview declares 32768 x 32768 tiles of 64-bit floats (8 GiB each).
        var overview = Build([
            [L(256, 256), L(257, 256), S(258, 8), S(259, 1), S(262, 1), S(277, 1), S(284, 1), L(322, 256), L(323, 256), L(324, 0), L(325, 0)],
            [L(254, 1), L(256, 128), L(257, 128), S(258, 64), S(259, 1), S(262, 1), S(277, 1), S(284, 1), S(339, 3), L(322, 32768), L(323, 32768), L(324, 0), L(325, 0)]]);
        (status, detail) = await UploadAsync(alice, overview, "overview.tif");
        Assert.Equal(400, status);
        Assert.Equal("overview.tif: overview 1 of band 1 declares blocks of 32768 x 32768 pixels (8192 MiB each; at most 64 MiB are read here): "
            + "tile it first, e.g. gdal_translate -co TILED=YES", detail);

        // Wider than any side accepted here (400 000), with every pixel really in the file.
        var wide = Build([[L(256, 500_000), L(257, 1), S(258, 8), S(259, 1), S(262, 1), S(277, 1), S(284, 1), L(278, 1), L(273, 0), L(279, 500_000)]],
            new byte[500_000], out var pixels);
        wide = Build([[L(256, 500_000), L(257, 1), S(258, 8), S(259, 1), S(262, 1), S(277, 1), S(284, 1), L(278, 1), L(273, pixels), L(279, 500_000)]],
            new byte[500_000]);
        Assert.Equal((400, "wide.tif: 500000 x 1 pixels is not a size accepted here (at most 400000 a side)"), await UploadAsync(alice, wide, "wide.tif"));

        Assert.Equal(0, (await ApiCalls.Data(await alice.GetAsync("/files"))).GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task HostileUploadNames_AreRefusedNamingTheRule_AndNothingIsWrittenOutside()
    {
        var alice = _server!.Client("alice");
        var raster = await File.ReadAllBytesAsync(SyntheticRaster.Write<byte>(_server.Data.File("h.src"), SyntheticRaster.Grid(8, 8), (c, r) => 1));
        var tokens = await File.ReadAllBytesAsync(Path.Combine(_server.Data.Path, "tokens.json"));
        foreach (var (name, rule) in new[]
                 {
                     ("../../tokens.json", "starts with '.'"), ("a/../../b.tif", "contains '/', '\\' or ':'"), ("C:evil.tif", "contains '/', '\\' or ':'"),
                     (".hidden.tif", "starts with '.'"), (new string('x', 250) + ".tif", "is longer than 200 characters"),
                 })
        {
            var (status, detail) = await UploadAsync(alice, raster, name);
            Assert.Equal(400, status);
            Assert.Contains($"is not accepted ({rule}): give a plain name such as B04.tif", detail);
        }
        Assert.Equal(tokens, await File.ReadAllBytesAsync(Path.Combine(_server.Data.Path, "tokens.json")));
        Assert.Equal(new[] { "files", "incoming", "tessera.db", "tokens.json" },
            Directory.EnumerateFileSystemEntries(_server.Data.Path).Select(p => Path.GetFileName(p)).Where(n => !n.StartsWith("tessera.db-") && !n.EndsWith(".src")).Order());
    }
}
