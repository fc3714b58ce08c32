using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Remote;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// geospaas_processing's <c>publish</c> over the service: three scenes, two with files on the server (random bytes in a
/// folder of the test), are published to a real OpenSSH server on loopback (<see cref="SshServer"/>) with a key and a
/// checked host key; the files arrive under root/path/collection/item with the same bytes and nothing else beside
/// them, and the items' STAC documents give the published addresses (valid STAC); a server answering with another host
/// key, one missing from the known hosts or one refusing the key fails the task, naming the host, with nothing
/// published; a copy the server refuses fails the task with its reason and leaves no temporary; a service without
/// publishing settings refuses the request.
/// </summary>
public sealed class CatalogPublishTests : IAsyncLifetime
{
    private readonly SshServer _ssh = new();
    private readonly TempFolder _files = new();
    private RunningServer? _server;
    private HttpClient _alice = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _ssh.Dispose();
        _files.Dispose();
    }

    /// <summary>A server publishing to <paramref name="publish"/> (none: null), with scenes 1 and 2 here and scene 3 remote only.</summary>
    private async Task StartAsync(PublishTarget? publish)
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 1, PollInterval: TimeSpan.FromSeconds(1),
            Publish: publish), url), ("alice", "alice", Role.Write));
        _alice = _server.Client("alice");
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("scenes", "Scenes", "Three scenes", "CC0-1.0", CollectionKind.Harvested, [], []));
        var time = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
        await catalog.UpsertItemsAsync(
        [
            Item("scene-1", time, Asset("scene-1", "a", here: true),
                Asset("scene-1", "b", here: true) with { Extra = new JsonObject { ["alternate"] = new JsonObject { ["mirror"] = new JsonObject { ["href"] = "https://mirror.example.org/scene-1/b.tif" } } } }),
            Item("scene-2", time.AddDays(1), Asset("scene-2", "a", here: true)),
            Item("scene-3", time.AddDays(2), Asset("scene-3", "a", here: false)),
        ]);
    }

    private static CatalogItem Item(string id, DateTimeOffset time, params CatalogAsset[] assets) =>
        new("scenes", id, time, time, time, Tessera.Catalog.Stac.StacItems.Polygon(0, 0, 1, 1), new Bounds(0, 0, 1, 1), 10, "sentinel-2a", null, [], assets);

    /// <summary>An asset of a remote catalog; when <paramref name="here"/>, its file (random bytes) lies in the test's folder.</summary>
    private CatalogAsset Asset(string scene, string key, bool here)
    {
        string? local = null;
        if (here)
        {
            local = Source(scene, key);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            File.WriteAllBytes(local, RandomNumberGenerator.GetBytes(40_000 + Random.Shared.Next(1000)));
        }
        return new CatalogAsset(key, $"https://data.example.org/{scene}/{key}.tif", "image/tiff; application=geotiff", Roles: ["data"], LocalPath: local);
    }

    private string Source(string scene, string key) => Path.Combine(_files.Path, scene, $"{key}.tif");

    private PublishTarget Target(string? knownHosts = null, string? url = null, string? key = null) =>
        PublishTarget.From($"{_ssh.User}@127.0.0.1:{_ssh.Port}", _ssh.Root, "project/results", key ?? _ssh.ClientKey, knownHosts ?? _ssh.KnownHosts, url)!;

    /// <summary>Publishes scene-2 and waits: the task's status and error.</summary>
    private async Task<(string? Status, string? Error)> PublishSceneTwoAsync()
    {
        var done = await _alice.WaitToEndAsync(Assert.Single(await PublishAsync(new { ids = new[] { "scene-2" } })));
        return (done.GetProperty("statusName").GetString(), done.GetProperty("errorMessage").GetString());
    }

    /// <summary>Every file under the SSH server's root, as paths relative to it with '/'.</summary>
    private string[] Published() => Directory.GetFiles(_ssh.Root, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(_ssh.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();

    private async Task<long[]> PublishAsync(object body)
    {
        var data = await ApiCalls.Data(await _alice.PostAsJsonAsync("/catalog/publish", body));
        return data.GetProperty("taskIds").EnumerateArray().Select(i => i.GetInt64()).ToArray();
    }

    private async Task<JsonElement> AssetOf(string scene, string key) =>
        JsonDocument.Parse(await _alice.GetStringAsync($"/stac/collections/scenes/items/{scene}")).RootElement.GetProperty("assets").GetProperty(key).Clone();

    [Fact]
    public async Task APublish_CopiesTheItemsFilesUnderRootAndPath_WithTheirBytes_AndTheItemsGiveTheirAddresses()
    {
        await StartAsync(Target());

        var ids = await PublishAsync(new { collections = new[] { "scenes" } });

        Assert.Equal(2, ids.Length); // scene-3 has nothing on the server
        foreach (var id in ids)
        {
            var done = await _alice.WaitToEndAsync(id);
            Assert.True(done.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", done + "\n" + _ssh.Log);
            Assert.Equal("PUBLISH", done.GetProperty("typeName").GetString());
        }
        Assert.Equal(["project/results/scenes/scene-1/a.tif", "project/results/scenes/scene-1/b.tif", "project/results/scenes/scene-2/a.tif"], Published());
        foreach (var (scene, key) in new[] { ("scene-1", "a"), ("scene-1", "b"), ("scene-2", "a") })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Source(scene, key)),
                await File.ReadAllBytesAsync(Path.Combine(_ssh.Root, "project", "results", "scenes", scene, $"{key}.tif")));
            Assert.Equal($"ftp://127.0.0.1/project/results/scenes/{scene}/{key}.tif",
                (await AssetOf(scene, key)).GetProperty("alternate").GetProperty("published").GetProperty("href").GetString());
        }
        // What the asset had stays: its own address and its other alternates.
        var b = await AssetOf("scene-1", "b");
        Assert.Equal("https://data.example.org/scene-1/b.tif", b.GetProperty("href").GetString());
        Assert.Equal("https://mirror.example.org/scene-1/b.tif", b.GetProperty("alternate").GetProperty("mirror").GetProperty("href").GetString());
        Assert.False((await AssetOf("scene-3", "a")).TryGetProperty("alternate", out _));
        var item = await _alice.GetStringAsync("/stac/collections/scenes/items/scene-1");
        Assert.Contains("https://stac-extensions.github.io/alternate-assets/v1.2.0/schema.json",
            JsonDocument.Parse(item).RootElement.GetProperty("stac_extensions").EnumerateArray().Select(e => e.GetString()));
        var result = StacValidator.Validate(new Dictionary<string, string> { ["item"] = item, ["items"] = await _alice.GetStringAsync("/stac/collections/scenes/items") });
        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Objects);
    }

    [Fact]
    public async Task APublishOfChosenAssets_CopiesThoseOnly_AndPublishingAgain_ReplacesTheCopy()
    {
        await StartAsync(Target(url: "https://files.example.org/pub/"));

        var first = await PublishAsync(new { ids = new[] { "scene-1" }, assets = new[] { "b" } });
        Assert.Equal("PUBLISH_COMPLETED", (await _alice.WaitToEndAsync(Assert.Single(first))).GetProperty("statusName").GetString());
        Assert.Equal(["project/results/scenes/scene-1/b.tif"], Published());
        await File.WriteAllBytesAsync(Source("scene-1", "b"), RandomNumberGenerator.GetBytes(30_000));
        var again = await PublishAsync(new { ids = new[] { "scene-1" }, assets = new[] { "b" } });
        Assert.Equal("PUBLISH_COMPLETED", (await _alice.WaitToEndAsync(Assert.Single(again))).GetProperty("statusName").GetString());

        Assert.Equal(["project/results/scenes/scene-1/b.tif"], Published());
        Assert.Equal(await File.ReadAllBytesAsync(Source("scene-1", "b")),
            await File.ReadAllBytesAsync(Path.Combine(_ssh.Root, "project", "results", "scenes", "scene-1", "b.tif")));
        Assert.Equal("https://files.example.org/pub/scenes/scene-1/b.tif",
            (await AssetOf("scene-1", "b")).GetProperty("alternate").GetProperty("published").GetProperty("href").GetString());
        Assert.False((await AssetOf("scene-1", "a")).TryGetProperty("alternate", out _));
    }

    [Fact]
    public async Task AServerWithAnotherHostKey_FailsTheTask_NamingTheHost_AndNothingIsPublished()
    {
        await StartAsync(Target(knownHosts: _ssh.WrongKnownHosts()));

        var id = Assert.Single(await PublishAsync(new { ids = new[] { "scene-2" } }));
        var done = await _alice.WaitToEndAsync(id);

        Assert.Equal("DOWNLOAD_FAILED", done.GetProperty("statusName").GetString());
        Assert.Equal($"publishing to 127.0.0.1:{_ssh.Port} failed: its host key is not the one the known hosts file (publishKnownHosts) gives for it; nothing was published",
            done.GetProperty("errorMessage").GetString());
        Assert.Empty(Published());
        Assert.False((await AssetOf("scene-2", "a")).TryGetProperty("alternate", out _));
    }

    [Fact]
    public async Task AServerNotInTheKnownHosts_FailsTheTask_SayingSo()
    {
        await StartAsync(Target(knownHosts: _ssh.EmptyKnownHosts()));

        Assert.Equal(("DOWNLOAD_FAILED", $"publishing to 127.0.0.1:{_ssh.Port} failed: its host key is not in the known hosts file (publishKnownHosts; add it once checked, e.g. with ssh-keyscan); nothing was published"),
            await PublishSceneTwoAsync());
        Assert.Empty(Published());
    }

    [Fact]
    public async Task AKeyTheServerRefuses_FailsTheTask_NamingTheUser_NotTheKeysPath()
    {
        await StartAsync(Target(key: _ssh.UnknownClientKey()));

        Assert.Equal(("DOWNLOAD_FAILED", $"publishing to 127.0.0.1:{_ssh.Port} failed: it refused the key (publishKey) for user {_ssh.User}; nothing was published"),
            await PublishSceneTwoAsync());
        Assert.Empty(Published());
    }

    [Fact]
    public async Task APublishPathTakenByAFile_FailsTheTask_SayingNoFileCouldBeWritten()
    {
        await StartAsync(Target());
        await File.WriteAllTextAsync(Path.Combine(_ssh.Root, "project"), "a file where publishPath wants a folder");

        var id = Assert.Single(await PublishAsync(new { ids = new[] { "scene-1" } }));
        var done = await _alice.WaitToEndAsync(id);

        Assert.Equal("DOWNLOAD_FAILED", done.GetProperty("statusName").GetString());
        Assert.Equal($"publishing to 127.0.0.1:{_ssh.Port} failed while copying: a file could not be written (No such file or directory)",
            done.GetProperty("errorMessage").GetString());
        Assert.Equal(["project"], Published());
        Assert.False((await AssetOf("scene-1", "a")).TryGetProperty("alternate", out _));
    }

    [Fact]
    public async Task AFileThatCannotTakeItsName_FailsTheTask_AndItsTemporaryIsRemoved()
    {
        await StartAsync(Target());
        var item = Path.Combine(_ssh.Root, "project", "results", "scenes", "scene-1");
        Directory.CreateDirectory(Path.Combine(item, "b.tif"));
        await File.WriteAllTextAsync(Path.Combine(item, "b.tif", "kept"), "a folder where the file b.tif goes");

        var id = Assert.Single(await PublishAsync(new { ids = new[] { "scene-1" } }));
        var done = await _alice.WaitToEndAsync(id);

        Assert.Equal("DOWNLOAD_FAILED", done.GetProperty("statusName").GetString());
        Assert.Equal($"publishing to 127.0.0.1:{_ssh.Port} failed while copying: a copy could not take its name (Failure)", done.GetProperty("errorMessage").GetString());
        // a.tif was copied before b.tif failed; b.tif's temporary is gone.
        Assert.Equal(["project/results/scenes/scene-1/a.tif", "project/results/scenes/scene-1/b.tif/kept"], Published());
        Assert.Equal(await File.ReadAllBytesAsync(Source("scene-1", "a")), await File.ReadAllBytesAsync(Path.Combine(item, "a.tif")));
        Assert.False((await AssetOf("scene-1", "a")).TryGetProperty("alternate", out _));
    }

    [Fact]
    public async Task WithoutPublishingSettings_ThePublishIsRefused_AndNoTaskIsMade()
    {
        await StartAsync(publish: null);

        var response = await _alice.PostAsJsonAsync("/catalog/publish", new { collections = new[] { "scenes" } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("publishing is not configured: set publishHost, publishRoot, publishPath and publishKey (and publishKnownHosts) on the server",
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        var tasks = await ApiCalls.Data(await _alice.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1, pageSize = 10 }));
        Assert.Equal(0, tasks.GetProperty("total").GetInt64());
    }
}
