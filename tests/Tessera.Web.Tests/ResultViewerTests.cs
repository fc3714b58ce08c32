using System.Globalization;
using Microsoft.Playwright;
using Tessera.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Tessera.Web.Tests;

/// <summary>
/// The result viewer in Chromium: true colour from the bands' names, the stretch from the file's statistics (numpy's
/// 2nd and 98th percentiles), min–max and by hand, a colormap for one band, opacity, the legend and histogram that
/// follow, the pixel inspector (GDAL's gdallocationinfo values) with a chart through a stack's dates, the swipe
/// against an input, the Natural Earth basemap; checked at 1280 and 1920 px with screenshots.
/// </summary>
public sealed class ResultViewerTests(Browser browser) : PageTests(browser)
{
    /// <summary>Uploads a sample, crops it whole (a task whose result keeps every band and its name) and waits for it.</summary>
    private async Task<(long Task, long Input, string ResultPath)> CroppedAsync(string sample)
    {
        var input = await Session.UploadAsync(sample);
        var detail = await Session.RunAsync(new
        {
            name = $"crop of {sample}", type = 12, inputs = new { image = new { fileId = input } }, @params = new { bbox = "14.5,45.8,14.7,45.95" },
        });
        var id = detail.GetProperty("id").GetInt64();
        return (id, input, await Session.DownloadAsync(detail, $"result-{id}.tif"));
    }

