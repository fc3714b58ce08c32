using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Tests;
using Tessera.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Tessera.Web.Tests;

/// <summary>
/// Areas drawn on a map where the page asks for one: a crop's box and zonal zones in the dialog (the tasks run on what
/// was drawn: numpy's zonal statistics of the drawn polygon), a catalog search's area; and a point through time over a
/// collection (GDAL's value at the clicked place).
/// </summary>
public sealed class DrawingTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private RunningServer? _server;
    private IBrowserContext? _context;
    private IPage _page = null!;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1)), url),
            ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
        _context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(30_000);
        await _page.GotoAsync($"{_server.Address}#token={_http.DefaultRequestHeaders.Authorization!.Parameter}");
        await Expect(_page.Locator("#tasks")).ToBeVisibleAsync();
    }

    public async Task DisposeAsync()
    {
        await _context!.DisposeAsync();
        await _server!.DisposeAsync();
    }

    private async Task<JsonElement> EndedAsync(long id)
    {
        for (var i = 0; i < 600; i++)
        {
            var detail = JsonDocument.Parse(await _http.GetStringAsync($"/processtask/query/task/detail?id={id}")).RootElement.GetProperty("data").Clone();
            if (detail.GetProperty("status").GetInt32() is 7 or 4 or 8 or 9)
            {
                Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
                return detail;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"task {id} did not end");
    }

    private async Task<long> LatestTaskAsync() =>
        JsonDocument.Parse(await (await _http.PostAsync("/processtask/query/page", JsonContent("{\"pageNum\":1,\"pageSize\":1,\"sort\":\"createdAt,desc\"}"))).Content.ReadAsStringAsync())
            .RootElement.GetProperty("data").GetProperty("records")[0].GetProperty("id").GetInt64();

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private async Task ClickAt(string selector, double fx, double fy)
    {
        await _page.Locator(selector).ScrollIntoViewIfNeededAsync();
        var box = (await _page.Locator(selector).BoundingBoxAsync())!;
        await _page.Mouse.ClickAsync((float)(box.X + box.Width * fx), (float)(box.Y + box.Height * fy));
    }

    [SampleDataFact]
    public async Task ABoxAndZonesDrawnInTheDialog_AreWhatTheTasksUse_AndACollectionIsSearchedAndReadByPlace()
    {
        var b04 = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif");
        using (var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(b04)), "file", "B04.tif" } })
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, (await _http.PostAsync("/files", form)).StatusCode);
        }

        // A crop's box, drawn over the input's footprint.
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "12");
        await _page.FillAsync("#task-name", "drawn crop");
        await _page.SelectOptionAsync("#input-image-file", new SelectOptionValue { Index = 1 });
        await _page.ClickAsync("#draw-bbox");
        await Expect(_page.Locator("#draw-map-bbox .leaflet-basemap-pane path").First).ToBeAttachedAsync();
        await Expect(_page.Locator("#draw-map-bbox[data-drawing=rectangle]")).ToHaveCountAsync(1);
        await ClickAt("#draw-map-bbox", 0.35, 0.35);
        await ClickAt("#draw-map-bbox", 0.6, 0.62);
        var drawn = (await _page.InputValueAsync("#param-bbox")).Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, drawn.Length);
        Assert.True(drawn[0] < drawn[2] && drawn[1] < drawn[3], string.Join(",", drawn));
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "draw-crop-box.png") });
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);
        var crop = await EndedAsync(await LatestTaskAsync());
        Assert.Equal(string.Join(',', drawn.Select(v => v.ToString("0.000000", CultureInfo.InvariantCulture))),
            crop.GetProperty("parameters").GetProperty("bbox").GetString());
        // The result covers the box drawn, snapped outwards to whole 100 m pixels (about 0.001 degrees).
        var bounds = crop.GetProperty("result").GetProperty("bounds").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(bounds[0] <= drawn[0] + 1e-9 && bounds[1] <= drawn[1] + 1e-9 && bounds[2] >= drawn[2] - 1e-9 && bounds[3] >= drawn[3] - 1e-9,
            $"{string.Join(",", bounds)} does not cover {string.Join(",", drawn)}");
        Assert.True(drawn[0] - bounds[0] < 0.01 && bounds[2] - drawn[2] < 0.01 && drawn[1] - bounds[1] < 0.01 && bounds[3] - drawn[3] < 0.01,
            $"{string.Join(",", bounds)} is much larger than {string.Join(",", drawn)}");

        // Zones drawn as a polygon (three corners, closed on the first), for zonal statistics.
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "13");
        await _page.FillAsync("#task-name", "drawn zones");
        await _page.SelectOptionAsync("#input-1-file", new SelectOptionValue { Label = "B04.tif (#1)" });
        await _page.ClickAsync("fieldset[data-row='2'] >> text=Remove");
        await _page.ClickAsync("#draw-zones");
        await Expect(_page.Locator("#draw-map-zones[data-drawing=polygon]")).ToHaveCountAsync(1);
        await ClickAt("#draw-map-zones", 0.4, 0.35);
        await ClickAt("#draw-map-zones", 0.62, 0.45);
        await ClickAt("#draw-map-zones", 0.45, 0.66);
        await ClickAt("#draw-map-zones", 0.4, 0.35);
        await Expect(_page.Locator("#draw-map-zones[data-drawing]")).ToHaveCountAsync(0); // finished on its first corner
        var zones = await _page.InputValueAsync("#param-zones");
        var polygon = JsonDocument.Parse(zones).RootElement.GetProperty("features");
        Assert.Equal(1, polygon.GetArrayLength());
        Assert.Equal(4, polygon[0].GetProperty("geometry").GetProperty("coordinates")[0].GetArrayLength());
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);
        var zonal = await EndedAsync(await LatestTaskAsync());
        var csv = _server!.Data.File("drawn-zonal.csv");
        await File.WriteAllBytesAsync(csv, await _http.GetByteArrayAsync(zonal.GetProperty("result").GetProperty("downloadUrl").GetString()));
        var zonesFile = _server.Data.File("drawn-zones.geojson");
        await File.WriteAllTextAsync(zonesFile, zones);
        var compared = PythonReference.Run("zonal_reference.py", new { zones = zonesFile, raster = b04, csv, allTouched = false });
        Assert.True(compared.GetProperty("differing").GetInt32() == 0 && compared.GetProperty("compared").GetInt32() == 1, compared.ToString());

        // The crop's results collection: searched by an area drawn away from the result, then by none.
        await _page.GotoAsync($"{_server.Address}#/collections/crop");
        await Expect(_page.Locator("#items-summary")).ToHaveTextAsync("1 item.");
        await _page.ClickAsync("#filter-draw");
        await Expect(_page.Locator("#collection-map[data-drawing=rectangle]")).ToHaveCountAsync(1);
        await ClickAt("#collection-map", 0.02, 0.02);
        await ClickAt("#collection-map", 0.08, 0.08);
        await Expect(_page.Locator("#items-summary")).ToHaveTextAsync("No items match these filters.");
        await _page.ClickAsync("#filter-area-clear");
        await Expect(_page.Locator("#items-summary")).ToHaveTextAsync("1 item.");

        // A point through time over the collection: the result's value where the map is clicked, as GDAL reads it.
        Assert.Equal("data", await _page.InputValueAsync("#series-asset"));
        var footprint = (await _page.Locator("#collection-map path.footprint").First.BoundingBoxAsync())!;
        await _page.Mouse.ClickAsync(footprint.X + footprint.Width / 2, footprint.Y + footprint.Height / 2);
        await Expect(_page.Locator("#series-values tbody tr")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#collection-series")).Not.ToContainTextAsync("null");
        var title = _page.Locator("#series-title");
        var result = _server.Data.File("drawn-crop.tif");
        await File.WriteAllBytesAsync(result, await _http.GetByteArrayAsync(crop.GetProperty("result").GetProperty("downloadUrl").GetString()));
        var gdal = ExternalTool.Output("gdallocationinfo", "-valonly", "-wgs84", result, (await title.GetAttributeAsync("data-lon"))!, (await title.GetAttributeAsync("data-lat"))!).Trim();
        Assert.Equal(double.Parse(gdal, CultureInfo.InvariantCulture),
            double.Parse((await _page.Locator("#series-values td[data-value]").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture));
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "collection-area-and-series.png"), FullPage = true });
    }
}
