using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
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
    private PageSession? _session;

    private string Template => $"{_tileServer!.Address}osm/{{z}}/{{x}}/{{y}}.png";

    public async Task InitializeAsync()
    {
        _tileServer = StaticHttpServer.Serve(_tiles.Path);
        _session = await PageSession.StartAsync(browser, settings: options => options with { BasemapUrl = Template });
    }

    public async Task DisposeAsync()
    {
        await _session!.DisposeAsync();
        _tileServer!.Dispose();
        _tiles.Dispose();
    }

    [SampleDataFact]
    public async Task TheConfiguredBasemap_IsDrawnUnderTheResult()
    {
        var session = _session!;
        Assert.Equal(Template, JsonDocument.Parse(await session.Http.GetStringAsync("/web-settings.json")).RootElement.GetProperty("basemapUrl").GetString());
        var file = await session.UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var task = (await session.RunAsync(new { name = "crop", type = 12, inputs = new { image = new { fileId = file } }, @params = new { bbox = "-11.6,24.6,-11.3,24.9" } }))
            .GetProperty("id").GetInt64();

        var requested = new ConcurrentBag<string>();
        async Task OpenAsync()
        {
            session.Page.Request += (_, request) => requested.Add(request.Url);
            await session.GoAsync($"#/tasks/{task}");
            await Expect(session.Page.Locator("#map .result-tiles img.leaflet-tile-loaded").First).ToBeVisibleAsync();
        }
        await OpenAsync();
        var basemap = requested.Where(u => u.StartsWith(_tileServer!.Address + "osm/", StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(basemap);
        Assert.DoesNotContain(requested, u => u.Contains("natural-earth", StringComparison.Ordinal));

        // Given the tiles it asked for (a grey pixel each), the page shows them in the basemap's pane, under the result.
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==");
        foreach (var url in basemap)
        {
            var path = Path.Combine(_tiles.Path, new Uri(url).AbsolutePath.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, png);
        }
        await session.OpenPageAsync(browser, 1280);
        await OpenAsync();
        await Expect(session.Page.Locator("#map .leaflet-basemap-pane img.leaflet-tile-loaded").First).ToBeVisibleAsync();
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "configured-basemap.png") });
    }
}
