using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// A provider's <c>max_parallel_downloads</c> holds across workers: four workers run four NDVI tasks whose eight
/// assets a slow server on loopback serves, and the server never sees more than two downloads at once (but does see
/// two). A redirect to another host does not carry the provider's credentials there.
/// </summary>
public sealed class DownloadLimitsTests : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private FaultServer? _faults;
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _faults = FaultServer.Serve(_www.Path);
        var providers = _www.File("providers.yml");
        await File.WriteAllTextAsync(providers, $"'{_faults.Address}':\n  username: harvester\n  password: secret\n  max_parallel_downloads: 2\n");
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 4, PollInterval: TimeSpan.FromSeconds(1),
            AllowedHosts: "127.0.0.1,localhost", ProviderSettings: providers, TaskRetryDelay: TimeSpan.FromSeconds(1)), url), ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("slow", "Slow", "Served slowly", "CC0-1.0", CollectionKind.Harvested, [], []));
        var grid = SyntheticRaster.Grid(768, 1024);
        var items = new List<CatalogItem>();
        for (var i = 0; i < 4; i++)
        {
            var nir = SyntheticRaster.Write<ushort>(Path.Combine(_www.Path, $"nir{i}.tif"), grid, (c, r) => (ushort)(3000 + c % 97 + i));
            var red = SyntheticRaster.Write<ushort>(Path.Combine(_www.Path, $"red{i}.tif"), grid, (c, r) => (ushort)(1000 + r % 89));
            var box = new Bounds(0, 0, 1, 1);
            var time = new DateTimeOffset(2024, 1, 1 + i, 0, 0, 0, TimeSpan.Zero);
            items.Add(new CatalogItem("slow", $"scene{i}", time, time, time, Tessera.Catalog.Stac.StacItems.Polygon(0, 0, 1, 1), box, null, null, null, [],
            [
                new CatalogAsset("nir", new Uri(_faults.Address, $"slow/nir{i}.tif").ToString(), "image/tiff; application=geotiff", Size: new FileInfo(nir).Length),
                new CatalogAsset("red", new Uri(_faults.Address, $"slow/red{i}.tif").ToString(), "image/tiff; application=geotiff", Size: new FileInfo(red).Length),
            ]));
        }
        // The same file behind a redirect to "localhost" (another host as far as credentials go).
        items.Add(new CatalogItem("slow", "redirected", items[0].DateTime, items[0].Start, items[0].End, items[0].Geometry, items[0].Bbox, null, null, null, [],
        [
            new CatalogAsset("nir", new Uri(_faults.Address, $"redirect/localhost:{_faults.Address.Port}/nir0.tif").ToString(), "image/tiff; application=geotiff"),
            new CatalogAsset("red", new Uri(_faults.Address, "red0.tif").ToString(), "image/tiff; application=geotiff"),
        ]));
        // A connection cut in the middle of the file.
        items.Add(new CatalogItem("slow", "cut", items[0].DateTime, items[0].Start, items[0].End, items[0].Geometry, items[0].Bbox, null, null, null, [],
        [
            new CatalogAsset("nir", new Uri(_faults.Address, "reset/nir2.tif").ToString(), "image/tiff; application=geotiff"),
            new CatalogAsset("red", new Uri(_faults.Address, "red2.tif").ToString(), "image/tiff; application=geotiff"),
        ]));
        // A file three providers are asked for in order: the first has none, the second not yet, the third has it.
        items.Add(new CatalogItem("slow", "mirrored", items[0].DateTime, items[0].Start, items[0].End, items[0].Geometry, items[0].Bbox, null, null, null, [],
        [
            new CatalogAsset("nir", new Uri(_faults.Address, "gone/nir3.tif").ToString(), "image/tiff; application=geotiff", Extra: new JsonObject
            {
                ["alternate"] = new JsonObject
                {
                    ["later"] = new JsonObject { ["href"] = new Uri(_faults.Address, "unavailable/9/nir3.tif").ToString() },
                    ["mirror"] = new JsonObject { ["href"] = new Uri(_faults.Address, "nir3.tif").ToString() },
                },
            }),
            new CatalogAsset("red", new Uri(_faults.Address, "red3.tif").ToString(), "image/tiff; application=geotiff"),
        ]));
        // One scene two tasks read at once.
        SyntheticRaster.Write<ushort>(Path.Combine(_www.Path, "shared.tif"), grid, (c, r) => (ushort)(2500 + (c + r) % 300));
        items.Add(new CatalogItem("slow", "shared", items[0].DateTime, items[0].Start, items[0].End, items[0].Geometry, items[0].Bbox, null, null, null, [],
        [
            new CatalogAsset("nir", new Uri(_faults.Address, "slow/shared.tif").ToString(), "image/tiff; application=geotiff"),
            new CatalogAsset("red", new Uri(_faults.Address, "red3.tif").ToString(), "image/tiff; application=geotiff"),
        ]));
        // A provider that has the file only at the second asking.
        items.Add(new CatalogItem("slow", "late", items[0].DateTime, items[0].Start, items[0].End, items[0].Geometry, items[0].Bbox, null, null, null, [],
        [
            new CatalogAsset("nir", new Uri(_faults.Address, "unavailable/1/nir1.tif").ToString(), "image/tiff; application=geotiff"),
            new CatalogAsset("red", new Uri(_faults.Address, "red1.tif").ToString(), "image/tiff; application=geotiff"),
        ]));
        await catalog.UpsertItemsAsync(items);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _faults!.Dispose();
        _www.Dispose();
    }

    private static object Ndvi(string item) => new
    {
        name = "ndvi " + item,
        type = 7,
        inputs = new object[] { new { role = "nir", item = "slow/" + item, asset = "nir" }, new { role = "red", item = "slow/" + item, asset = "red" } },
    };

    [Fact]
    public async Task FourWorkers_NeverDownloadMoreThanTwoAtOnce_FromAProviderThatAllowsTwo()
    {
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi($"scene{i}")))).GetProperty("taskId").GetInt64());
        }
        foreach (var id in ids)
        {
            var detail = await _http.WaitToEndAsync(id);
            Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        }

        var stats = _faults!.Stats();
        Assert.Equal(2, stats.MaxAtOnce);
        Assert.Equal("Basic " + Convert.ToBase64String("harvester:secret"u8.ToArray()), stats.Authorization["/slow/nir0.tif"]);
    }

    [Fact]
    public async Task ARedirectToAnotherHost_DoesNotCarryTheProvidersCredentials()
    {
        var id = (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi("redirected")))).GetProperty("taskId").GetInt64();
        var detail = await _http.WaitToEndAsync(id);

        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        var seen = _faults!.Stats().Authorization;
        Assert.NotNull(seen[$"/redirect/localhost:{_faults.Address.Port}/nir0.tif"]); // the provider's own address: its credentials
        Assert.Null(seen["/nir0.tif"]); // reached as localhost after the redirect: none
    }

    [Fact]
    public async Task AFileNotAvailableYet_MakesTheTaskWaitTheRetryDelay_WithoutFailingOrCountingAnAttempt()
    {
        var id = (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi("late")))).GetProperty("taskId").GetInt64();
        var detail = await _http.WaitToEndAsync(id);

        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        Assert.Equal(1, detail.GetProperty("attempts").GetInt32());
        var waited = detail.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("statusName").GetString() == "NOT_STARTED" && h.GetProperty("from").ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal($"{new Uri(_faults!.Address, "unavailable/1/nir1.tif")}: HTTP 503 Service Unavailable: not available yet; tried again in 1 s",
            waited.GetProperty("errorMessage").GetString());
        Assert.Equal(1, _faults.Stats().Unavailable);
    }

    [Fact]
    public async Task ADownloadCutMidway_ContinuesWithARangeRequest_AndTheResultIsWhole()
    {
        var id = (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi("cut")))).GetProperty("taskId").GetInt64();
        var detail = await _http.WaitToEndAsync(id);

        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        var stats = _faults!.Stats();
        Assert.Equal((1, 1), (stats.Resets, stats.Ranges));
        // What was put together from the two requests is the file, byte for byte.
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_www.Path, "nir2.tif")),
            await _http.GetByteArrayAsync("/stac/collections/slow/items/cut/assets/nir"));
    }

    [Fact]
    public async Task TheProvidersOfAFile_AreAskedInOrder_UntilOneHasIt()
    {
        var id = (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi("mirrored")))).GetProperty("taskId").GetInt64();
        var detail = await _http.WaitToEndAsync(id);

        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        Assert.Equal(1, detail.GetProperty("attempts").GetInt32());
        Assert.DoesNotContain(detail.GetProperty("history").EnumerateArray(), h => h.GetProperty("statusName").GetString() == "NOT_STARTED" && h.GetProperty("from").ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal(1, _faults!.Stats().Unavailable); // the second provider was asked once, and passed over
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_www.Path, "nir3.tif")),
            await _http.GetByteArrayAsync("/stac/collections/slow/items/mirrored/assets/nir"));
    }

    [Fact]
    public async Task TwoTasksReadingOneFile_DownloadItOnce()
    {
        var first = (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi("shared")))).GetProperty("taskId").GetInt64();
        var second = (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi("shared")))).GetProperty("taskId").GetInt64();

        foreach (var id in new[] { first, second })
        {
            var detail = await _http.WaitToEndAsync(id);
            Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        }
        Assert.Equal(1, _faults!.Stats().Requests["/slow/shared.tif"]);
    }
}
