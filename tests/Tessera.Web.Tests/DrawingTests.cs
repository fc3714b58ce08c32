using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Tessera.Server.Tests;
using Tessera.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Tessera.Web.Tests;

/// <summary>
/// Areas drawn on a map where the page asks for one: a crop's box and zonal zones in the dialog (the tasks run on what
/// was drawn: numpy's zonal statistics of the drawn polygon), a catalog search's area; and a point through time over a
/// collection (GDAL's value at the clicked place).
/// </summary>
public sealed class DrawingTests(Browser browser) : PageTests(browser)
{
    private async Task<long> LatestTaskAsync() =>
        JsonDocument.Parse(await (await Http.PostAsync("/processtask/query/page", JsonContent("{\"pageNum\":1,\"pageSize\":1,\"sort\":\"createdAt,desc\"}"))).Content.ReadAsStringAsync())
            .RootElement.GetProperty("data").GetProperty("records")[0].GetProperty("id").GetInt64();

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private async Task ClickAt(string selector, double fx, double fy)
    {
        await Page.Locator(selector).ScrollIntoViewIfNeededAsync();
        var box = (await Page.Locator(selector).BoundingBoxAsync())!;
        await Page.Mouse.ClickAsync((float)(box.X + box.Width * fx), (float)(box.Y + box.Height * fy));
    }

