using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// <c>POST /catalog/convert</c> end to end: items of the catalog whose products lie on the server (a Sentinel-2 SAFE
/// zip, a Landsat Collection 2 tar, a NetCDF file, GeoTIFFs, made from the samples) are converted by CONVERT tasks, one
/// per item; the COGs become assets the STAC API describes (valid STAC) and serves, and what it serves passes GDAL's COG
/// validator and holds the source band's values, CRS and geotransform (GDAL's Python bindings and numpy); a conversion
/// run again replaces its own assets, and removing the item's downloads takes them away; damaged products and assets
/// no converter takes fail the task with a message naming the asset, never a path of the server.
/// </summary>
public sealed class CatalogConvertTests(ProductArchives products) : IClassFixture<ProductArchives>, IAsyncLifetime
{
    private const string CogType = "image/tiff; application=geotiff; profile=cloud-optimized";

    private readonly TempFolder _downloaded = new();
    private RunningServer? _server;
    private HttpClient _alice = new();

    private static readonly DateTimeOffset Time = new(2020, 2, 19, 11, 33, 21, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 1, PollInterval: TimeSpan.FromSeconds(1)), url),
            ("root", "root", Role.Admin), ("alice", "alice", Role.Write), ("bob", "bob", Role.Read));
        _alice = _server.Client("alice");
        if (!SampleData.IsAvailable)
        {
            return;
        }
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("products", "Products", "Products on this server", "other", CollectionKind.Harvested, [], []));
        CatalogAsset Here(string key, string path, string? type, string? href = null) =>
            new(key, href ?? "https://download.example.org/products/" + Path.GetFileName(path), type, Roles: ["data"], LocalPath: path);
        CatalogItem Item(string id, string? platform, params CatalogAsset[] assets) =>
            new("products", id, Time, Time, Time, Tessera.Catalog.Stac.StacItems.Polygon(-12, 24, -11, 25), new Bounds(-12, 24, -11, 25), null, platform, null, [], assets);
        var mtl = Path.Combine(Path.GetDirectoryName(products.LandsatSources["SR_B4"])!, $"{ProductArchives.LandsatProduct}_MTL.txt");
        await catalog.UpsertItemsAsync(
        [
            Item("s2", "sentinel-2a", Here("product", products.SafeZip, "application/zip")),
            Item("landsat", "landsat-8", Here("product", products.LandsatTar, "application/x-tar")),
            Item("netcdf", null, Here("data", products.NetCdf, "application/x-netcdf")),
            Item("mixed", "sentinel-2a", Here("B04", products.StrippedTiff, "image/tiff; application=geotiff", "/stac/collections/products/items/mixed/assets/B04"),
                Here("visual", SampleData.File("S2A_29RKH_20200219_L2A_B03.tif"), CogType), Here("MTL", mtl, "text/plain"),
                new CatalogAsset("remote", "https://download.example.org/products/elsewhere.tif", "image/tiff")),
            Item("broken", "sentinel-2a", Here("product", products.BrokenZip, "application/zip")),
            Item("text-only", "landsat-8", Here("MTL", mtl, "text/plain")),
            Item("remote-only", "landsat-8", new CatalogAsset("product", "https://download.example.org/products/LC08.tar", "application/x-tar")),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _downloaded.Dispose();
    }

    private async Task<long[]> ConvertAsync(object body)
    {
        var data = await ApiCalls.Data(await _alice.PostAsJsonAsync("/catalog/convert", body));
        return data.GetProperty("taskIds").EnumerateArray().Select(i => i.GetInt64()).ToArray();
    }

    private async Task<JsonElement> SucceedsAsync(long id)
    {
        var done = await _alice.WaitToEndAsync(id);
        Assert.True(done.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", done.ToString());
        Assert.Equal("CONVERT", done.GetProperty("typeName").GetString());
        return done;
    }

    private async Task<JsonElement> Item(string id) => JsonDocument.Parse(await _alice.GetStringAsync($"/stac/collections/products/items/{id}")).RootElement;

    private static string[] Keys(JsonElement item) => item.GetProperty("assets").EnumerateObject().Select(a => a.Name).ToArray();

    /// <summary>The asset as the STAC API serves it, saved here; its bytes' SHA-256 is the asset's file:checksum.</summary>
    private async Task<string> ServedAsync(JsonElement item, string key)
    {
        var asset = item.GetProperty("assets").GetProperty(key);
        Assert.Equal(CogType, asset.GetProperty("type").GetString());
        Assert.Equal(["data"], asset.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var href = asset.GetProperty("href").GetString()!;
        Assert.Equal(new Uri(_server!.Address, $"/stac/collections/products/items/{item.GetProperty("id").GetString()}/assets/{key}").ToString(), href);
        var bytes = await _alice.GetByteArrayAsync(href);
        Assert.Equal("1220" + Convert.ToHexStringLower(SHA256.HashData(bytes)), asset.GetProperty("file:checksum").GetString());
        Assert.Equal(bytes.Length, asset.GetProperty("file:size").GetInt64());
        var path = _downloaded.File($"{item.GetProperty("id").GetString()}-{key}.tif");
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    /// <summary>The served COGs against their sources, by GDAL's validator and numpy.</summary>
    private static void AssertSameRasters(IEnumerable<(string Served, string Source)> pairs)
    {
        var checks = PythonReference.Run("cog_conversion.py", new { pairs = pairs.Select(p => new { output = p.Served, source = p.Source }) });
        foreach (var check in checks.EnumerateArray())
        {
            Assert.True(check.GetProperty("errors").GetArrayLength() == 0, check.ToString());
            Assert.True(check.GetProperty("identical").GetBoolean(), check.ToString());
            Assert.True(check.GetProperty("sameCrs").GetBoolean(), check.ToString());
            Assert.Equal(check.GetProperty("sourceGeoTransform").ToString(), check.GetProperty("geoTransform").ToString());
            Assert.Equal(check.GetProperty("sourceNoData").ToString(), check.GetProperty("noData").ToString());
        }
    }

    [SampleDataFact]
    public async Task Converting_AddsCogAssets_ThatTheStacApiDescribesAndServes()
    {
        var ids = await ConvertAsync(new { collections = new[] { "products" }, ids = new[] { "s2", "landsat", "netcdf", "mixed" } });

        Assert.Equal(4, ids.Length);
        var stages = new List<string>();
        foreach (var id in ids)
        {
            stages.Add((await SucceedsAsync(id)).GetProperty("progress").GetProperty("stage").GetString()!);
        }
        Assert.Contains("convert: 4 COG assets (B02, B04, B05, SCL)", stages);
        Assert.Contains("convert: 1 COG asset (B04_cog); already cloud-optimized, kept: visual; no converter for: MTL", stages);

        var s2 = await Item("s2");
        Assert.Equal(["product", "B02", "B04", "B05", "SCL"], Keys(s2));
        AssertSameRasters(await Task.WhenAll(new[] { "B02", "B04", "B05", "SCL" }.Select(async k => (await ServedAsync(s2, k), products.SafeSources[k]))));
        var b04 = s2.GetProperty("assets").GetProperty("B04");
        Assert.Equal("red", b04.GetProperty("eo:bands")[0].GetProperty("common_name").GetString());
        Assert.Equal(32629, b04.GetProperty("proj:epsg").GetInt32());
        var raster = b04.GetProperty("raster:bands")[0];
        Assert.Equal(("uint16", 0.0, 1e-4, 0.0), (raster.GetProperty("data_type").GetString(), raster.GetProperty("nodata").GetDouble(),
            raster.GetProperty("scale").GetDouble(), raster.GetProperty("offset").GetDouble()));

        var landsat = await Item("landsat");
        Assert.Equal(["product", "QA_PIXEL", "SR_B4", "SR_B5"], Keys(landsat));
        AssertSameRasters(await Task.WhenAll(ProductArchives.LandsatKeys.Select(async k => (await ServedAsync(landsat, k), products.LandsatSources[k]))));
        var mtl = File.ReadAllText(SampleData.File($"{ProductArchives.LandsatProduct}_MTL.txt"));
        var sr4 = landsat.GetProperty("assets").GetProperty("SR_B4").GetProperty("raster:bands")[0];
        Assert.Equal(double.Parse(Regex.Match(mtl, @"REFLECTANCE_MULT_BAND_4 = (\S+)").Groups[1].Value, CultureInfo.InvariantCulture), sr4.GetProperty("scale").GetDouble());
        Assert.Equal(double.Parse(Regex.Match(mtl, @"REFLECTANCE_ADD_BAND_4 = (\S+)").Groups[1].Value, CultureInfo.InvariantCulture), sr4.GetProperty("offset").GetDouble());

        var netcdf = await Item("netcdf");
        Assert.Equal(["data", "Band1", "Band2"], Keys(netcdf));
        AssertSameRasters(await Task.WhenAll(new[] { "Band1", "Band2" }.Select(async k => (await ServedAsync(netcdf, k), $"NETCDF:\"{products.NetCdf}\":{k}"))));

        // The GeoTIFF's own key is taken by the source: its COG is B04_cog; the COG beside it is kept as it was.
        var mixed = await Item("mixed");
        Assert.Equal(["B04", "visual", "MTL", "remote", "B04_cog"], Keys(mixed));
        AssertSameRasters([(await ServedAsync(mixed, "B04_cog"), products.StrippedTiff)]);
        Assert.Equal("image/tiff; application=geotiff", mixed.GetProperty("assets").GetProperty("B04").GetProperty("type").GetString());

        var result = StacValidator.Validate(new Dictionary<string, string>
        {
            ["s2"] = s2.GetRawText(), ["landsat"] = landsat.GetRawText(), ["netcdf"] = netcdf.GetRawText(), ["mixed"] = mixed.GetRawText(),
        });
        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Objects);
    }

    [SampleDataFact]
    public async Task ConvertingAgain_ReplacesItsOwnAssets_AndRemovingTheDownloads_TakesThemAway()
    {
        foreach (var _ in new[] { 1, 2 })
        {
            var id = Assert.Single(await ConvertAsync(new { ids = new[] { "landsat" }, assets = new[] { "product" } }));
            await SucceedsAsync(id);
        }
        var landsat = await Item("landsat");
        Assert.Equal(["product", "QA_PIXEL", "SR_B4", "SR_B5"], Keys(landsat));
        var downloads = Path.Combine(_server!.Data.Path, "downloads");
        Assert.Equal(["QA_PIXEL.tif", "SR_B4.tif", "SR_B5.tif"], Directory.GetFiles(downloads, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order());

        var root = _server.Client("root");
        var removal = await ApiCalls.Data(await root.PostAsJsonAsync("/catalog/remove_downloaded", new { ids = new[] { "landsat" } }));
        await root.WaitToEndAsync(removal.GetProperty("taskIds")[0].GetInt64());

        Assert.Equal(["product"], Keys(await Item("landsat")));
        Assert.Empty(Directory.GetFiles(downloads, "*", SearchOption.AllDirectories));
        Assert.True(File.Exists(products.LandsatTar)); // the product was not a download of the service's
    }

    [SampleDataFact]
    public async Task DamagedProducts_AndAssetsNoConverterTakes_FailTheTask_NamingTheAsset()
    {
        var ids = await ConvertAsync(new { ids = new[] { "broken", "text-only", "remote-only" } });

        Assert.Equal(2, ids.Length); // nothing of remote-only is on the server
        var messages = new List<string>();
        foreach (var id in ids)
        {
            var done = await _alice.WaitToEndAsync(id);
            Assert.Equal("DOWNLOAD_FAILED", done.GetProperty("statusName").GetString());
            messages.Add(done.GetProperty("errorMessage").GetString()!);
        }
        Assert.Contains("asset 'product' (Sentinel-2 SAFE zip): not a zip archive that can be read (damaged or cut short)", messages);
        Assert.Contains("no converter takes the assets of item 'products/text-only' on this machine (MTL): "
            + "a Sentinel-2 SAFE zip, a Landsat Collection 2 tar, a NetCDF file or a GeoTIFF is converted", messages);
        Assert.All(messages, m => Assert.DoesNotContain(products.Folder, m));
        Assert.Equal(["product"], Keys(await Item("broken")));
    }

    [SampleDataFact]
    public async Task TheRequest_IsCheckedFirst()
    {
        async Task<(HttpStatusCode, string)> Refusal(HttpClient client, object body)
        {
            var response = await client.PostAsJsonAsync("/catalog/convert", body);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "assets: item 'products/mixed' has no asset 'B99'"),
            await Refusal(_alice, new { ids = new[] { "mixed" }, assets = new[] { "B04", "B99" } }));
        var (status, message) = await Refusal(_alice, new { ids = new[] { "s2" }, destination = "/tmp" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("destination: not a field of a convert (known: ", message);
        Assert.Equal(HttpStatusCode.Forbidden, (await _server!.Client("bob").PostAsJsonAsync("/catalog/convert", new { ids = new[] { "s2" } })).StatusCode);
    }
}
