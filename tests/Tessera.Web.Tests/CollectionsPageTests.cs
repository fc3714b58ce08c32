using System.Globalization;
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
/// The Collections page in real Chromium against the real server, its catalog filled as a harvest would: scenes of
/// different dates and cloud covers shown on the map, the timeline and the table, one selection across the three,
/// filters that ask the STAC API again, an empty collection, an unknown one, and more items than the page loads.
/// Every expected value is worked out here from the items put in.
/// </summary>
public sealed class CollectionsPageTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private const string Scenes = "sentinel-2-l2a";
    private const string Empty = "landsat-c2-l2";

    /// <summary>Out of date order on purpose; disjoint footprints; one scene without a cloud cover.</summary>
    private static readonly CatalogItem[] Items =
    [
        Scene("S2-A", new DateTimeOffset(2023, 3, 5, 10, 30, 0, TimeSpan.Zero), 12.5, "sentinel-2a", new Bounds(-10, 40, -9, 41)),
        Scene("S2-B", new DateTimeOffset(2023, 1, 14, 10, 20, 0, TimeSpan.Zero), 80, "sentinel-2b", new Bounds(-7, 40, -6, 41)),
        Scene("S2-C", new DateTimeOffset(2023, 6, 20, 10, 40, 0, TimeSpan.Zero), 3, "sentinel-2a", new Bounds(-10, 43, -9, 44)),
        Scene("S2-D", new DateTimeOffset(2023, 4, 2, 11, 5, 0, TimeSpan.Zero), 45.5, "sentinel-2b", new Bounds(-7, 43, -6, 44)),
        Scene("S2-E", new DateTimeOffset(2023, 8, 11, 10, 50, 0, TimeSpan.Zero), null, "sentinel-2a", new Bounds(-4, 41.5, -3, 42.5)),
    ];

    private RunningServer? _server;
    private IBrowserContext? _context;
    private IPage _page = null!;
    private string _token = "";
    private readonly List<string> _searches = [];

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url),
            ("alice", "alice", Role.Read));
        _token = _server.Client("alice").DefaultRequestHeaders.Authorization!.Parameter!;
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection(Scenes, "Sentinel-2 L2A", "Scenes of Sentinel-2", "CC-BY-4.0",
            CollectionKind.Harvested, [], []));
        await catalog.UpsertCollectionAsync(new CatalogCollection(Empty, "Landsat C2 L2", "Scenes of Landsat, none harvested yet", "CC0-1.0",
            CollectionKind.Harvested, [], []));
        await catalog.UpsertItemsAsync(Items);
        _context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(30_000);
        _page.Request += (_, request) =>
        {
            if (request.Url.Contains("/stac/search", StringComparison.Ordinal))
            {
                lock (_searches)
                {
                    _searches.Add(Uri.UnescapeDataString(request.Url));
                }
            }
        };
    }

    public async Task DisposeAsync()
    {
        await _context!.DisposeAsync();
        await _server!.DisposeAsync();
    }

    private static CatalogItem Scene(string id, DateTimeOffset time, double? cloud, string platform, Bounds box) =>
        new(Scenes, id, time, time, time, Polygon(box), box, cloud, platform, null, new JsonObject(),
            [new CatalogAsset("B04", $"https://data.example.org/{id}/B04.tif", "image/tiff; application=geotiff", "Red", ["data"], "red")]);

    private static JsonObject Polygon(Bounds b) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(new JsonArray(b.MinX, b.MinY), new JsonArray(b.MaxX, b.MinY), new JsonArray(b.MaxX, b.MaxY),
            new JsonArray(b.MinX, b.MaxY), new JsonArray(b.MinX, b.MinY))),
    };

    private static string Date(CatalogItem item) => item.DateTime!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string Cloud(CatalogItem item) => item.CloudCover is { } c ? c.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "—";

    /// <summary>The table lists the newest first.</summary>
    private static string[] Newest(IEnumerable<CatalogItem> items) => items.OrderByDescending(i => i.DateTime).Select(i => i.Id).ToArray();

    private async Task OpenCollectionsAsync()
    {
        await _page.GotoAsync($"{_server!.Address}#token={_token}");
        await Expect(_page.Locator("#tasks")).ToBeVisibleAsync();
        await _page.ClickAsync("nav >> text=Collections");
        await Expect(_page.Locator("nav a[data-nav=collections]")).ToHaveAttributeAsync("aria-current", "page");
    }

    private async Task OpenScenesAsync()
    {
        await OpenCollectionsAsync();
        await _page.ClickAsync($"#collections tr[data-collection='{Scenes}'] a");
        await Expect(_page.Locator("#collection-title")).ToHaveTextAsync("Sentinel-2 L2A");
    }

    private Task<string[]> Attributes(string selector, string attribute) =>
        _page.Locator(selector).EvaluateAllAsync<string[]>($"nodes => nodes.map(n => n.getAttribute('{attribute}'))");

    /// <summary>
    /// Waits until the table lists exactly <paramref name="expected"/> (newest first), then checks the timeline and the map
    /// show the same items: a filter's search is answered after a short pause for typing.
    /// </summary>
    private async Task ExpectShownAsync(IReadOnlyCollection<CatalogItem> expected)
    {
        var ids = Newest(expected);
        string[] shown = [];
        for (var i = 0; i < 200 && !(shown = await Attributes("#items tbody tr[data-item]", "data-item")).SequenceEqual(ids); i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(ids, shown);
        await Expect(_page.Locator("#collection-items")).Not.ToHaveAttributeAsync("aria-busy", "true");
        Assert.Equal(ids.Order(), (await Attributes("#timeline .mark", "data-item")).Order());
        Assert.Equal(ids.Order(), (await Attributes("#collection-map path.footprint", "data-item")).Order());
        await Expect(_page.Locator("#items-summary")).ToHaveTextAsync(expected.Count == 0 ? "No items match these filters."
            : $"{expected.Count} item{(expected.Count == 1 ? "" : "s")}.");
    }

    private string LastSearch()
    {
        lock (_searches)
        {
            return _searches[^1];
        }
    }

    [Fact]
    public async Task Collections_ShowTheItemsOnMapTimelineAndTable_OneSelectionAcrossThem()
    {
        await OpenCollectionsAsync();
        await Expect(_page.Locator($"#collections tr[data-collection='{Scenes}'] td.count")).ToHaveTextAsync(Items.Length.ToString(CultureInfo.InvariantCulture));
        await Expect(_page.Locator($"#collections tr[data-collection='{Empty}'] td.count")).ToHaveTextAsync("0");
        await Expect(_page.Locator($"#collections tr[data-collection='{Scenes}'] td").Nth(3))
            .ToHaveTextAsync(Items.Min(i => i.DateTime)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Expect(_page.Locator($"#collections tr[data-collection='{Scenes}'] td").Nth(4))
            .ToHaveTextAsync(Items.Max(i => i.DateTime)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "collections.png"), FullPage = true });

        await _page.ClickAsync($"#collections tr[data-collection='{Scenes}'] a");
        Assert.EndsWith($"#/collections/{Scenes}", _page.Url);

        // The table: every item, newest first, with its date and cloud cover.
        var rows = _page.Locator("#items tbody tr[data-item]");
        await Expect(rows).ToHaveCountAsync(Items.Length);
        await Expect(_page.Locator("#items-summary")).ToHaveTextAsync($"{Items.Length} items.");
        var newest = Items.OrderByDescending(i => i.DateTime).ToList();
        Assert.Equal(newest.Select(i => i.Id), await Attributes("#items tbody tr[data-item]", "data-item"));
        Assert.Equal(newest.Select(Date), await rows.Locator("td:nth-child(2)").AllTextContentsAsync());
        Assert.Equal(newest.Select(Cloud), await rows.Locator("td:nth-child(3)").AllTextContentsAsync());

        // The timeline: one mark per item, from left to right in date order, under round dates of that time.
        var marks = await _page.Locator("#timeline .mark").EvaluateAllAsync<JsonElement>(
            "marks => marks.map(m => ({ id: m.dataset.item, x: m.getBoundingClientRect().left }))");
        var placed = marks.EnumerateArray().Select(m => (Id: m.GetProperty("id").GetString()!, X: m.GetProperty("x").GetDouble())).ToList();
        Assert.Equal(Items.OrderBy(i => i.DateTime).Select(i => i.Id), placed.OrderBy(m => m.X).Select(m => m.Id));
        Assert.True(placed.Zip(placed.Skip(1)).All(p => p.Second.X > p.First.X + 1), "marks are not spread in date order: " + string.Join(", ", placed));
        var labels = await _page.Locator("#timeline .tick-label").AllTextContentsAsync();
        Assert.True(labels.Count >= 2, "the timeline has fewer than two dates: " + string.Join(", ", labels));
        Assert.All(labels, l => Assert.StartsWith("2023", l));
        Assert.Equal(labels.Order(StringComparer.Ordinal), labels);

        // The map: one footprint per item, each inside the map's view (it fits the items' bounds).
        var map = (await _page.Locator("#collection-map").BoundingBoxAsync())!;
        var footprints = _page.Locator("#collection-map path.footprint");
        await Expect(footprints).ToHaveCountAsync(Items.Length);
        for (var i = 0; i < Items.Length; i++)
        {
            var box = (await footprints.Nth(i).BoundingBoxAsync())!;
            Assert.True(box.Width > 5 && box.Height > 5, $"footprint {i} is {box.Width} x {box.Height} px");
            Assert.True(box.X >= map.X - 1 && box.Y >= map.Y - 1 && box.X + box.Width <= map.X + map.Width + 1 && box.Y + box.Height <= map.Y + map.Height + 1,
                $"footprint {i} lies outside the map's view");
        }

        // Chosen in the list: highlighted on the map and the timeline, its details shown.
        var d = Items.Single(i => i.Id == "S2-D");
        await _page.ClickAsync("#items tbody tr[data-item='S2-D']");
        await ExpectChosenAsync(d);
        await Expect(_page.Locator("#detail-platform")).ToHaveTextAsync(d.Platform!);
        await Expect(_page.Locator("#detail-assets tr[data-asset=B04] a")).ToHaveAttributeAsync("href", d.Assets[0].Href);
        await Expect(_page.Locator("#detail-assets tr[data-asset=B04] td").Nth(1)).ToHaveTextAsync(d.Assets[0].Title!);

        // Chosen on the timeline, then on the map.
        await _page.ClickAsync("#timeline .mark[data-item='S2-A']");
        await ExpectChosenAsync(Items.Single(i => i.Id == "S2-A"));
        await _page.ClickAsync("#collection-map path.footprint[data-item='S2-E']");
        await ExpectChosenAsync(Items.Single(i => i.Id == "S2-E"));

        var screenshot = Path.Combine(Browser.ArtifactsFolder(), "collection.png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
    }

    private async Task ExpectChosenAsync(CatalogItem item)
    {
        var row = _page.Locator("#items tbody tr.selected");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToHaveAttributeAsync("data-item", item.Id);
        var footprint = _page.Locator("#collection-map path.footprint.selected");
        await Expect(footprint).ToHaveCountAsync(1);
        await Expect(footprint).ToHaveAttributeAsync("data-item", item.Id);
        var mark = _page.Locator("#timeline .mark.selected");
        await Expect(mark).ToHaveCountAsync(1);
        await Expect(mark).ToHaveAttributeAsync("data-item", item.Id);
        await Expect(_page.Locator("#detail-id")).ToHaveTextAsync(item.Id);
        await Expect(_page.Locator("#detail-datetime")).ToHaveTextAsync(Date(item));
        await Expect(_page.Locator("#detail-cloud")).ToHaveTextAsync(Cloud(item));
    }

    [Fact]
    public async Task Collections_DateAndCloudFilters_AskTheApiAgain()
    {
        await OpenScenesAsync();
        await ExpectShownAsync(Items);

        // Whole UTC days from the first to the last.
        var from = new DateTimeOffset(2023, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2023, 7, 1, 0, 0, 0, TimeSpan.Zero);
        await _page.FillAsync("#filter-from", "2023-02-01");
        await _page.FillAsync("#filter-to", "2023-06-30");
        var inDates = Items.Where(i => i.DateTime >= from && i.DateTime < to).ToList();
        Assert.Equal(3, inDates.Count);
        await ExpectShownAsync(inDates);
        Assert.Contains("datetime=2023-02-01T00:00:00Z/2023-06-30T23:59:59.999Z", LastSearch());

        await _page.FillAsync("#filter-cloud", "30");
        var clearInDates = inDates.Where(i => i.CloudCover <= 30).ToList();
        Assert.Equal(2, clearInDates.Count);
        await ExpectShownAsync(clearInDates);
        Assert.Contains("\"eo:cloud_cover\":{\"lte\":30}", LastSearch());

        await _page.ClickAsync("#filter-clear");
        await ExpectShownAsync(Items);

        // The maximum is included; a scene whose cloud cover is not known is left out.
        await _page.FillAsync("#filter-cloud", "12.5");
        var clear = Items.Where(i => i.CloudCover is <= 12.5).ToList();
        Assert.Equal(2, clear.Count);
        await ExpectShownAsync(clear);

        await _page.FillAsync("#filter-cloud", "1");
        await ExpectShownAsync([]);
        await Expect(_page.Locator("#items tbody")).ToContainTextAsync("No items match these filters.");

        // A search the API refuses: its message as the API gives it, and no items.
        await _page.ClickAsync("#filter-clear");
        await ExpectShownAsync(Items);
        await _page.FillAsync("#filter-from", "2023-06-01");
        await _page.FillAsync("#filter-to", "2023-02-01");
        var refused = await _server!.Client("alice").GetAsync($"/stac/search?collections={Scenes}&datetime=2023-06-01T00:00:00Z/2023-02-01T23:59:59.999Z");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        var expected = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
        await Expect(_page.Locator("#collection-error")).ToHaveTextAsync(expected);
        await Expect(_page.Locator("#items tbody tr[data-item]")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#timeline .mark")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Collections_EmptyAndUnknownCollections_SaySo()
    {
        await OpenCollectionsAsync();
        await Expect(_page.Locator($"#collections tr[data-collection='{Empty}'] td.count")).ToHaveTextAsync("0");
        await _page.ClickAsync($"#collections tr[data-collection='{Empty}'] a");
        await Expect(_page.Locator("#collection-title")).ToHaveTextAsync("Landsat C2 L2");
        await Expect(_page.Locator("#items-summary")).ToHaveTextAsync("No items in this collection.");
        await Expect(_page.Locator("#items tbody")).ToContainTextAsync("No items in this collection.");
        await Expect(_page.Locator("#items tbody tr[data-item]")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#timeline .mark")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#collection-map path.footprint")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#collection-error")).ToHaveTextAsync("");

        var missing = await _server!.Client("alice").GetAsync("/stac/collections/no-such-collection");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        var expected = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
        await _page.GotoAsync($"{_server.Address}#/collections/no-such-collection");
        await Expect(_page.Locator("#collection-error")).ToHaveTextAsync(expected);
        await Expect(_page.Locator("#items")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Collections_MoreItemsThanThePageLoads_ShowsTheNewestAndSaysSo()
    {
        const int Count = 2003;
        const int Most = 2000;
        var start = new DateTimeOffset(2020, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var many = Enumerable.Range(0, Count).Select(i => Scene($"M-{i:D4}", start.AddHours(6 * i), i % 100, "sentinel-2a",
            new Bounds(-10 + (i % 50) * 0.2, 40 + (i / 50) * 0.1, -9.9 + (i % 50) * 0.2, 40.05 + (i / 50) * 0.1)) with { Collection = "many" }).ToList();
        var catalog = _server!.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("many", "Many scenes", "More scenes than the page loads", "CC0-1.0",
            CollectionKind.Harvested, [], []));
        await catalog.UpsertItemsAsync(many);

        await OpenCollectionsAsync();
        await Expect(_page.Locator("#collections tr[data-collection='many'] td.count")).ToHaveTextAsync(Count.ToString(CultureInfo.InvariantCulture));
        await _page.ClickAsync("#collections tr[data-collection='many'] a");
        await Expect(_page.Locator("#items-summary")).ToContainTextAsync($"Showing the first {Most} of {Count} items", new() { Timeout = 60_000 });
        await Expect(_page.Locator("#items tbody tr[data-item]")).ToHaveCountAsync(Most);
        Assert.Equal(Newest(many).Take(Most), await Attributes("#items tbody tr[data-item]", "data-item"));
        await Expect(_page.Locator("#timeline .mark")).ToHaveCountAsync(Most);
        await Expect(_page.Locator("#collection-map path.footprint")).ToHaveCountAsync(Most);
    }
}