    /// <summary>The viewer's tile address as the page asks for it: its bands, rescale ranges and colormap.</summary>
    private async Task<(string Bands, List<double[]> Rescale, string? Colormap)> TileQueryAsync()
    {
        var url = (await Page.Locator("#map").GetAttributeAsync("data-tiles"))!;
        var query = System.Web.HttpUtility.ParseQueryString(url[(url.IndexOf('?') + 1)..]);
        return (query["bands"]!, query.GetValues("rescale")!.Select(r => r.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList(),
            query["colormap"]);
    }

    private static void Close(double expected, double actual) => Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{actual} is not {expected}");

    [SampleDataTheory]
    [InlineData(1280)]
    [InlineData(1920)]
    public async Task TheViewer_DrawsTheResultAsAskedAndReadsItsPixels(int width)
    {
        var (task, input, resultPath) = await CroppedAsync("S2_L1C_slovenia_20150711_13bands.tif");
        var reference = PythonReference.Run("statistics_reference.py", new { raster = resultPath, bins = 64 }).GetProperty("bands").EnumerateArray().ToList();
        double Stat(int band, string name) => reference[band - 1].GetProperty(name).GetDouble();

        await Session.OpenPageAsync(Browser, width);
        var borders = Page.WaitForResponseAsync(r => r.Url.EndsWith("/web/vendor/natural-earth/countries-50m.json", StringComparison.Ordinal));
        await Session.GoAsync($"#/tasks/{task}");
        await Expect(Page.Locator("#viewer-controls")).ToBeVisibleAsync();
        Assert.Equal(200, (await borders).Status);
        await Expect(Page.Locator("#map .leaflet-basemap-pane path").First).ToBeAttachedAsync(); // the borders drawn
        await Expect(Page.Locator("#map .result-tiles img.leaflet-tile-loaded").First).ToBeVisibleAsync();
        // The result is what one sees in the middle of the map: over the basemap, not under it.
        // (Tiles take no pointer events, so this is read from where the loaded tiles lie and the panes' order.)
        await Page.WaitForFunctionAsync(@"() => {
            const map = document.getElementById('map');
            const box = map.getBoundingClientRect();
            const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
            return [...map.querySelectorAll('.result-tiles img.leaflet-tile-loaded')].some(img => {
              const r = img.getBoundingClientRect();
              return r.left <= x && x <= r.right && r.top <= y && y <= r.bottom;
            });
          }");
        Assert.True(await Page.EvaluateAsync<bool>(@"() => {
            const z = pane => Number(getComputedStyle(document.querySelector('#map ' + pane)).zIndex);
            return z('.leaflet-tile-pane') > z('.leaflet-basemap-pane');
          }"), "the result lies under the basemap");
        await Expect(Page.Locator("#viewer-red")).ToBeVisibleAsync(); // the channels of the composite
        await Expect(Page.Locator("#viewer-min")).ToBeHiddenAsync();  // no stretch by hand yet

        // True colour by the bands' names (B04, B03, B02), each stretched 2–98 % as numpy computes it.
        Assert.Equal("rgb", await Page.Locator("#viewer-bands").InputValueAsync());
        var (bands, rescale, colormap) = await TileQueryAsync();
        Assert.Equal("4,3,2", bands);
        Assert.Null(colormap);
        foreach (var (band, range) in new[] { 4, 3, 2 }.Zip(rescale))
        {
            Close(Stat(band, "p2"), range[0]);
            Close(Stat(band, "p98"), range[1]);
        }
        await Expect(Page.Locator("#viewer-legend li[data-channel=red]")).ToContainTextAsync("band 4 B04");
        await Expect(Page.Locator("#viewer-histogram svg rect.bar")).ToHaveCountAsync(3 * 64);

        // One band, min–max, viridis: the tiles, the legend and the histogram follow.
        await Page.SelectOptionAsync("#viewer-bands", "8");
        await Expect(Page.Locator("#viewer-red")).ToBeHiddenAsync();
        await Page.SelectOptionAsync("#viewer-stretch", "minmax");
        await Page.SelectOptionAsync("#viewer-colormap", "viridis");
        (bands, rescale, colormap) = await TileQueryAsync();
        Assert.Equal(("8", "viridis"), (bands, colormap));
        Close(Stat(8, "min"), rescale[0][0]);
        Close(Stat(8, "max"), rescale[0][1]);
        await Expect(Page.Locator("#viewer-legend .ramp[data-colormap=viridis]")).ToBeVisibleAsync();
        Close(Stat(8, "max"), double.Parse((await Page.Locator("#viewer-legend [data-max]").GetAttributeAsync("data-max"))!, CultureInfo.InvariantCulture));
        Assert.Equal(reference[7].GetProperty("histogram").EnumerateArray().Count(c => c.GetInt64() > 0),
            await Page.Locator("#viewer-histogram svg rect.bar[height]:not([height='0'])").CountAsync());

        // By hand.
        await Page.SelectOptionAsync("#viewer-stretch", "manual");
        await Page.FillAsync("#viewer-min", "0.05");
        await Page.FillAsync("#viewer-max", "0.3");
        await Page.Locator("#viewer-max").DispatchEventAsync("change");
        (_, rescale, _) = await TileQueryAsync();
        Assert.Equal([0.05, 0.3], rescale[0]);
        await Expect(Page.Locator("#viewer-legend [data-min]")).ToHaveTextAsync("0.05");

        // Opacity.
        await Page.Locator("#viewer-opacity").FillAsync("40");
        Assert.Equal("0.4", await Page.EvaluateAsync<string>("() => document.querySelector('#map .result-tiles').style.opacity"));

        // The pixel inspector: every band's value where the map was clicked, as GDAL reads it there.
        await Page.Locator("#map").ScrollIntoViewIfNeededAsync();
        var box = (await Page.Locator("#map").BoundingBoxAsync())!;
        await Page.Mouse.ClickAsync(box.X + box.Width / 2 + 7, box.Y + box.Height / 2 - 5);
        await Expect(Page.Locator("#inspector-values tbody tr")).ToHaveCountAsync(13);
        await Expect(Page.Locator("#inspector")).Not.ToContainTextAsync("null");
        var title = Page.Locator("#inspector-title");
        var lon = double.Parse((await title.GetAttributeAsync("data-lon"))!, CultureInfo.InvariantCulture);
        var lat = double.Parse((await title.GetAttributeAsync("data-lat"))!, CultureInfo.InvariantCulture);
        var gdal = ExternalTool.Output("gdallocationinfo", "-valonly", "-wgs84", resultPath, lon.ToString("R", CultureInfo.InvariantCulture), lat.ToString("R", CultureInfo.InvariantCulture))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var shown = await Page.Locator("#inspector-values td[data-value]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)");
        Assert.Equal(gdal, shown.Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)));
        await Expect(Page.Locator("#inspector svg.series circle.dot")).ToHaveCountAsync(13);
        await Expect(Page.Locator("#inspector-values tr[data-band='4'] td").Nth(1)).ToHaveTextAsync("B04");

        // Swipe against the input: its tiles on the left of the divider.
        await Page.SelectOptionAsync("#viewer-swipe", input.ToString(CultureInfo.InvariantCulture));
        await Expect(Page.Locator("#map .swipe-divider")).ToBeVisibleAsync();
        await Expect(Page.Locator("#map .leaflet-swipe-pane img.leaflet-tile").First).ToBeAttachedAsync();
        Assert.StartsWith("rect(", await Page.EvaluateAsync<string>("() => document.querySelector('#map .leaflet-swipe-pane').style.clip"));
        await Page.Locator("#viewer-swipe-at").FillAsync("25");
        var divider = (await Page.Locator("#map .swipe-divider").BoundingBoxAsync())!;
        Assert.InRange(divider.X + divider.Width / 2 - box.X, box.Width * 0.25 - 3, box.Width * 0.25 + 3);

        // Nothing scrolls sideways, every control in view; a screenshot to look at.
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        foreach (var control in new[] { "#viewer-bands", "#viewer-stretch", "#viewer-opacity", "#viewer-swipe", "#viewer-histogram svg", "#map" })
        {
            var area = (await Page.Locator(control).BoundingBoxAsync())!;
            Assert.True(area.X >= 0 && area.X + area.Width <= width, $"{control} is outside the window ({area.X} + {area.Width})");
        }
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), $"result-viewer-{width}.png"), FullPage = true });
    }

    [SampleDataFact]
    public async Task ClickingAStack_ChartsThePointThroughItsDates()
    {
        var (task, _, resultPath) = await CroppedAsync("S2_slovenia_NDVI_68dates.tif");
        await Session.GoAsync($"#/tasks/{task}");
        await Expect(Page.Locator("#viewer-controls")).ToBeVisibleAsync();
        Assert.Equal("1", await Page.Locator("#viewer-bands").InputValueAsync()); // no colour names: one band
        await Expect(Page.Locator("#viewer-red")).ToBeHiddenAsync();
        await Expect(Page.Locator("#tasks")).ToHaveCountAsync(0); // the list the token's address led to is gone
        await Expect(Page.Locator("#map .result-tiles img.leaflet-tile-loaded").First).ToBeVisibleAsync(); // the map is ready
        await Page.Locator("#map").ScrollIntoViewIfNeededAsync();
        var box = (await Page.Locator("#map").BoundingBoxAsync())!;
        await Page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await Expect(Page.Locator("#inspector svg.series circle.dot")).ToHaveCountAsync(68, new() { Timeout = 30_000 });
        var title = Page.Locator("#inspector-title");
        var lon = (await title.GetAttributeAsync("data-lon"))!;
        var lat = (await title.GetAttributeAsync("data-lat"))!;
        var gdal = ExternalTool.Output("gdallocationinfo", "-valonly", "-wgs84", resultPath, lon, lat)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var dots = await Page.Locator("#inspector svg.series circle.dot").EvaluateAllAsync<string[]>("dots => dots.map(d => d.dataset.value)");
        Assert.Equal(gdal, dots.Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)));
        // The x axis and each dot say the dates.
        await Expect(Page.Locator("#inspector svg.series text").Filter(new() { HasTextString = "2015-07-11" })).ToHaveCountAsync(1);
        await Expect(Page.Locator("#inspector svg.series circle.dot title").First).ToContainTextAsync("2015-07-11T10:00:08");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "result-viewer-time-series.png"), FullPage = true });
    }
}
