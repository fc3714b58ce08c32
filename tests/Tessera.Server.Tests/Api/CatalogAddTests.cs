using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// <c>POST /catalog/add</c> over the shared sample folder (allowed by the server's catalog folders): its Landsat
/// Collection 2, pre-collection Landsat and Sentinel-2 products become items whose time, cloud cover and platform are
/// those of their metadata files (read here independently) and whose footprint is GDAL's (Python); everything else in
/// the folder is skipped; the assets are served from where they lie, ranges included; the documents are valid STAC.
/// </summary>
public sealed class CatalogAddTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _admin = new();
    private JsonElement _task;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1),
            CatalogFolders: SampleData.Directory), url), ("admin", "root", Role.Admin), ("alice", "alice", Role.Write));
        _admin = _server.Client("admin");
        if (!SampleData.IsAvailable)
        {
            return;
        }
        var id = (await ApiCalls.Data(await _admin.PostAsJsonAsync("/catalog/add", new { folder = SampleData.Directory, collection = "samples", title = "Samples" })))
            .GetProperty("taskId").GetInt64();
        _task = await _admin.WaitToEndAsync(id);
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private async Task<JsonElement> Item(string id) =>
        JsonDocument.Parse(await _admin.GetStringAsync($"/stac/collections/samples/items/{id}")).RootElement;

    /// <summary>The union of the lon/lat extents of files, by GDAL's Python bindings.</summary>
    private static double[] Extent(IEnumerable<string> files)
    {
        var boxes = files.Select(f => PythonReference.Run("wgs84_extent.py", new { path = SampleData.File(f) })).ToList();
        return [boxes.Min(b => b.GetProperty("minX").GetDouble()), boxes.Min(b => b.GetProperty("minY").GetDouble()),
            boxes.Max(b => b.GetProperty("maxX").GetDouble()), boxes.Max(b => b.GetProperty("maxY").GetDouble())];
    }

    private static string Mtl(string file, string key) =>
        Regex.Match(File.ReadAllText(SampleData.File(file)), $@"^\s*{key} = ""?([^""\r\n]+)""?", RegexOptions.Multiline).Groups[1].Value;

    private static void AssertBbox(double[] expected, JsonElement item)
    {
        var bbox = item.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], bbox[i], 2); // GDAL's corners against the densified edges: within a hundredth of a degree
        }
    }

    [SampleDataFact]
    public async Task TheSamplesProducts_AreItems_WithTheirMetadatasTimeCloudAndPlatform()
    {
        Assert.True(_task.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", _task.ToString());
        Assert.Equal("CATALOG_ADD", _task.GetProperty("typeName").GetString());
        var page = JsonDocument.Parse(await _admin.GetStringAsync("/stac/collections/samples/items?limit=100")).RootElement;
        Assert.Equal(["LC08_L2SP_001062_20201031_20201106_02_T2", "LC80200392015216LGN00", "S2A_29RKH_20200219_L2A"],
            page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.StartsWith("scan (", _task.GetProperty("progress").GetProperty("stage").GetString());

        foreach (var (id, mtl) in new[] { ("LC08_L2SP_001062_20201031_20201106_02_T2", "LC08_L2SP_001062_20201031_20201106_02_T2_MTL.txt"), ("LC80200392015216LGN00", "LC80200392015216LGN00_MTL.txt") })
        {
            var item = await Item(id);
            var properties = item.GetProperty("properties");
            var time = DateTimeOffset.Parse($"{Mtl(mtl, "DATE_ACQUIRED")}T{Mtl(mtl, "SCENE_CENTER_TIME")}", CultureInfo.InvariantCulture);
            Assert.Equal(time.ToUnixTimeMilliseconds(), DateTimeOffset.Parse(properties.GetProperty("datetime").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
            Assert.Equal(double.Parse(Mtl(mtl, "CLOUD_COVER"), CultureInfo.InvariantCulture), properties.GetProperty("eo:cloud_cover").GetDouble());
            Assert.Equal("landsat-8", properties.GetProperty("platform").GetString());
            Assert.Equal($"WRS2-{int.Parse(Mtl(mtl, "WRS_PATH")):D3}{int.Parse(Mtl(mtl, "WRS_ROW")):D3}", properties.GetProperty("grid:code").GetString());
            var bands = item.GetProperty("assets").EnumerateObject().Where(a => a.Value.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "data"))
                .Select(a => a.Value.GetProperty("title").GetString()!).ToList();
            var files = Directory.GetFiles(SampleData.Directory!, id + "_*.tif", SearchOption.TopDirectoryOnly).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);
            Assert.Equal(files, bands.Order(StringComparer.Ordinal));
            AssertBbox(Extent(bands), item);
        }
        var landsat = await Item("LC80200392015216LGN00");
        Assert.Equal(("nir08", 0.86), (landsat.GetProperty("assets").GetProperty("B5").GetProperty("eo:bands")[0].GetProperty("common_name").GetString(),
            landsat.GetProperty("assets").GetProperty("B5").GetProperty("eo:bands")[0].GetProperty("center_wavelength").GetDouble()));

        var s2 = await Item("S2A_29RKH_20200219_L2A");
        var sidecar = JsonDocument.Parse(File.ReadAllText(SampleData.File("S2A_29RKH_20200219_L2A_stac_item.json"))).RootElement.GetProperty("properties");
        var s2Properties = s2.GetProperty("properties");
        Assert.Equal(sidecar.GetProperty("eo:cloud_cover").GetDouble(), s2Properties.GetProperty("eo:cloud_cover").GetDouble());
        Assert.Equal(DateTimeOffset.Parse(sidecar.GetProperty("datetime").GetString()!, CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(s2Properties.GetProperty("datetime").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(("sentinel-2a", "MGRS-29RKH", 32629), (s2Properties.GetProperty("platform").GetString(), s2Properties.GetProperty("grid:code").GetString(),
            s2Properties.GetProperty("proj:epsg").GetInt32()));
        Assert.Equal("red", s2.GetProperty("assets").GetProperty("B04").GetProperty("eo:bands")[0].GetProperty("common_name").GetString());
        AssertBbox(Extent(["S2A_29RKH_20200219_L2A_B04.tif", "S2A_29RKH_20200219_L2A_B01.tif"]), s2);
    }

    [SampleDataFact]
    public async Task AnAsset_IsServedFromWhereItLies_RangesIncluded()
    {
        var href = (await Item("LC80200392015216LGN00")).GetProperty("assets").GetProperty("B4").GetProperty("href").GetString()!;
        var bytes = await File.ReadAllBytesAsync(SampleData.File("LC80200392015216LGN00_B4.tif"));
        Assert.Equal(bytes, await _admin.GetByteArrayAsync(href));
        using var request = new HttpRequestMessage(HttpMethod.Get, href);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
        using var partial = await _admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[1000..2000], await partial.Content.ReadAsByteArrayAsync());
        var mtl = (await Item("LC80200392015216LGN00")).GetProperty("assets").GetProperty("MTL");
        Assert.Equal("text/plain", mtl.GetProperty("type").GetString());
    }

    [SampleDataFact]
    public async Task TheDocuments_AreValidStac10()
    {
        var result = StacValidator.Validate(new Dictionary<string, string>
        {
            ["collection"] = await _admin.GetStringAsync("/stac/collections/samples"),
            ["items"] = await _admin.GetStringAsync("/stac/collections/samples/items"),
        });
        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Objects);
    }

    [Fact]
    public async Task OnlyAllowedFolders_AndLocalCollections_CanBeAdded()
    {
        async Task<string> Message(HttpClient client, object body)
        {
            var response = await client.PostAsJsonAsync("/catalog/add", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
        }
        const string notAllowed = "folder: not a folder under the catalog folders the configuration allows (catalogFolders)";
        Assert.Equal(notAllowed, await Message(_admin, new { folder = "/etc", collection = "x" }));
        Assert.Equal(notAllowed, await Message(_admin, new { folder = "relative/path", collection = "x" }));
        Assert.Equal(notAllowed, await Message(_admin, new { folder = Path.Combine(SampleData.Directory ?? "/nowhere", "..", ".."), collection = "x" }));
        Assert.Equal("collection: 'ndvi' holds results scenes, not products of this server's folders",
            await Message(_admin, new { folder = SampleData.Directory ?? "/", collection = "ndvi" }));
        Assert.Equal("collection: 'a/b' is not an id (letters, digits, '.', '_' and '-', at most 100)",
            await Message(_admin, new { folder = SampleData.Directory ?? "/", collection = "a/b" }));
        Assert.StartsWith("recursive: not a field of an addition", await Message(_admin, new { folder = "/", collection = "x", recursive = true }));
        Assert.Equal(HttpStatusCode.Forbidden, (await _server!.Client("alice").PostAsJsonAsync("/catalog/add", new { folder = "/", collection = "x" })).StatusCode);
    }
}