    [SampleDataFact]
    public async Task ABoxAndZonesDrawnInTheDialog_AreWhatTheTasksUse_AndACollectionIsSearchedAndReadByPlace()
    {
        var b04 = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif");
        await Session.UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");

        // A crop's box, drawn over the input's footprint.
        await Page.ClickAsync("#add-task");
        await Page.SelectOptionAsync("#task-type", "12");
        await Page.FillAsync("#task-name", "drawn crop");
        await Page.SelectOptionAsync("#input-image-file", new SelectOptionValue { Index = 1 });
        await Page.ClickAsync("#draw-bbox");
        await Expect(Page.Locator("#draw-map-bbox .leaflet-basemap-pane path").First).ToBeAttachedAsync();
        await Expect(Page.Locator("#draw-map-bbox[data-drawing=rectangle]")).ToHaveCountAsync(1);
        await ClickAt("#draw-map-bbox", 0.35, 0.35);
        await ClickAt("#draw-map-bbox", 0.6, 0.62);
        var drawn = (await Page.InputValueAsync("#param-bbox")).Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, drawn.Length);
        Assert.True(drawn[0] < drawn[2] && drawn[1] < drawn[3], string.Join(",", drawn));
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "draw-crop-box.png") });
        await Page.ClickAsync("#task-submit");
        await Expect(Page.Locator("#task-dialog")).ToHaveCountAsync(0);
        var crop = await Session.EndedAsync(await LatestTaskAsync());
        Assert.Equal(string.Join(',', drawn.Select(v => v.ToString("0.000000", CultureInfo.InvariantCulture))),
            crop.GetProperty("parameters").GetProperty("bbox").GetString());
        // The result covers the box drawn, snapped outwards to whole 100 m pixels (about 0.001 degrees).
        var bounds = crop.GetProperty("result").GetProperty("bounds").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(bounds[0] <= drawn[0] + 1e-9 && bounds[1] <= drawn[1] + 1e-9 && bounds[2] >= drawn[2] - 1e-9 && bounds[3] >= drawn[3] - 1e-9,
            $"{string.Join(",", bounds)} does not cover {string.Join(",", drawn)}");
        Assert.True(drawn[0] - bounds[0] < 0.01 && bounds[2] - drawn[2] < 0.01 && drawn[1] - bounds[1] < 0.01 && bounds[3] - drawn[3] < 0.01,
            $"{string.Join(",", bounds)} is much larger than {string.Join(",", drawn)}");

        // Zones drawn as a polygon (three corners, closed on the first), for zonal statistics.
        await Page.ClickAsync("#add-task");
        await Page.SelectOptionAsync("#task-type", "13");
        await Page.FillAsync("#task-name", "drawn zones");
        await Page.SelectOptionAsync("#input-1-file", new SelectOptionValue { Label = "S2A_29RKH_20200219_L2A_B04.tif (#1)" });
        await Page.ClickAsync("fieldset[data-row='2'] >> text=Remove");
        await Page.ClickAsync("#draw-zones");
        await Expect(Page.Locator("#draw-map-zones[data-drawing=polygon]")).ToHaveCountAsync(1);
        await ClickAt("#draw-map-zones", 0.4, 0.35);
        await ClickAt("#draw-map-zones", 0.62, 0.45);
        await ClickAt("#draw-map-zones", 0.45, 0.66);
        await ClickAt("#draw-map-zones", 0.4, 0.35);
        await Expect(Page.Locator("#draw-map-zones[data-drawing]")).ToHaveCountAsync(0); // finished on its first corner
        var zones = await Page.InputValueAsync("#param-zones");
        var polygon = JsonDocument.Parse(zones).RootElement.GetProperty("features");
        Assert.Equal(1, polygon.GetArrayLength());
        Assert.Equal(4, polygon[0].GetProperty("geometry").GetProperty("coordinates")[0].GetArrayLength());
        await Page.ClickAsync("#task-submit");
        await Expect(Page.Locator("#task-dialog")).ToHaveCountAsync(0);
        var zonal = await Session.EndedAsync(await LatestTaskAsync());
        var csv = Served.Data.File("drawn-zonal.csv");
        await File.WriteAllBytesAsync(csv, await Http.GetByteArrayAsync(zonal.GetProperty("result").GetProperty("downloadUrl").GetString()));
        var zonesFile = Served.Data.File("drawn-zones.geojson");
        await File.WriteAllTextAsync(zonesFile, zones);
        var compared = PythonReference.Run("zonal_reference.py", new { zones = zonesFile, raster = b04, csv, allTouched = false });
        Assert.True(compared.GetProperty("differing").GetInt32() == 0 && compared.GetProperty("compared").GetInt32() == 1, compared.ToString());

        // A second result in the crop's collection, later: the near infrared over the same box.
        var nir = await Session.UploadAsync("S2A_29RKH_20200219_L2A_B08.tif");
        var second = await Session.RunAsync(new { name = "nir crop", type = 12, inputs = new { image = new { fileId = nir } }, @params = new { bbox = crop.GetProperty("parameters").GetProperty("bbox").GetString() } });

        // The crop's results collection: searched by an area drawn away from the results, then by none.
        await Page.GotoAsync($"{Served.Address}#/collections/crop");
        await Expect(Page.Locator("#items-summary")).ToHaveTextAsync("2 items.");
        await Page.ClickAsync("#filter-draw");
        await Expect(Page.Locator("#collection-map[data-drawing=rectangle]")).ToHaveCountAsync(1);
        await ClickAt("#collection-map", 0.02, 0.02);
        await ClickAt("#collection-map", 0.08, 0.08);
        await Expect(Page.Locator("#items-summary")).ToHaveTextAsync("No items match these filters.");
        await Page.ClickAsync("#filter-area-clear");
        await Expect(Page.Locator("#items-summary")).ToHaveTextAsync("2 items.");

        // A point through time over the collection: the result's value where the map is clicked, as GDAL reads it.
        Assert.Equal("data", await Page.InputValueAsync("#series-asset"));
        var footprint = (await Page.Locator("#collection-map path.footprint").First.BoundingBoxAsync())!;
        await Page.Mouse.ClickAsync(footprint.X + footprint.Width / 2, footprint.Y + footprint.Height / 2);
        await Expect(Page.Locator("#series-values tbody tr")).ToHaveCountAsync(2);
        await Expect(Page.Locator("#collection-series")).Not.ToContainTextAsync("null");
        // Oldest first, each item's value where the map was clicked, as GDAL reads its file there.
        var title = Page.Locator("#series-title");
        var (lon, lat) = ((await title.GetAttributeAsync("data-lon"))!, (await title.GetAttributeAsync("data-lat"))!);
        var expected = new List<double>();
        foreach (var (detail, name) in new[] { (crop, "drawn-crop.tif"), (second, "nir-crop.tif") })
        {
            var path = await Session.DownloadAsync(detail, name);
            expected.Add(double.Parse(ExternalTool.Output("gdallocationinfo", "-valonly", "-wgs84", path, lon, lat).Trim(), CultureInfo.InvariantCulture));
        }
        Assert.NotEqual(expected[0], expected[1]); // red and near infrared: the order shows
        var shown = await Page.Locator("#series-values td[data-value]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)");
        Assert.Equal(expected, shown.Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
        Assert.Equal([crop.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture), second.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)],
            await Page.Locator("#series-values tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.item)"));
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "collection-area-and-series.png"), FullPage = true });
    }
}
