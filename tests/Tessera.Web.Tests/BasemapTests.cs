using System.Collections.Concurrent;
using System.Net.Http.Json;
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
/// A server given <c>basemapUrl</c> has the page draw results over those XYZ tiles (here a real HTTP server on
/// loopback), instead of the Natural Earth borders it carries.
/// </summary>
public sealed class BasemapTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private readonly TempFolder _tiles = new();
    private StaticHttpServer? _tileServer;
    private RunningServer? _server;

    public async Task InitializeAsync()
    {
        _tileServer = StaticHttpServer.Serve(_tiles.Path);
        var template = $"{_tileServer.Address}osm/{{z}}/{{x}}/{{y}}.png";
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1), BasemapUrl: template), url),
            ("alice", "alice", Role.Write));
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _tileServer!.Dispose();
        _tiles.Dispose();
    }

    [SampleDataFact]
    public async Task TheConfiguredBasemap_IsDrawnUnderTheResult()
    {
        var http = _server!.Client("alice");
        Assert.Equal($"{_tileServer!.Address}osm/{{z}}/{{x}}/{{y}}.png",
            JsonDocument.Parse(await http.GetStringAsync("/web-settings.json")).RootElement.GetProperty("basemapUrl").GetString());
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"))), "file", "B04.tif" } };
        var file = JsonDocument.Parse(await (await http.PostAsync("/files", form)).Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("id").GetInt64();
        var added = await http.PostAsJsonAsync("/processtask/addTask", new { name = "crop", type = 12, inputs = new { image = new { fileId = file } }, @params = new { bbox = "-11.6,24.6,-11.3,24.9" } });
        var task = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("taskId").GetInt64();
        for (var i = 0; i < 600 && !(await http.GetStringAsync($"/processtask/query/task/detail?id={task}")).Contains("PUBLISH_COMPLETED", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        var context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        var requested = new ConcurrentBag<string>();
        page.Request += (_, request) => requested.Add(request.Url);
        async Task OpenAsync()
        {
            await page.GotoAsync($"{_server.Address}#token={http.DefaultRequestHeaders.Authorization!.Parameter}");
            await page.GotoAsync($"{_server.Address}#/tasks/{task}");
            await Expect(page.Locator("#map .result-tiles img.leaflet-tile-loaded").First).ToBeVisibleAsync();
        }
        await OpenAsync();
        var basemap = requested.Where(u => u.StartsWith(_tileServer.Address + "osm/", StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(basemap);
        Assert.DoesNotContain(requested, u => u.Contains("natural-earth", StringComparison.Ordinal));

        // Given the tiles it asked for (a grey square each), the page shows them in the basemap's pane, under the result.
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==");
        foreach (var url in basemap)
        {
            var relative = new Uri(url).AbsolutePath.TrimStart('/');
            var path = Path.Combine(_tiles.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, png);
        }
        await OpenAsync();
        await Expect(page.Locator("#map .leaflet-basemap-pane img.leaflet-tile-loaded").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "configured-basemap.png") });
        await context.DisposeAsync();
    }
}
