using System.Net.Http.Headers;
using System.Net;
using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Host;
using Tessera.Raster.Tiles;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// Tiles over HTTP from files in the store (a UTM Sentinel-2 band and a lon/lat Landsat mosaic): raw values
/// (.npy) equal GDAL's own warp of the file, images decode, outside is 204, bad addresses are 400.
/// </summary>
public sealed class TilesApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url),
            ("alice", "alice", Role.Read), ("bob", "bob", Role.Write));
        _http = _server.Client("alice");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private async Task<(long Id, string Path)> StoreAsync(string sample, string owner = "alice")
    {
        var files = _server!.Get<FileStore>();
        await using var content = File.OpenRead(SampleData.File(sample));
        var file = await files.AddAsync(content, sample, owner);
        return (file.Id, await files.PathOfAsync(file.Id, owner));
    }

    private static TileAddress CenterTile(string sample, int zoom)
    {
        using var source = TileSource.Open(SampleData.File(sample));
        var b = source.LonLatBounds;
        return WebMercator.TileAt((b.MinX + b.MaxX) / 2, (b.MinY + b.MaxY) / 2, zoom);
    }

    [SampleDataTheory]
    [InlineData("S2A_29RKH_20200219_L2A_B04.tif", 11)]
    [InlineData("L8_mosaic_cog2_epsg4326.tif", 9)]
    public async Task NpyTile_HoldsTheValuesGdalWarpGives(string sample, int zoom)
    {
        var (id, path) = await StoreAsync(sample);
        var tile = CenterTile(sample, zoom);

        var response = await _http.GetAsync($"/tiles/{id}/{tile.Z}/{tile.X}/{tile.Y}.npy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("miss", response.Headers.GetValues("X-Tile-Cache").Single());
        var npy = _server!.Data.File($"tile-{id}.npy");
        await File.WriteAllBytesAsync(npy, await response.Content.ReadAsByteArrayAsync());
        var reference = PythonReference.Run("tile_reference.py", new { source = path, tile = npy, z = tile.Z, x = tile.X, y = tile.Y });
        Assert.True(reference.GetProperty("shapeEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("validCount").GetInt64() > 1000, reference.ToString());
        Assert.Equal(0, reference.GetProperty("maxAbsDiff").GetDouble());
        var again = await _http.GetAsync($"/tiles/{id}/{tile.Z}/{tile.X}/{tile.Y}.npy");
        Assert.Equal("hit", again.Headers.GetValues("X-Tile-Cache").Single());
    }

    [SampleDataFact]
    public async Task PngAndWebpTiles_AreImagesOfTheRightSize_AndTheDefaultStyleIsAStretch()
    {
        var (id, _) = await StoreAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var tile = CenterTile("S2A_29RKH_20200219_L2A_B04.tif", 11);
        foreach (var (extension, media) in new[] { ("png", "image/png"), ("webp", "image/webp") })
        {
            var response = await _http.GetAsync($"/tiles/{id}/{tile.Z}/{tile.X}/{tile.Y}.{extension}?colormap=greys&rescale=0,4000");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(media, response.Content.Headers.ContentType?.MediaType);
            var path = _server!.Data.File($"tile.{extension}");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
            using var image = Raster.RasterDataset.Open(path);
            Assert.Equal((256, 256), (image.Width, image.Height));
            // PNG keeps its alpha band; WebP drops an alpha that is opaque everywhere (this tile is all data).
            Assert.Equal(extension == "png" ? 4 : 3, image.BandCount);
        }
    }

    [SampleDataFact]
    public async Task Outside_IsNoContent_AndBadRequestsNameTheProblem()
    {
        var (id, _) = await StoreAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var far = WebMercator.TileAt(140, -30, 10);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.GetAsync($"/tiles/{id}/{far.Z}/{far.X}/{far.Y}.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.GetAsync($"/tiles/{id}/{far.Z}/{far.X}/{far.Y}.npy")).StatusCode);

        async Task<string> BadRequest(string url)
        {
            var response = await _http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
        }
        Assert.Equal("zoom 30 is outside 0..24", await BadRequest($"/tiles/{id}/30/0/0.png"));
        Assert.Equal("tile 8/0 does not exist at zoom 3 (0..7 each way)", await BadRequest($"/tiles/{id}/3/8/0.png"));
        Assert.Equal("tile 0/-1 does not exist at zoom 3 (0..7 each way)", await BadRequest($"/tiles/{id}/3/0/-1.png"));
        Assert.StartsWith("'1.gif' is not a tile row with a format", await BadRequest($"/tiles/{id}/3/0/1.gif"));
        Assert.StartsWith("'x.png' is not a tile row", await BadRequest($"/tiles/{id}/3/0/x.png"));
        Assert.StartsWith("unknown colormap 'jet'", await BadRequest($"/tiles/{id}/3/0/1.png?colormap=jet"));
        Assert.Equal("rescale '5,1' is not 'min,max' with min < max", await BadRequest($"/tiles/{id}/3/0/1.png?rescale=5,1"));
        Assert.Equal("band 2 does not exist: the raster has 1 band(s)", await BadRequest($"/tiles/{id}/3/0/1.png?bands=2"));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/tiles/{id + 100}/3/0/1.png")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health")).StatusCode);
    }

    [SampleDataFact]
    public async Task AnotherUsersFile_IsNotFound_AndATokenMayComeInTheQuery()
    {
        var (bobs, _) = await StoreAsync("S2A_29RKH_20200219_L2A_B04.tif", owner: "bob");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/tiles/{bobs}/0/0/0.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/files/{bobs}/preview.png")).StatusCode);

        using var anonymous = new HttpClient { BaseAddress = _server!.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/tiles/{bobs}/0/0/0.png")).StatusCode);
        var bobToken = _server.Client("bob").DefaultRequestHeaders.Authorization!.Parameter;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/tiles/{bobs}/0/0/0.png?access_token={bobToken}")).StatusCode);
        // Only for reading: a change still needs the header.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/files/{bobs}?access_token={bobToken}")).StatusCode);
    }

    [SampleDataFact]
    public async Task TileJson_DescribesTheTiles_AndCarriesTheQueryOn()
    {
        var (id, _) = await StoreAsync("L8_mosaic_cog1_utm18n.tif");
        var doc = JsonDocument.Parse(await _http.GetStringAsync($"/tiles/{id}/tilejson.json?colormap=viridis")).RootElement;
        Assert.Equal("2.2.0", doc.GetProperty("tilejson").GetString());
        Assert.Equal($"{_server!.Address.ToString().TrimEnd('/')}/tiles/{id}/{{z}}/{{x}}/{{y}}.png?colormap=viridis", doc.GetProperty("tiles")[0].GetString());
        var bounds = doc.GetProperty("bounds").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        using var source = TileSource.Open(SampleData.File("L8_mosaic_cog1_utm18n.tif"));
        Assert.Equal(source.LonLatBounds.MinX, bounds[0], 6);
        Assert.Equal(source.LonLatBounds.MaxY, bounds[3], 6);
        var maxZoom = doc.GetProperty("maxzoom").GetInt32();
        Assert.Equal(WebMercator.ZoomFor(source.MercatorResolution), maxZoom);
        Assert.InRange(doc.GetProperty("minzoom").GetInt32(), 0, maxZoom);
    }

    [SampleDataFact]
    public async Task PreviewOfAnUploadedFile_IsMadeOnFirstRequest()
    {
        var (id, path) = await StoreAsync("Landsat_Pucallpa_2020_SWIR1-NIR-Red-Green_byte.tif");
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "preview.png")));
        var response = await _http.GetAsync($"/files/{id}/preview.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "preview.png")));
        var legend = JsonDocument.Parse(await _http.GetStringAsync($"/files/{id}/legend.json")).RootElement;
        Assert.Equal("rgb", legend.GetProperty("kind").GetString());
        Assert.Equal([1, 2, 3], legend.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("band").GetInt32()));
    }
}
