using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// Processing from the catalog: a Sentinel-2 item whose bands are served by a real HTTP server on loopback is
/// harvested, then an NDVI task names two of its assets as inputs; the worker downloads them in the DOWNLOADING stage
/// (checksum checked, the catalog then knowing where they lie) and the result equals numpy's NDVI of the same files.
/// An asset the provider cannot give fails the download stage with the provider's answer.
/// </summary>
public sealed class CatalogInputsTests : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private StaticHttpServer? _source;
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(
            new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1), AllowedHosts: "127.0.0.1"), url), ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
        if (!SampleData.IsAvailable)
        {
            return;
        }
        var folder = Directory.CreateDirectory(Path.Combine(_www.Path, "s2")).FullName;
        var assets = new JsonObject();
        foreach (var (key, common) in new[] { ("B04", "red"), ("B08", "nir") })
        {
            var file = Path.Combine(folder, $"{key}.tif");
            File.Copy(SampleData.File($"S2A_29RKH_20200219_L2A_{key}.tif"), file);
            assets[key] = new JsonObject
            {
                ["href"] = $"./{key}.tif",
                ["type"] = "image/tiff; application=geotiff; profile=cloud-optimized",
                ["roles"] = new JsonArray("data"),
                ["file:size"] = new FileInfo(file).Length,
                ["file:checksum"] = "1220" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))),
                ["eo:bands"] = new JsonArray(new JsonObject { ["name"] = key, ["common_name"] = common }),
            };
        }
        assets["B02"] = new JsonObject { ["href"] = "./B02-gone.tif", ["type"] = "image/tiff; application=geotiff", ["roles"] = new JsonArray("data") };
        File.WriteAllText(Path.Combine(folder, "item.json"), new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = "1.0.0",
            ["id"] = "S2A_29RKH_20200219",
            ["collection"] = "s2",
            ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(-11.4, 24.8) },
            ["bbox"] = new JsonArray(-11.4, 24.8, -11.4, 24.8),
            ["properties"] = new JsonObject { ["datetime"] = "2020-02-19T11:34:25Z" },
            ["assets"] = assets,
            ["links"] = new JsonArray(),
        }.ToJsonString());
        File.WriteAllText(Path.Combine(_www.Path, "collection.json"), new JsonObject
        {
            ["type"] = "Collection",
            ["stac_version"] = "1.0.0",
            ["id"] = "s2",
            ["description"] = "One scene",
            ["license"] = "CC-BY-4.0",
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(new JsonArray(-180, -90, 180, 90)) },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray("2020-01-01T00:00:00Z", null)) },
            },
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "item", ["href"] = "./s2/item.json" }),
        }.ToJsonString());
        _source = StaticHttpServer.Serve(_www.Path);
        var harvest = (await ApiCalls.Data(await _http.PostAsJsonAsync("/catalog/harvest", new { source = new Uri(_source.Address, "collection.json").ToString() })))
            .GetProperty("taskId").GetInt64();
        var done = await _http.WaitToEndAsync(harvest);
        Assert.True(done.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", done.ToString());
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _source?.Dispose();
        _www.Dispose();
    }

    private static object Ndvi(string nirAsset = "B08") => new
    {
        name = "ndvi from the catalog",
        type = 7,
        inputs = new object[]
        {
            new { role = "nir", item = "s2/S2A_29RKH_20200219", asset = nirAsset },
            new { role = "red", item = "s2/S2A_29RKH_20200219", asset = "B04" },
        },
    };

    [SampleDataFact]
    public async Task NdviOfTwoCatalogAssets_IsDownloadedThenComputed_AndEqualsNumpy()
    {
        var added = await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi()));
        Assert.Contains(added.GetProperty("warnings").EnumerateArray(), w => w.GetString() == "inputs.nir: the catalog asset is downloaded when the task runs; its bands and grid are checked then");
        var detail = await _http.WaitToEndAsync(added.GetProperty("taskId").GetInt64());
        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());

        var files = _server!.Get<FileStore>();
        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "ndvi",
            output = await files.PathOfAsync(detail.GetProperty("result").GetProperty("outputFileId").GetInt64(), "alice"),
            inputs = new Dictionary<string, object>
            {
                ["nir"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B08.tif") },
                ["red"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif") },
            },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
        // The catalog knows where the downloads lie: the assets are served from there now.
        Assert.Equal(await File.ReadAllBytesAsync(SampleData.File("S2A_29RKH_20200219_L2A_B08.tif")),
            await _http.GetByteArrayAsync("/stac/collections/s2/items/S2A_29RKH_20200219/assets/B08"));
    }

    [SampleDataFact]
    public async Task AnAssetTheProviderCannotGive_FailsTheDownloadStage_WithItsAnswer()
    {
        var id = (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", Ndvi("B02")))).GetProperty("taskId").GetInt64();
        var detail = await _http.WaitToEndAsync(id);

        Assert.Equal("DOWNLOAD_FAILED", detail.GetProperty("statusName").GetString());
        Assert.Contains($"{new Uri(_source!.Address, "s2/B02-gone.tif")}: HTTP 404 Not Found", detail.GetProperty("errorMessage").GetString());
    }

    [SampleDataFact]
    public async Task AnAssetThatDoesNotExist_Is400_NamingTheInput()
    {
        var response = await _http.PostAsJsonAsync("/processtask/addTask", Ndvi("B8A"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("inputs.nir.item: item 's2/S2A_29RKH_20200219' has no asset 'B8A' (it has B04, B08, B02)",
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
    }
}
