using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// geospaas_processing's download manager, copier and upkeep tasks over the service: six scenes of a harvested
/// collection, their two files each served by a real HTTP server on loopback, are selected by time, downloaded as
/// tasks (one per scene) and delivered to a folder of the server (dated folders, flag files, links, time to live,
/// the delivered copy recorded with save_path); a selection larger than max_downloads is refused whole before
/// anything starts; downloads are removed, archived (checked with tar) and cleaned up by date.
/// </summary>
public sealed class CatalogDownloadTests : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private readonly TempFolder _out = new();
    private StaticHttpServer? _source;
    private RunningServer? _server;
    private HttpClient _root = new();
    private HttpClient _alice = new();

    /// <summary>The scenes: id and time (the files "a" and "b" of each are distinct random bytes).</summary>
    private static readonly (string Id, DateTimeOffset Time)[] Scenes =
    [
        ("scene-1", new DateTimeOffset(2024, 1, 3, 10, 0, 0, TimeSpan.Zero)),
        ("scene-2", new DateTimeOffset(2024, 1, 20, 10, 0, 0, TimeSpan.Zero)),
        ("scene-3", new DateTimeOffset(2024, 2, 2, 10, 0, 0, TimeSpan.Zero)),
        ("scene-4", new DateTimeOffset(2024, 2, 27, 10, 0, 0, TimeSpan.Zero)),
        ("scene-5", new DateTimeOffset(2024, 3, 15, 10, 0, 0, TimeSpan.Zero)),
        ("scene-6", new DateTimeOffset(2024, 4, 1, 10, 0, 0, TimeSpan.Zero)),
    ];

    public async Task InitializeAsync()
    {
        _source = StaticHttpServer.Serve(_www.Path);
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 2, PollInterval: TimeSpan.FromSeconds(1),
            AllowedHosts: "127.0.0.1", CatalogFolders: _out.Path), url), ("root", "root", Role.Admin), ("alice", "alice", Role.Write));
        _root = _server.Client("root");
        _alice = _server.Client("alice");
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("scenes", "Scenes", "Six scenes", "CC0-1.0", CollectionKind.Harvested, [], []));
        var items = new List<CatalogItem>();
        foreach (var (id, time) in Scenes)
        {
            var assets = new List<CatalogAsset>();
            foreach (var key in new[] { "a", "b" })
            {
                var bytes = RandomNumberGenerator.GetBytes(50_000 + Random.Shared.Next(1000));
                Directory.CreateDirectory(Path.Combine(_www.Path, id));
                await File.WriteAllBytesAsync(Path.Combine(_www.Path, id, $"{key}.tif"), bytes);
                assets.Add(new CatalogAsset(key, new Uri(_source.Address, $"{id}/{key}.tif").ToString(), "image/tiff; application=geotiff",
                    Roles: ["data"], Size: bytes.Length, Checksum: "1220" + Convert.ToHexStringLower(SHA256.HashData(bytes))));
            }
            items.Add(new CatalogItem("scenes", id, time, time, time, Tessera.Catalog.Stac.StacItems.Polygon(0, 0, 1, 1), new Bounds(0, 0, 1, 1), 10,
                "sentinel-2a", null, [], assets));
        }
        await catalog.UpsertItemsAsync(items);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _source?.Dispose();
        _www.Dispose();
        _out.Dispose();
    }

    /// <summary>The scenes of [from, to] (days, both included), computed here from the list above.</summary>
    private static string[] Between(string from, string to) => Scenes
        .Where(s => s.Time >= DateTimeOffset.Parse(from + "T00:00:00Z") && s.Time < DateTimeOffset.Parse(to + "T00:00:00Z").AddDays(1))
        .Select(s => s.Id).ToArray();

    private async Task<long[]> QueueAsync(HttpClient client, string path, object body)
    {
        var data = await ApiCalls.Data(await client.PostAsJsonAsync(path, body));
        return data.GetProperty("taskIds").EnumerateArray().Select(i => i.GetInt64()).ToArray();
    }

    private async Task AllSucceedAsync(IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            var done = await _root.WaitToEndAsync(id);
            Assert.True(done.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", done.ToString());
        }
    }

    private byte[] Source(string scene, string key) => File.ReadAllBytes(Path.Combine(_www.Path, scene, $"{key}.tif"));

    private string Downloads => Path.Combine(_server!.Data.Path, "downloads");

    private static int FilesUnder(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length : 0;

    [Fact]
    public async Task ASelectionLargerThanMaxDownloads_IsRefusedWhole_WithItsCount()
    {
        var before = (await ApiCalls.Data(await _root.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1, pageSize = 100 }))).GetProperty("total").GetInt64();
        var expected = Between("2024-01-01", "2024-03-31").Length;

        var response = await _root.PostAsJsonAsync("/catalog/download", new { collections = new[] { "scenes" }, datetime = "2024-01-01T00:00:00Z/2024-03-31T23:59:59Z", max_downloads = expected - 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"{expected} items match, more than max_downloads ({expected - 1}): nothing was started", await response.Content.ReadAsStringAsync());
        var after = (await ApiCalls.Data(await _root.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1, pageSize = 100 }))).GetProperty("total").GetInt64();
        Assert.Equal(before, after);
        Assert.Equal(0, FilesUnder(Downloads));
    }

    [Fact]
    public async Task ADownload_IsATaskPerScene_DeliveredInDatedFolders_WithFlagFiles()
    {
        var selected = Between("2024-01-01", "2024-02-29");
        var ids = await QueueAsync(_root, "/catalog/download", new
        {
            collections = new[] { "scenes" }, datetime = "2024-01-01T00:00:00Z/2024-02-29T23:59:59.999Z", max_downloads = selected.Length,
            destination = Path.Combine(_out.Path, "%Y", "%m"), flag_file = true, type = "optical",
        });

        Assert.Equal(selected.Length, ids.Length);
        await AllSucceedAsync(ids);
        foreach (var (id, time) in Scenes)
        {
            var folder = Path.Combine(_out.Path, time.ToString("yyyy"), time.ToString("MM"), id);
            Assert.Equal(selected.Contains(id), Directory.Exists(folder));
            if (!selected.Contains(id))
            {
                continue;
            }
            foreach (var key in new[] { "a", "b" })
            {
                Assert.Equal(Source(id, key), await File.ReadAllBytesAsync(Path.Combine(folder, $"{key}.tif")));
                var flag = await File.ReadAllLinesAsync(Path.Combine(folder, $"{key}.tif.flag"));
                Assert.Equal("type: optical", flag[0]);
                Assert.Contains($"entry_id: {id}", flag);
                Assert.Contains($"- url: {new Uri(_source!.Address, $"{id}/{key}.tif")}", flag);
            }
        }
        // The service keeps its own copy: the assets are served from it.
        Assert.Equal(Source(selected[0], "b"), await _alice.GetByteArrayAsync($"/stac/collections/scenes/items/{selected[0]}/assets/b"));
        var detail = await _root.WaitToEndAsync(ids[0]);
        Assert.Equal("DOWNLOAD", detail.GetProperty("typeName").GetString());
    }

    [Fact]
    public async Task ACopy_LinksTheFilesAlreadyHere_AndSkipsScenesNotDownloaded()
    {
        await AllSucceedAsync(await QueueAsync(_alice, "/catalog/download", new { ids = new[] { "scene-5" } }));
        var destination = Path.Combine(_out.Path, "links");

        var ids = await QueueAsync(_root, "/catalog/copy", new { collections = new[] { "scenes" }, destination, link = true });

        Assert.Single(ids); // only scene-5 is on the server
        await AllSucceedAsync(ids);
        foreach (var key in new[] { "a", "b" })
        {
            var link = new FileInfo(Path.Combine(destination, "scene-5", $"{key}.tif"));
            Assert.NotNull(link.LinkTarget);
            Assert.StartsWith(Downloads, link.LinkTarget);
            Assert.Equal(Source("scene-5", key), await File.ReadAllBytesAsync(link.FullName));
        }
        Assert.Equal(["scene-5"], Directory.GetDirectories(destination).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SavePath_RecordsTheDeliveredFile_AndTheServiceDropsItsOwnCopy()
    {
        var destination = Path.Combine(_out.Path, "kept");

        await AllSucceedAsync(await QueueAsync(_root, "/catalog/download", new { ids = new[] { "scene-6" }, destination, save_path = true }));

        Assert.Equal(0, FilesUnder(Downloads));
        var delivered = Path.Combine(destination, "scene-6", "a.tif");
        Assert.Equal(Source("scene-6", "a"), await File.ReadAllBytesAsync(delivered));
        var item = await _server!.Get<ISceneCatalog>().GetItemAsync("scenes", "scene-6", null);
        Assert.Equal(delivered, item!.Assets.Single(a => a.Key == "a").LocalPath);
        Assert.Equal(Source("scene-6", "a"), await _alice.GetByteArrayAsync("/stac/collections/scenes/items/scene-6/assets/a"));
    }

    [Fact]
    public async Task TimeToLive_RemovesOldDeliveriesFirst_AndKeepsNewerOnes()
    {
        var destination = Path.Combine(_out.Path, "ttl");
        var old = Path.Combine(destination, "earlier", "old.tif");
        var recent = Path.Combine(destination, "earlier", "recent.tif");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        await File.WriteAllTextAsync(old, "old");
        await File.WriteAllTextAsync(recent, "recent");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-10));
        File.SetLastWriteTimeUtc(recent, DateTime.UtcNow.AddDays(-2));

        await AllSucceedAsync(await QueueAsync(_root, "/catalog/download", new { ids = new[] { "scene-1" }, destination, time_to_live = 5 }));

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.Equal(Source("scene-1", "a"), await File.ReadAllBytesAsync(Path.Combine(destination, "scene-1", "a.tif")));
    }

    [Fact]
    public async Task ServerFolders_AreForAdministrators_AndOnlyThoseTheConfigurationAllows()
    {
        var forbidden = await _alice.PostAsJsonAsync("/catalog/download", new { ids = new[] { "scene-1" }, destination = Path.Combine(_out.Path, "x") });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("destination: only administrators may name the server's folders", await forbidden.Content.ReadAsStringAsync());

        var outside = await _root.PostAsJsonAsync("/catalog/download", new { ids = new[] { "scene-1" }, destination = "/tmp/elsewhere" });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("destination: not under a folder this server lets the catalog write (catalogFolders)", await outside.Content.ReadAsStringAsync());

        var unknown = await _root.PostAsJsonAsync("/catalog/download", new { ids = new[] { "scene-1" }, limit = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("limit: not a field of a download", await unknown.Content.ReadAsStringAsync());

        var noDestination = await _root.PostAsJsonAsync("/catalog/copy", new { ids = new[] { "scene-1" } });
        Assert.Equal(HttpStatusCode.BadRequest, noDestination.StatusCode);
        Assert.Contains("destination: a copy needs one", await noDestination.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RemoveDownloaded_Archive_AndCleanup_KeepTheCatalogTrue()
    {
        await AllSucceedAsync(await QueueAsync(_alice, "/catalog/download", new { ids = new[] { "scene-2", "scene-3" } }));
        Assert.Equal(4, FilesUnder(Downloads));

        // archive: one tar.gz asset with both files, as tar reads it.
        await AllSucceedAsync(await QueueAsync(_alice, "/catalog/archive", new { ids = new[] { "scene-2" } }));
        var archive = _out.File("scene-2.tar.gz");
        await File.WriteAllBytesAsync(archive, await _alice.GetByteArrayAsync("/stac/collections/scenes/items/scene-2/assets/archive"));
        var unpacked = Directory.CreateDirectory(Path.Combine(_out.Path, "unpacked")).FullName;
        Run("tar", "-xzf", archive, "-C", unpacked);
        Assert.Equal(["a.tif", "b.tif"], Directory.GetFiles(unpacked).Select(Path.GetFileName).Order());
        Assert.Equal(Source("scene-2", "a"), await File.ReadAllBytesAsync(Path.Combine(unpacked, "a.tif")));
        Assert.Equal(Source("scene-2", "b"), await File.ReadAllBytesAsync(Path.Combine(unpacked, "b.tif")));
        var stac = await _alice.GetFromJsonAsync<JsonElement>("/stac/collections/scenes/items/scene-2");
        Assert.Equal("application/gzip", stac.GetProperty("assets").GetProperty("archive").GetProperty("type").GetString());

        // remove_downloaded: scene-3's files go, the catalog no longer has them here.
        await AllSucceedAsync(await QueueAsync(_root, "/catalog/remove_downloaded", new { ids = new[] { "scene-3" } }));
        Assert.Equal(3, FilesUnder(Downloads)); // scene-2: a, b and the archive
        var gone = await _alice.GetAsync("/stac/collections/scenes/items/scene-3/assets/a");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("is not on this server", await gone.Content.ReadAsStringAsync());

        // cleanup: nothing is older than yesterday; everything is older than tomorrow (and the archive is no longer an asset).
        await Cleanup(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"));
        Assert.Equal(3, FilesUnder(Downloads));
        await Cleanup(DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd"));
        Assert.Equal(0, FilesUnder(Downloads));
        var after = await _server!.Get<ISceneCatalog>().GetItemAsync("scenes", "scene-2", null);
        Assert.Equal(["a", "b"], after!.Assets.Select(a => a.Key));
        Assert.All(after.Assets, a => Assert.Null(a.LocalPath));
    }

    private async Task Cleanup(string before)
    {
        var id = (await ApiCalls.Data(await _root.PostAsJsonAsync("/catalog/cleanup", new { before }))).GetProperty("taskId").GetInt64();
        await AllSucceedAsync([id]);
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program}: {error}");
    }
}
