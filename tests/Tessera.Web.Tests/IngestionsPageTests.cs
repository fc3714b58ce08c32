using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace Tessera.Web.Tests;

/// <summary>
/// An AOI ingestion in the page, in real Chromium against the real server (no workers: its tasks stay as made): listed,
/// and drawn as a graph of one row per tile and one column per date whose boxes and arrows are exactly the tasks and
/// prerequisites the API's JSON gives, each box in its state.
/// </summary>
public sealed class IngestionsPageTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private RunningServer? _server;
    private IBrowserContext? _context;
    private IPage _page = null!;
    private HttpClient _http = new();
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url), ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
        _token = _http.DefaultRequestHeaders.Authorization!.Parameter!;
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("scenes", "Scenes", "2 tiles x 3 dates", "CC0-1.0", CollectionKind.Harvested, [], []));
        var items = new List<CatalogItem>();
        for (var k = 0; k < 2; k++)
        {
            var box = new Bounds(10 + 2 * k, 45, 10.5 + 2 * k, 45.5);
            for (var d = 0; d < 3; d++)
            {
                var time = new DateTimeOffset(2026, 6, 1 + 5 * d, 10, 0, 0, TimeSpan.Zero);
                items.Add(new CatalogItem("scenes", $"T{k}_D{d}", time, time, time, Tessera.Catalog.Stac.StacItems.Polygon(box.MinX, box.MinY, box.MaxX, box.MaxY),
                    box, 5, "test", $"MGRS-3{k}TAB", [],
                    [
                        new CatalogAsset("B04", $"https://data.example.org/T{k}_D{d}/B04.tif", "image/tiff; application=geotiff", Roles: ["data"]),
                        new CatalogAsset("B08", $"https://data.example.org/T{k}_D{d}/B08.tif", "image/tiff; application=geotiff", Roles: ["data"]),
                    ]));
            }
        }
        await catalog.UpsertItemsAsync(items);
        _context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        await _context!.DisposeAsync();
        await _server!.DisposeAsync();
    }

    private Task<string[]> Attributes(string selector, string attribute) =>
        _page.Locator(selector).EvaluateAllAsync<string[]>($"nodes => nodes.map(n => n.getAttribute('{attribute}'))");

    [Fact]
    public async Task AnIngestion_IsDrawnAsItsGraph_BoxesAndArrowsAsTheJsonSays()
    {
        var response = await _http.PostAsJsonAsync("/ingest", JsonNode.Parse("""
            {"name": "two tiles", "aoi": {"type": "Polygon", "coordinates": [[[9, 44], [14, 44], [14, 46], [9, 46], [9, 44]]]},
             "start": "2026-06-01", "end": "2026-06-30", "collections": ["scenes"], "compare": "difference",
             "operation": {"type": 7, "inputs": {"nir": "B08", "red": "B04"}}}
            """));
        static async Task<JsonElement> Data(HttpResponseMessage response) =>
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        var id = (await Data(response)).GetProperty("id").GetInt64();
        var graph = await Data(await _http.GetAsync($"/ingest/{id}"));
        var tasks = graph.GetProperty("tasks").EnumerateArray().ToList();
        // 2 tiles x 3 dates: a download and a processing task each, and a difference for each date after a tile's first.
        Assert.Equal(6 * 2 + 2 * 2, tasks.Count);

        await _page.GotoAsync($"{_server!.Address}#token={_token}");
        await _page.ClickAsync("nav >> text=Ingestions");
        await Expect(_page.Locator("nav a[data-nav=ingest]")).ToHaveAttributeAsync("aria-current", "page");
        await _page.ClickAsync($"#ingestions tr[data-ingestion='{id}'] a");
        await Expect(_page.Locator("#ingest-title")).ToHaveTextAsync($"two tiles (ingestion {id})");

        // One box per task, in its state, and the summary the JSON counts.
        await Expect(_page.Locator("#ingest-graph g.node")).ToHaveCountAsync(tasks.Count);
        Assert.Equal(tasks.Select(t => $"{t.GetProperty("taskId").GetInt64()}:{t.GetProperty("state").GetString()}").Order(),
            (await _page.Locator("#ingest-graph g.node").EvaluateAllAsync<string[]>("n => n.map(g => g.dataset.task + ':' + g.dataset.state)")).Order());
        foreach (var state in new[] { "NEW", "PENDING", "DONE", "RETRY", "FAILED" })
        {
            await Expect(_page.Locator($"#ingest-summary dd[data-state={state}]")).ToHaveTextAsync(graph.GetProperty("summary").GetProperty(state).GetInt32().ToString());
        }
        // One arrow per prerequisite, from it to the task that waits, of its kind.
        var edges = tasks.SelectMany(t => t.GetProperty("after").EnumerateArray()
            .Select(a => $"{a.GetProperty("taskId").GetInt64()}>{t.GetProperty("taskId").GetInt64()}:{a.GetProperty("kind").GetString()}")).Order().ToList();
        Assert.Contains(edges, e => e.EndsWith(":previous", StringComparison.Ordinal));
        Assert.Contains(edges, e => e.EndsWith(":reference", StringComparison.Ordinal));
        Assert.Equal(edges, (await _page.Locator("#ingest-graph path.edge").EvaluateAllAsync<string[]>(
            "n => n.map(p => p.dataset.from + '>' + p.dataset.to + ':' + p.dataset.kind)")).Order());
        // Rows are the tiles, columns the dates, each box in its own tile's row and date's column.
        Assert.Equal(new[] { "MGRS-31TAB", "MGRS-30TAB", "2026-06-01", "2026-06-06", "2026-06-11" }.Order(),
            (await _page.Locator("#ingest-graph text.axis").AllTextContentsAsync()).Order());
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "ingestion-graph.png") });
        // And the JSON itself, as the API gives it.
        var shown = JsonDocument.Parse(await _page.Locator("#ingest-json").TextContentAsync() ?? "").RootElement;
        Assert.Equal(tasks.Count, shown.GetProperty("tasks").GetArrayLength());
    }
}
