using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using Tessera.Server.Access;
using Tessera.Server.Tests;
using Tessera.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Tessera.Web.Tests;

/// <summary>
/// The web page in real Chromium against the real server (embedded worker, SQLite, GDAL): a user uploads
/// two Sentinel-2 bands, creates an NDVI task in the dialog, sees it complete in the list without reloading,
/// and looks at the result: map tiles from this server, the preview and its legend.
/// </summary>
public sealed class WebPageTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private RunningServer? _server;
    private IBrowserContext? _context;
    private IPage _page = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            ("alice", "alice", Role.Write));
        _token = _server.Client("alice").DefaultRequestHeaders.Authorization!.Parameter!;
        _context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        await _context!.DisposeAsync();
        await _server!.DisposeAsync();
    }

    /// <summary>Opens the page as <c>tessera serve</c> tells a user to: the token in the address's fragment.</summary>
    private async Task OpenAsync()
    {
        await _page.GotoAsync($"{_server!.Address}#token={_token}");
        await Expect(_page.Locator("#tasks")).ToBeVisibleAsync();
        Assert.DoesNotContain("token=", _page.Url); // taken out of the address bar
        Assert.Equal(_token, await _page.EvaluateAsync<string>("() => localStorage.getItem('tessera.token')"));
    }

    private async Task UploadBandsAsync()
    {
        await _page.ClickAsync("nav >> text=Files");
        await _page.SetInputFilesAsync("#upload-input",
            [SampleData.File("S2A_29RKH_20200219_L2A_B08.tif"), SampleData.File("S2A_29RKH_20200219_L2A_B04.tif")]);
        await _page.ClickAsync("#upload-submit");
        await Expect(_page.Locator("#files tbody tr[data-file]")).ToHaveCountAsync(2);
        await Expect(_page.Locator("#upload-status")).ToContainTextAsync("uploaded");
    }

    private async Task FillNdviDialogAsync()
    {
        await _page.ClickAsync("nav >> text=Tasks");
        await _page.ClickAsync("#add-task");
        await Expect(_page.Locator("#task-dialog")).ToBeVisibleAsync();
        await _page.SelectOptionAsync("#task-type", "7");
        await _page.FillAsync("#task-name", "ndvi from the browser");
        await _page.SelectOptionAsync("#input-nir-file", new SelectOptionValue { Label = await OptionLabel("#input-nir-file", "B08") });
        await _page.SelectOptionAsync("#input-red-file", new SelectOptionValue { Label = await OptionLabel("#input-red-file", "B04") });
        await _page.SelectOptionAsync("#input-nir-band", "1");
        await _page.SelectOptionAsync("#input-red-band", "1");
        await _page.FillAsync("#task-output-name", "ndvi-browser.tif");
    }

    private async Task<string> OptionLabel(string select, string contains) =>
        (await _page.Locator($"{select} option", new PageLocatorOptions { HasTextString = contains }).First.TextContentAsync())!;

    [Theory]
    [InlineData(1280)]
    [InlineData(1920)]
    public async Task TheAddTaskDialog_OpensWithoutSidewaysScroll_EveryControlInView(int width)
    {
        await _page.SetViewportSizeAsync(width, 1000);
        await OpenAsync();
        await _page.ClickAsync("#add-task");
        await Expect(_page.Locator("#task-dialog")).ToBeVisibleAsync();
        foreach (var type in new[] { "1", "7", "14", "34" })
        {
            await _page.SelectOptionAsync("#task-type", type);
            // Nothing wider than the dialog, nor the dialog than the window, and nothing scrolled aside.
            var overflow = await _page.EvaluateAsync<int[]>(
                "() => { const d = document.getElementById('task-dialog'); return [d.scrollWidth - d.clientWidth, d.scrollLeft, document.documentElement.scrollWidth - innerWidth]; }");
            Assert.True(overflow.All(o => o <= 0), $"type {type} at {width} px: dialog overflows by {overflow[0]} px, scrolled {overflow[1]} px, page by {overflow[2]} px");
            foreach (var control in new[] { "#task-dialog h2", "#task-type", "#task-name", "#task-submit" })
            {
                var box = await _page.Locator(control).First.BoundingBoxAsync();
                Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= width, $"{control} at {width} px: {box?.X} + {box?.Width}");
            }
            // Guided by the type's definition: each input says what it takes (a composite's pairs, FUSION's roles).
            var definition = JsonDocument.Parse(await _server!.Client("alice").GetStringAsync("/processtask/types")).RootElement.GetProperty("data")
                .EnumerateArray().Single(t => t.GetProperty("type").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) == type);
            var expected = definition.GetProperty("roles").GetArrayLength() == 0
                ? [definition.GetProperty("inputsDescription").GetString()!]
                : definition.GetProperty("inputs").EnumerateArray().Select(r => r.GetProperty("description").GetString()!).ToArray();
            Assert.Equal(expected.Distinct(), (await _page.Locator("#task-roles fieldset > .muted").AllTextContentsAsync()).Distinct());
        }
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), $"add-task-dialog-{width}.png") });
    }

    [SampleDataFact]
    public async Task UploadCreateWatchAndLookAtTheResult()
    {
        await OpenAsync();
        await UploadBandsAsync();
        await FillNdviDialogAsync();
        await _page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);

        // The list refreshes itself: the task walks to PUBLISH_COMPLETED with no reload of the page.
        var row = _page.Locator("#tasks tbody tr[data-task]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "PUBLISH_COMPLETED", new() { Timeout = 120_000 });
        Assert.True(await _page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");

        var tiles = new ConcurrentBag<(int Status, int Length)>();
        _page.Response += async (_, response) =>
        {
            if (response.Url.Contains("/tiles/", StringComparison.Ordinal))
            {
                var body = response.Status == 200 ? await response.BodyAsync() : [];
                tiles.Add((response.Status, body.Length));
            }
        };
        await row.Locator("a").First.ClickAsync();
        await Expect(_page.Locator("#task-history tbody tr")).ToHaveCountAsync(7);
        await Expect(_page.Locator("#task-info [data-status]")).ToHaveAttributeAsync("data-status", "PUBLISH_COMPLETED");

        // The map shows tiles of this server, each answered 200 with an image.
        await Expect(_page.Locator("#map img.leaflet-tile-loaded").First).ToBeVisibleAsync();
        // Responses are recorded as their bodies arrive: give the map's other tiles a moment to land.
        for (var i = 0; i < 100 && !tiles.Any(t => t.Status == 200 && t.Length > 100); i++)
        {
            await Task.Delay(100);
        }
        Assert.NotEmpty(tiles);
        Assert.All(tiles, t => Assert.True(t.Status is 200 or 204, $"tile answered {t.Status}"));
        Assert.Contains(tiles, t => t.Status == 200 && t.Length > 100);
        // The preview with its legend (NDVI: the diverging ramp from -1 to 1).
        await Expect(_page.Locator("#preview")).ToBeVisibleAsync();
        Assert.True(await _page.EvaluateAsync<int>("() => document.getElementById('preview').naturalWidth") > 0);
        await Expect(_page.Locator("#legend .legend[data-colormap=rdylgn]")).ToBeVisibleAsync();
        await Expect(_page.Locator("#legend .range span").First).ToHaveTextAsync("-1");
        await Expect(_page.Locator("#legend .range span").Last).ToHaveTextAsync("1");
        await Expect(_page.Locator("#download")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/files/\d+/download\?access_token="));
        await Expect(_page.Locator("#task-actions button")).ToHaveCountAsync(0); // nothing to do on a finished task

        var screenshot = Path.Combine(Browser.ArtifactsFolder(), "task-detail.png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    [SampleDataFact]
    public async Task TheDialog_ShowsTheServersErrorNextToTheField()
    {
        await OpenAsync();
        await UploadBandsAsync();
        await FillNdviDialogAsync();
        await _page.SelectOptionAsync("#input-red-band", ""); // no band chosen for red

        await _page.ClickAsync("#task-submit");

        var error = _page.Locator("#input-red-band-error");
        await Expect(error).ToContainTextAsync("missing (choose a band of file");
        await Expect(_page.Locator("#input-red-band")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(_page.Locator("#task-dialog")).ToBeVisibleAsync(); // still open, nothing created
        Assert.Equal(0, (await _server!.Get<Tessera.Tasks.Stores.ITaskStore>().ListAsync(new Tessera.Tasks.TaskQuery(), 0, 10)).Total);
    }

    [SampleDataFact]
    public async Task MergeCropAndMosaic_FromTheDialog_RunToTheEnd()
    {
        await OpenAsync();
        await UploadBandsAsync();
        await _page.ClickAsync("nav >> text=Tasks");

        // Band merge: inputs named by the user, in order, all bands of each file.
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "6");
        await _page.FillAsync("#task-name", "merge from the browser");
        await _page.FillAsync("#input-1-role", "nir");
        await _page.SelectOptionAsync("#input-1-file", new SelectOptionValue { Label = await OptionLabel("#input-1-file", "B08") });
        await _page.FillAsync("#input-2-role", "red");
        await _page.SelectOptionAsync("#input-2-file", new SelectOptionValue { Label = await OptionLabel("#input-2-file", "B04") });
        await _page.SelectOptionAsync("#param-resampling", "bilinear");
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);

        // Crop: a box in lon/lat, typed in.
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "12");
        await _page.FillAsync("#task-name", "crop from the browser");
        await _page.SelectOptionAsync("#input-image-file", new SelectOptionValue { Label = await OptionLabel("#input-image-file", "B04") });
        await _page.FillAsync("#param-bbox", "-11.6,24.6,-11.3,24.9");
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);

        // Mosaic: whole files, no band to choose, the mean where they overlap.
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "2");
        await _page.FillAsync("#task-name", "mosaic from the browser");
        await Expect(_page.Locator("#input-1-band")).ToHaveCountAsync(0);
        await _page.SelectOptionAsync("#input-1-file", new SelectOptionValue { Label = await OptionLabel("#input-1-file", "B08") });
        await _page.SelectOptionAsync("#input-2-file", new SelectOptionValue { Label = await OptionLabel("#input-2-file", "B04") });
        await _page.SelectOptionAsync("#param-method", "mean");
        await _page.CheckAsync("#param-harmonize");
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);

        var rows = _page.Locator("#tasks tbody tr[data-task]");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Locator("[data-status=PUBLISH_COMPLETED]")).ToHaveCountAsync(3, new() { Timeout = 120_000 });
        var tasks = await _server!.Get<Tessera.Tasks.Stores.ITaskStore>().ListAsync(new Tessera.Tasks.TaskQuery(), 0, 10);
        var merge = tasks.Items.Single(t => t.Type == new Tessera.Tasks.TaskType(6));
        Assert.Equal("""{"nir":{"fileId":1},"red":{"fileId":2}}""", System.Text.Json.JsonSerializer.Serialize(
            System.Text.Json.JsonDocument.Parse(merge.InputsJson).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => new { fileId = p.Value.GetProperty("fileId").GetInt64() })));
        var crop = tasks.Items.Single(t => t.Type == new Tessera.Tasks.TaskType(12));
        Assert.Contains("\"bbox\":\"-11.6,24.6,-11.3,24.9\"", crop.ParametersJson);
        var mosaic = tasks.Items.Single(t => t.Type == new Tessera.Tasks.TaskType(2));
        Assert.Equal("""{"method":"mean","harmonize":true}""", mosaic.ParametersJson);
    }

    [SampleDataFact]
    public async Task ZonalStatistics_FromTheDialog_GiveADownloadableTable()
    {
        const string Field = """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"field"},"geometry":{"type":"Polygon","coordinates":[[[-11.6,24.6],[-11.3,24.6],[-11.3,24.9],[-11.6,24.9],[-11.6,24.6]]]}}]}""";
        await OpenAsync();
        await UploadBandsAsync();
        await _page.ClickAsync("nav >> text=Tasks");
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "13");
        await _page.FillAsync("#task-name", "zonal from the browser");
        await Expect(_page.Locator("#input-1-band")).ToHaveCountAsync(0); // whole files
        await _page.SelectOptionAsync("#input-1-file", new SelectOptionValue { Label = await OptionLabel("#input-1-file", "B04") });
        await _page.ClickAsync("fieldset[data-row='2'] >> text=Remove"); // one raster is enough
        await _page.FillAsync("#param-zones", Field);
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);

        var row = _page.Locator("#tasks tbody tr[data-task]");
        await Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "PUBLISH_COMPLETED", new() { Timeout = 120_000 });
        await row.Locator("a").First.ClickAsync();
        await Expect(_page.Locator("#download")).ToHaveTextAsync("Download table");
        await Expect(_page.Locator("#preview")).ToHaveCountAsync(0); // a table has no preview or map
        await Expect(_page.Locator("#map")).ToHaveCountAsync(0);

        // The table it downloads: one row for the one zone and band, equal to the reference.
        var href = await _page.Locator("#download").GetAttributeAsync("href");
        var csv = _server!.Data.File("zonal-browser.csv");
        await File.WriteAllBytesAsync(csv, await (await _page.APIRequest.GetAsync(new Uri(new Uri(_page.Url), href).ToString())).BodyAsync());
        var zones = _server.Data.File("zones.geojson");
        await File.WriteAllTextAsync(zones, Field);
        var compared = PythonReference.Run("zonal_reference.py", new { zones, raster = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), csv, allTouched = false });
        Assert.Equal((1, 0, 0), (compared.GetProperty("compared").GetInt32(), compared.GetProperty("missing").GetInt32(), compared.GetProperty("differing").GetInt32()));

        // On the files page the table is listed as such.
        await _page.ClickAsync("nav >> text=Files");
        await Expect(_page.Locator("#files tbody tr[data-file]", new() { HasTextString = "table (statistics)" })).ToHaveCountAsync(1);
    }

    [SampleDataFact]
    public async Task StoredZones_UploadedOnce_AreChosenInTheDialog_AndTheirAttributesReachTheTable()
    {
        var zones = SampleData.File("LC80200392015216LGN00_zones_digitized_epsg32616.geojson");
        await OpenAsync();
        await _page.ClickAsync("nav >> text=Files");
        await _page.SetInputFilesAsync("#upload-input", [SampleData.File("LC80200392015216LGN00_B4.tif"), zones]);
        await _page.ClickAsync("#upload-submit");
        await Expect(_page.Locator("#files tbody tr[data-file]")).ToHaveCountAsync(2);
        await Expect(_page.Locator("#files tbody tr[data-file]", new() { HasTextString = "zones: 6 polygon and multi polygon features (GeoJSON), zone_id, name" })).ToHaveCountAsync(1);

        await _page.ClickAsync("nav >> text=Tasks");
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "13");
        await _page.FillAsync("#task-name", "zonal over stored zones");
        await _page.SelectOptionAsync("#input-1-file", new SelectOptionValue { Label = await OptionLabel("#input-1-file", "B4") });
        await _page.ClickAsync("fieldset[data-row='2'] >> text=Remove");
        // The zones are offered by name, with what they hold; the rasters are not.
        Assert.Equal(["— none —", "LC80200392015216LGN00_zones_digitized_epsg32616.geojson (#2, 6 polygon and multi polygon features)"],
            await _page.Locator("#param-zonesFile option").AllTextContentsAsync());
        await _page.SelectOptionAsync("#param-zonesFile", new SelectOptionValue { Label = await OptionLabel("#param-zonesFile", "zones_digitized") });
        await _page.Locator("#param-zonesFile").ScrollIntoViewIfNeededAsync();
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "zonal-stored-zones-dialog.png") });
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);

        var row = _page.Locator("#tasks tbody tr[data-task]");
        await Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "PUBLISH_COMPLETED", new() { Timeout = 120_000 });
        await row.Locator("a").First.ClickAsync();
        var href = await _page.Locator("#download").GetAttributeAsync("href");
        var csv = _server!.Data.File("zonal-stored.csv");
        await File.WriteAllBytesAsync(csv, await (await _page.APIRequest.GetAsync(new Uri(new Uri(_page.Url), href).ToString())).BodyAsync());
        var compared = PythonReference.Run("zonal_reference.py", new { zones, raster = SampleData.File("LC80200392015216LGN00_B4.tif"), csv, allTouched = false });
        Assert.True(compared.GetProperty("differing").GetInt32() == 0, compared.ToString());
        Assert.Equal((6, 0), (compared.GetProperty("compared").GetInt32(), compared.GetProperty("missing").GetInt32()));
    }

    [SampleDataFact]
    public async Task CloudRemoval_FromTheDialog_WithABandPerRole()
    {
        await OpenAsync();
        await _page.ClickAsync("nav >> text=Files");
        await _page.SetInputFilesAsync("#upload-input", [SampleData.File("S2_slovenia_NDVI_68dates.tif"), SampleData.File("S2_slovenia_CLM_68dates.tif")]);
        await _page.ClickAsync("#upload-submit");
        await Expect(_page.Locator("#files tbody tr[data-file]")).ToHaveCountAsync(2);
        await _page.ClickAsync("nav >> text=Tasks");
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "4");
        await _page.FillAsync("#task-name", "clouds from the browser");
        await _page.SelectOptionAsync("#input-cloudy-file", new SelectOptionValue { Label = await OptionLabel("#input-cloudy-file", "NDVI") });
        await _page.SelectOptionAsync("#input-cloudy-band", "48");
        await _page.SelectOptionAsync("#input-mask-file", new SelectOptionValue { Label = await OptionLabel("#input-mask-file", "CLM") });
        await _page.SelectOptionAsync("#input-mask-band", "48");
        await _page.SelectOptionAsync("#input-clear-file", new SelectOptionValue { Label = await OptionLabel("#input-clear-file", "NDVI") });
        await _page.SelectOptionAsync("#input-clear-band", "47");
        await _page.FillAsync("#param-dilate", "1");
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);

        var row = _page.Locator("#tasks tbody tr[data-task]");
        await Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "PUBLISH_COMPLETED", new() { Timeout = 120_000 });
        var task = (await _server!.Get<Tessera.Tasks.Stores.ITaskStore>().ListAsync(new Tessera.Tasks.TaskQuery(), 0, 1)).Items.Single();
        Assert.Equal(new Tessera.Tasks.TaskType(4), task.Type);
        Assert.Contains("\"cloudy\":{\"fileId\":1,\"band\":48}", task.InputsJson);

        // A composite of two dates: images and masks in pairs, one band each.
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "14");
        await _page.FillAsync("#task-name", "composite from the browser");
        foreach (var (n, file, band) in new[] { (1, "NDVI", "47"), (2, "CLM", "47"), (3, "NDVI", "48"), (4, "CLM", "48") })
        {
            await _page.FillAsync($"#input-{n}-role", $"{(file == "CLM" ? "mask" : "image")}{band}");
            await _page.SelectOptionAsync($"#input-{n}-file", new SelectOptionValue { Label = await OptionLabel($"#input-{n}-file", file) });
            await _page.SelectOptionAsync($"#input-{n}-band", band);
        }
        await _page.SelectOptionAsync("#param-method", "clearest");
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);
        await Expect(row.Locator("[data-status=PUBLISH_COMPLETED]")).ToHaveCountAsync(2, new() { Timeout = 120_000 });
        var composite = (await _server.Get<Tessera.Tasks.Stores.ITaskStore>().ListAsync(new Tessera.Tasks.TaskQuery(), 0, 10)).Items
            .Single(t => t.Type == new Tessera.Tasks.TaskType(14));
        Assert.Contains("\"mask48\":{\"fileId\":2,\"band\":48}", composite.InputsJson);
    }

    [SampleDataFact]
    public async Task Fusion_FromTheDialog_PanAndMultispectral()
    {
        await OpenAsync();
        await _page.ClickAsync("nav >> text=Files");
        await _page.SetInputFilesAsync("#upload-input", [SampleData.File("LC80200392015216LGN00_B8.tif"), SampleData.File("LC80200392015216LGN00_B4.tif")]);
        await _page.ClickAsync("#upload-submit");
        await Expect(_page.Locator("#files tbody tr[data-file]")).ToHaveCountAsync(2);
        await _page.ClickAsync("nav >> text=Tasks");
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "1");
        await _page.FillAsync("#task-name", "fusion from the browser");
        await _page.SelectOptionAsync("#input-pan-file", new SelectOptionValue { Label = await OptionLabel("#input-pan-file", "B8") });
        await _page.SelectOptionAsync("#input-ms-file", new SelectOptionValue { Label = await OptionLabel("#input-ms-file", "B4") });
        await _page.SelectOptionAsync("#param-method", "hpf");
        await _page.ClickAsync("#task-submit");
        await Expect(_page.Locator("#task-dialog")).ToHaveCountAsync(0);
        var row = _page.Locator("#tasks tbody tr[data-task]");
        await Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "PUBLISH_COMPLETED", new() { Timeout = 120_000 });
    }

    [SampleDataFact]
    public async Task TheDialog_NamesAMissingFileOfAFreeInput()
    {
        await OpenAsync();
        await UploadBandsAsync();
        await _page.ClickAsync("nav >> text=Tasks");
        await _page.ClickAsync("#add-task");
        await _page.SelectOptionAsync("#task-type", "6");
        await _page.FillAsync("#task-name", "merge with a hole");
        await _page.SelectOptionAsync("#input-1-file", new SelectOptionValue { Label = await OptionLabel("#input-1-file", "B08") });
        await _page.ClickAsync("#task-submit"); // input 2 has no file

        await Expect(_page.Locator("#input-2-file-error")).ToHaveTextAsync("missing or not a number (choose a file)");
        await Expect(_page.Locator("#input-2-file")).ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task WithoutAToken_ThePageAsksForOne()
    {
        await _page.GotoAsync(_server!.Address.ToString());
        await Expect(_page.Locator("#token-dialog")).ToBeVisibleAsync();
        await _page.FillAsync("#token-input", "tsr_wrong");
        await _page.ClickAsync("#token-form button[type=submit]");
        await Expect(_page.Locator("#token-reason")).ToContainTextAsync("refused");
        await _page.FillAsync("#token-input", _token);
        await _page.ClickAsync("#token-form button[type=submit]");
        await Expect(_page.Locator("#tasks")).ToBeVisibleAsync();
        await Expect(_page.Locator("#tasks tbody")).ToContainTextAsync("No tasks.");
    }
}
