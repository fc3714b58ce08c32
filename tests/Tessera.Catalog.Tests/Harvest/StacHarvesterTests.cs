using System.Text.Json.Nodes;
using Tessera.Catalog.Harvest;
using Tessera.Catalog.Remote;
using Tessera.Catalog.Scenes;
using Tessera.Data;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Harvest;

/// <summary>
/// Harvesting a static STAC catalog served by a real HTTP server on loopback (npm's http-server): a root catalog, a
/// Sentinel-2 collection with its items, and a Landsat collection under a sub-catalog, all linked by relative hrefs.
/// What is kept is compared with the same filters written here over the scenes the test wrote.
/// </summary>
public sealed class StacHarvesterTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly StaticHttpServer _server;
    private readonly IReadOnlyList<StaticStacCatalog.Scene> _scenes;

    public StacHarvesterTests()
    {
        _scenes = new StaticStacCatalog(_root.File("www")).Scenes;
        _server = StaticHttpServer.Serve(_root.File("www"));
    }

    private async Task<(DbSceneCatalog Catalog, StacHarvester.Result Result)> HarvestAsync(JsonObject request, AllowedHosts? allowed = null)
    {
        var catalog = await DbSceneCatalog.OpenAsync(await SqliteDatabase.OpenAsync(_root.File("catalog.db")));
        using var http = RemoteHttp.Client(allowed ?? AllowedHosts.Parse("127.0.0.1"));
        var result = await new StacHarvester(http, catalog).RunAsync(HarvestRequest.FromJson(request), null, CancellationToken.None);
        return (catalog, result);
    }

    private static string[] Ids(IEnumerable<string> ids) => ids.Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task AWholeStaticCatalog_IsCrawled_ItsHrefsMadeAbsolute()
    {
        var (catalog, result) = await HarvestAsync(new JsonObject { ["source"] = new Uri(_server.Address, "catalog.json").ToString() });

        Assert.Equal((2, 30), (result.Collections, result.Items));
        Assert.Equal(["landsat-c2-l2", "sentinel-2-l2a"], (await catalog.ListCollectionsAsync()).Select(c => c.Id));
        var page = await catalog.SearchAsync(new ItemSearch(Limit: 100));
        Assert.Equal(Ids(_scenes.Select(s => s.Id)), Ids(page.Items.Select(i => i.Id)));
        var s2 = (await catalog.GetCollectionAsync("sentinel-2-l2a"))!;
        Assert.Equal((CollectionKind.Harvested, "CC-BY-4.0", "red", new Uri(_server.Address, "sentinel-2/collection.json").ToString()),
            (s2.Kind, s2.License, s2.Bands.Single().CommonName, s2.Source));
        var item = (await catalog.GetItemAsync("landsat-c2-l2", "LC09_25", null))!;
        Assert.Equal(new Uri(_server.Address, "landsat/c2/LC09_25_red.tif").ToString(), item.Assets.Single().Href);
        Assert.Equal(_scenes[25].Cloud, item.CloudCover);
        // The asset really is where the href says (the server answers for the folder the item is in).
        File.WriteAllText(Path.Combine(_root.File("www"), "landsat", "c2", "LC09_25_red.tif"), "x");
        using var http = new HttpClient();
        Assert.Equal("x", await http.GetStringAsync(item.Assets.Single().Href));
    }

    [Fact]
    public async Task Filters_KeepWhatTheSameFiltersWrittenHereKeep()
    {
        var (catalog, result) = await HarvestAsync(new JsonObject
        {
            ["source"] = new Uri(_server.Address, "catalog.json").ToString(),
            ["collections"] = new JsonArray("sentinel-2-l2a"),
            ["bbox"] = new JsonArray(-5.0, 39.0, 4.0, 46.0),
            ["datetime"] = "2023-06-20T00:00:00Z/2023-09-01T00:00:00Z",
            ["cloud"] = 60,
        });
        var from = new DateTimeOffset(2023, 6, 20, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2023, 9, 1, 0, 0, 0, TimeSpan.Zero);
        var expected = _scenes.Where(s => s.Collection == "sentinel-2-l2a" && s.West + s.Size >= -5 && s.West <= 4 && s.South + s.Size >= 39 && s.South <= 46
            && s.Time >= from && s.Time <= to && s.Cloud <= 60).Select(s => s.Id).ToList();

        Assert.True(expected.Count is > 2 and < 20, $"the filters keep {expected.Count} of 20 scenes: the test needs some in and some out");
        Assert.Equal(expected.Count, result.Items);
        Assert.Equal(Ids(expected), Ids((await catalog.SearchAsync(new ItemSearch(Limit: 100))).Items.Select(i => i.Id)));
        Assert.Equal(["sentinel-2-l2a"], (await catalog.ListCollectionsAsync()).Select(c => c.Id));
    }

    [Fact]
    public async Task MaxItems_StopsTheHarvest_AndHarvestingAgainUpdatesTheSameItems()
    {
        var source = new Uri(_server.Address, "sentinel-2/collection.json").ToString();
        var (_, first) = await HarvestAsync(new JsonObject { ["source"] = source, ["maxItems"] = 7 });
        Assert.Equal(7, first.Items);

        var (catalog, again) = await HarvestAsync(new JsonObject { ["source"] = source });
        Assert.Equal(20, again.Items);
        Assert.Equal(20, (await catalog.SearchAsync(new ItemSearch())).Matched);
    }

    [Fact]
    public async Task LoopbackNotAllowed_OrABrokenLink_StopTheHarvest_NamingWhy()
    {
        var source = new Uri(_server.Address, "catalog.json");
        var refused = await Assert.ThrowsAsync<RemoteAccessException>(() => HarvestAsync(new JsonObject { ["source"] = source.ToString() }, AllowedHosts.None));
        Assert.Contains("127.0.0.1 is at 127.0.0.1, a private, loopback or link-local address: not reached unless TESSERA_ALLOWED_HOSTS allows it", refused.Message);

        File.Delete(Path.Combine(_root.File("www"), "landsat", "c2", "collection.json"));
        var broken = await Assert.ThrowsAsync<RemoteAccessException>(() => HarvestAsync(new JsonObject { ["source"] = source.ToString() }));
        Assert.Equal($"{new Uri(_server.Address, "landsat/c2/collection.json")}: HTTP 404 Not Found", broken.Message);

        var bad = Assert.Throws<CatalogException>(() => HarvestRequest.FromJson(new JsonObject { ["source"] = source.ToString(), ["clouds"] = 3 }));
        Assert.StartsWith("clouds: not a field of a harvest", bad.Message);
        Assert.Equal("source: 'file:///etc/passwd' is not an http or https URL",
            Assert.Throws<CatalogException>(() => HarvestRequest.FromJson(new JsonObject { ["source"] = "file:///etc/passwd" })).Message);
    }

    [Fact]
    public async Task ACatalogBehindBasicAuthentication_IsRead_WithItsProvidersCredentials()
    {
        using var locked = StaticHttpServer.Serve(_root.File("www"), "harvester", "pa:ss word");
        var source = new Uri(locked.Address, "catalog.json");
        var catalog = await DbSceneCatalog.OpenAsync(await SqliteDatabase.OpenAsync(_root.File("locked.db")));
        async Task<StacHarvester.Result> Harvest(Tessera.Catalog.Providers.ProviderSettingsFile providers)
        {
            using var http = RemoteHttp.Client(AllowedHosts.Parse("127.0.0.1"), providers: providers);
            return await new StacHarvester(http, catalog).RunAsync(HarvestRequest.FromJson(new JsonObject { ["source"] = source.ToString() }), null, CancellationToken.None);
        }

        var refused = await Assert.ThrowsAsync<RemoteAccessException>(() => Harvest(Tessera.Catalog.Providers.ProviderSettingsFile.Empty));
        Assert.Equal($"{source}: HTTP 401 Unauthorized", refused.Message);
        // Another port of the same host is another provider: its credentials are not sent there.
        var elsewhere = Tessera.Catalog.Providers.ProviderSettingsFile.Parse($"'{_server.Address}':\n  username: harvester\n  password: 'pa:ss word'\n");
        await Assert.ThrowsAsync<RemoteAccessException>(() => Harvest(elsewhere));

        var result = await Harvest(Tessera.Catalog.Providers.ProviderSettingsFile.Parse($"'{locked.Address}':\n  username: harvester\n  password: 'pa:ss word'\n"));
        Assert.Equal((2, 30), (result.Collections, result.Items));
    }

    [Fact]
    public async Task ACatalogBehindOAuth2_IsRead_WithOneTokenOfTheClientCredentialsGrant()
    {
        using var servers = OAuth2Servers.Start(_root.File("www"), "tessera-harvester", "client-secret");
        var catalog = await DbSceneCatalog.OpenAsync(await SqliteDatabase.OpenAsync(_root.File("oauth2.db")));
        async Task<StacHarvester.Result> Harvest(string secret)
        {
            var providers = Tessera.Catalog.Providers.ProviderSettingsFile.Parse($"""
                '{servers.Resource}':
                  authentication_type: oauth2
                  token_url: '{new Uri(servers.Issuer, "token")}'
                  client_id: tessera-harvester
                  client_secret: '{secret}'
                """);
            using var http = RemoteHttp.Client(AllowedHosts.Parse("127.0.0.1"), providers: providers);
            return await new StacHarvester(http, catalog).RunAsync(HarvestRequest.FromJson(new JsonObject
            {
                ["source"] = new Uri(servers.Resource, "catalog.json").ToString(),
            }), null, CancellationToken.None);
        }

        var refused = await Assert.ThrowsAsync<RemoteAccessException>(() => Harvest("wrong"));
        Assert.Contains($"the token URL {new Uri(servers.Issuer, "token")} answered HTTP 401", refused.Message);
        Assert.DoesNotContain("wrong", refused.Message);

        var result = await Harvest("client-secret");

        Assert.Equal((2, 30), (result.Collections, result.Items));
        // 34 documents (3 catalogs and collections, 30 items, the landsat sub-catalog) with one token, none refused.
        Assert.Equal((1, 1, result.Documents, 0), servers.Stats());
    }

    public void Dispose()
    {
        _server.Dispose();
        _root.Dispose();
    }
}
