using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// <c>POST /catalog/harvest</c> end to end: a harvest task run by the server's worker copies a static STAC catalog
/// served by a real HTTP server on loopback (allowed by the server's allowed hosts) into the catalog, where the STAC
/// API finds what the same filters written here keep; an internal address not allowed fails the task's download
/// stage saying why; bad requests are 400s naming the field.
/// </summary>
public sealed class CatalogHarvestTests : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private StaticStacCatalog? _catalog;
    private StaticHttpServer? _source;
    private RunningServer? _stacApi;
    private readonly List<CatalogItem> _apiItems = [];
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _catalog = new StaticStacCatalog(_www.Path);
        _source = StaticHttpServer.Serve(_www.Path);
        // Another Tessera as a STAC API: 160 scenes (two pages of the harvester's searches), readable with a token only.
        _stacApi = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url), ("reader", "carol", Role.Read));
        var remote = _stacApi.Get<ISceneCatalog>();
        await remote.UpsertCollectionAsync(new CatalogCollection("s2", "Sentinel-2", "Scenes", "CC-BY-4.0", CollectionKind.Local,
            [new CatalogBand("B04", "red", 0.665)], []));
        var random = new Random(5);
        for (var i = 0; i < 160; i++)
        {
            var box = new Bounds(Math.Round(random.NextDouble() * 10, 3), Math.Round(40 + random.NextDouble() * 5, 3), 0, 0);
            box = new Bounds(box.MinX, box.MinY, box.MinX + 1, box.MinY + 1);
            var time = StaticStacCatalog.Start.AddHours(random.Next(0, 24 * 200));
            _apiItems.Add(new CatalogItem("s2", $"T{i:D3}", time, time, time, new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "Polygon",
                ["coordinates"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonArray(
                    new System.Text.Json.Nodes.JsonArray(box.MinX, box.MinY), new System.Text.Json.Nodes.JsonArray(box.MaxX, box.MinY),
                    new System.Text.Json.Nodes.JsonArray(box.MaxX, box.MaxY), new System.Text.Json.Nodes.JsonArray(box.MinX, box.MaxY),
                    new System.Text.Json.Nodes.JsonArray(box.MinX, box.MinY))),
            }, box, Math.Round(random.NextDouble() * 100, 1), "sentinel-2a", null, [],
                [new CatalogAsset("B04", $"/data/T{i:D3}/B04.tif", "image/tiff; application=geotiff", Roles: ["data"], Band: "red")]));
        }
        await remote.UpsertItemsAsync(_apiItems);
        var providers = _www.File("providers.yml");
        await File.WriteAllTextAsync(providers, $"'{_stacApi.Address}':\n  username: harvester\n  password: '{_stacApi.Token("reader")}'\n");
        var harvests = _www.File("harvests.yml");
        await File.WriteAllTextAsync(harvests, $"providers:\n  static: '{new Uri(_source.Address, "catalog.json")}'\n  tessera: '{new Uri(_stacApi.Address, "stac")}'\n" +
            "  broken: 'http://127.0.0.1:9/stac'\n");
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(
            new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1), AllowedHosts: "127.0.0.1/8", ProviderSettings: providers, HarvestConfig: harvests), url),
            ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        await _stacApi!.DisposeAsync();
        _source!.Dispose();
        _www.Dispose();
    }

    private async Task<JsonElement> HarvestAsync(object body)
    {
        var response = await _http.PostAsJsonAsync("/catalog/harvest", body);
        var id = (await ApiCalls.Data(response)).GetProperty("taskId").GetInt64();
        return await _http.WaitToEndAsync(id);
    }

    [Fact]
    public async Task AHarvestTask_FillsTheCatalog_WithWhatTheFiltersKeep()
    {
        var detail = await HarvestAsync(new
        {
            source = new Uri(_source!.Address, "catalog.json").ToString(),
            bbox = new[] { -6.0, 40.0, 5.0, 47.0 },
            datetime = "2023-07-01T00:00:00Z/..",
            cloud = 70,
        });

        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        Assert.Equal("HARVEST", detail.GetProperty("typeName").GetString());
        var from = new DateTimeOffset(2023, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var expected = _catalog!.Scenes.Where(s => s.West + s.Size >= -6 && s.West <= 5 && s.South + s.Size >= 40 && s.South <= 47 && s.Time >= from && s.Cloud <= 70)
            .Select(s => s.Id).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count is > 3 and < 30, $"the filters keep {expected.Count} of 30 scenes: the test needs some in and some out");
        Assert.Equal(expected.Count, detail.GetProperty("progress").GetProperty("done").GetInt32());
        var found = JsonDocument.Parse(await _http.GetStringAsync("/stac/search?limit=100")).RootElement;
        Assert.Equal(expected, found.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        var collections = JsonDocument.Parse(await _http.GetStringAsync("/stac/collections")).RootElement.GetProperty("collections");
        Assert.Contains(collections.EnumerateArray(), c => c.GetProperty("id").GetString() == "landsat-c2-l2");
    }

    [Fact]
    public async Task AnotherTesserasStacApi_IsSearchedPageByPage_WithTheProvidersToken()
    {
        var from = StaticStacCatalog.Start.AddDays(10);
        var detail = await HarvestAsync(new
        {
            source = new Uri(_stacApi!.Address, "stac").ToString(),
            collections = new[] { "s2" },
            bbox = new[] { 1.0, 40.0, 9.0, 46.0 },
            datetime = $"{from:yyyy-MM-ddTHH:mm:ssZ}/..",
            cloud = 95,
        });

        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        var expected = _apiItems.Where(i => i.Bbox!.Value.MaxX >= 1 && i.Bbox.Value.MinX <= 9 && i.Start >= from && i.CloudCover <= 95)
            .Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count > 100, $"{expected.Count} scenes kept: the test needs more than a page of the harvester's searches (100)");
        var found = JsonDocument.Parse(await _http.GetStringAsync("/stac/search?collections=s2&limit=1000")).RootElement;
        Assert.Equal(expected, found.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        // The asset keeps the other server's address: nothing was downloaded.
        var item = JsonDocument.Parse(await _http.GetStringAsync($"/stac/collections/s2/items/{expected[0]}")).RootElement;
        Assert.Equal($"{_stacApi.Address.ToString().TrimEnd('/')}/data/{expected[0]}/B04.tif", item.GetProperty("assets").GetProperty("B04").GetProperty("href").GetString());
    }

    [Fact]
    public async Task AnInternalAddressNotAllowed_FailsTheDownloadStage_SayingWhy()
    {
        var detail = await HarvestAsync(new { source = "http://10.255.255.1/catalog.json" });

        Assert.Equal("DOWNLOAD_FAILED", detail.GetProperty("statusName").GetString());
        Assert.Contains("10.255.255.1 is at 10.255.255.1, a private, loopback or link-local address: not reached unless TESSERA_ALLOWED_HOSTS allows it",
            detail.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task BadHarvests_Are400_NamingTheField()
    {
        async Task<string> Message(object body)
        {
            var response = await _http.PostAsJsonAsync("/catalog/harvest", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
        }
        Assert.StartsWith("maxitems: not a field of a harvest", await Message(new { source = "http://x.org/", maxitems = 3 }));
        Assert.Equal("source: required (a STAC API root, or a STAC catalog, collection or item URL)", await Message(new { cloud = 3 }));
        Assert.Equal("cloud: give the largest cloud cover kept, from 0 to 100 (%)", await Message(new { source = "http://x.org/", cloud = 300 }));
        Assert.Equal("source: 'ftp://x.org/c.json' is not an http or https URL", await Message(new { source = "ftp://x.org/c.json" }));
    }

    [Fact]
    public async Task StartHarvest_RunsASearchPerProviderAndCollection_OverTheCommonTime_AndRetryIngestionRunsTheFailedAgain()
    {
        var response = await _http.PostAsJsonAsync("/catalog/harvests", new
        {
            common = new { start_time = "2023-07-01", end_time = "2023-10-01" },
            searches = new[]
            {
                new { provider_name = "static", collection = "sentinel-2-l2a" },
                new { provider_name = "tessera", collection = "s2" },
                new { provider_name = "broken", collection = "s2" },
            },
        });
        var ids = (await ApiCalls.Data(response)).GetProperty("taskIds").EnumerateArray().Select(i => i.GetInt64()).ToList();
        var ended = new List<JsonElement>();
        foreach (var id in ids)
        {
            ended.Add(await _http.WaitToEndAsync(id));
        }

        Assert.Equal(["PUBLISH_COMPLETED", "PUBLISH_COMPLETED", "DOWNLOAD_FAILED"], ended.Select(d => d.GetProperty("statusName").GetString()));
        var from = new DateTimeOffset(2023, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2023, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var expected = _catalog!.Scenes.Where(s => s.Collection == "sentinel-2-l2a" && s.Time >= from && s.Time <= to).Select(s => s.Id)
            .Concat(_apiItems.Where(i => i.Start >= from && i.Start <= to).Select(i => i.Id)).Order(StringComparer.Ordinal).ToList();
        var found = JsonDocument.Parse(await _http.GetStringAsync("/stac/search?limit=1000")).RootElement;
        Assert.Equal(expected, found.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));

        var retried = (await ApiCalls.Data(await _http.PostAsJsonAsync("/catalog/harvests/retry", new { }))).GetProperty("taskIds").EnumerateArray()
            .Select(i => i.GetInt64()).ToList();
        Assert.Equal([ids[2]], retried);
        var again = await _http.WaitToEndAsync(ids[2]);
        Assert.Equal(("DOWNLOAD_FAILED", 2), (again.GetProperty("statusName").GetString(), again.GetProperty("attemptHistory").GetArrayLength()));

        var unknown = await _http.PostAsJsonAsync("/catalog/harvests", new { searches = new[] { new { provider_name = "scihub", collection = "S2" } } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("searches[0].provider_name: 'scihub' is not a provider of the harvest configuration (it names static, tessera, broken)",
            JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
    }
}
