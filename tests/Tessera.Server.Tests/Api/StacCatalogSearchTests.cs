using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// The STAC API over a catalog collection of scenes (put in the server's catalog as a harvest would): the query and
/// sort extensions and intersects through GET and POST, counted against the same filters written here, the documents
/// carrying the collection's bands and the scenes' remote assets, and clear errors for what the API does not know.
/// </summary>
public sealed class StacCatalogSearchTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();
    private readonly List<CatalogItem> _items = [];
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url),
            ("alice", "alice", Role.Read));
        _http = _server.Client("alice");
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("sentinel-2-l2a", "Sentinel-2 L2A", "Scenes of Sentinel-2", "CC-BY-4.0",
            CollectionKind.Harvested, [new CatalogBand("B04", "red", 0.665, 0.038), new CatalogBand("B08", "nir", 0.842, 0.145)], [],
            Source: "https://stac.example.org/collections/sentinel-2-l2a"));
        for (var i = 0; i < 24; i++)
        {
            var box = new Bounds(-10 + i * 0.5, 40 + (i % 6), -9 + i * 0.5, 41 + (i % 6));
            var time = Start.AddDays(i * 5);
            _items.Add(new CatalogItem("sentinel-2-l2a", $"S2-{i:D2}", time, time, time, Polygon(box), box, (i * 37) % 100 + 0.5,
                i % 2 == 0 ? "sentinel-2a" : "sentinel-2b", $"MGRS-29S{(char)('A' + i % 4)}B", new JsonObject { ["view:sun_elevation"] = 30 + i },
                [new CatalogAsset("B04", $"https://data.example.org/S2-{i:D2}/B04.tif", "image/tiff; application=geotiff; profile=cloud-optimized",
                    "Red", ["data"], "red", Size: 1000)]));
        }
        await catalog.UpsertItemsAsync(_items);
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private static JsonObject Polygon(Bounds b) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(new JsonArray(b.MinX, b.MinY), new JsonArray(b.MaxX, b.MinY), new JsonArray(b.MaxX, b.MaxY),
            new JsonArray(b.MinX, b.MaxY), new JsonArray(b.MinX, b.MinY))),
    };

    private async Task<JsonElement> Get(string url)
    {
        var response = await _http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> Post(object body)
    {
        var response = await _http.PostAsJsonAsync("/stac/search", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /stac/search: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string[] Ids(JsonElement page) => page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToArray();

    private static string[] Ids(IEnumerable<CatalogItem> items) => items.Select(i => i.Id).ToArray();

    [Fact]
    public async Task Query_SortbyAndIntersects_ByGetAndPost_MatchTheSameFiltersWrittenHere()
    {
        var clear = _items.Where(i => i.CloudCover < 30).ToList();
        var query = Uri.EscapeDataString("{\"eo:cloud_cover\":{\"lt\":30}}");
        var get = await Get($"/stac/search?collections=sentinel-2-l2a&query={query}&sortby=-eo:cloud_cover&limit=100");
        Assert.Equal(Ids(clear.OrderByDescending(i => i.CloudCover)), Ids(get));
        Assert.Equal(clear.Count, get.GetProperty("numberMatched").GetInt32());

        var post = await Post(new
        {
            collections = new[] { "sentinel-2-l2a" },
            query = new Dictionary<string, object> { ["platform"] = new { eq = "sentinel-2b" }, ["view:sun_elevation"] = new { gte = 40 } },
            sortby = new[] { new { field = "properties.view:sun_elevation", direction = "desc" } },
            limit = 100,
        });
        Assert.Equal(Ids(_items.Where(i => i.Platform == "sentinel-2b" && i.Properties["view:sun_elevation"]!.GetValue<int>() >= 40)
            .OrderByDescending(i => i.Properties["view:sun_elevation"]!.GetValue<int>())), Ids(post));

        // A line along the southern row of footprints (the catalog's contract tests exactness against polygons).
        var line = new { type = "LineString", coordinates = new[] { new[] { -9.75, 40.5 }, new[] { 2.0, 40.5 } } };
        var crossing = _items.Where(i => i.Bbox is { } b && b.MinY <= 40.5 && b.MaxY >= 40.5 && b.MaxX >= -9.75 && b.MinX <= 2).ToList();
        Assert.Equal(4, crossing.Count);
        Assert.Equal(Ids(crossing), Ids(await Post(new { intersects = line, limit = 100 })));
        var geometry = Uri.EscapeDataString(JsonSerializer.Serialize(line));
        Assert.Equal(Ids(crossing), Ids(await Get($"/stac/search?intersects={geometry}")));
    }

    [Fact]
    public async Task NextLinks_CarryTheQueryAndSort_ToTheLastPage()
    {
        var expected = Ids(_items.Where(i => i.Platform == "sentinel-2a").OrderBy(i => i.CloudCover));
        var query = Uri.EscapeDataString("{\"platform\":{\"eq\":\"sentinel-2a\"}}");
        var page = await Get($"/stac/collections/sentinel-2-l2a/items?query={query}&sortby=eo:cloud_cover&limit=5");
        var ids = new List<string>(Ids(page));
        while (page.GetProperty("links").EnumerateArray().FirstOrDefault(l => l.GetProperty("rel").GetString() == "next") is { ValueKind: JsonValueKind.Object } next)
        {
            page = await Get(next.GetProperty("href").GetString()!);
            ids.AddRange(Ids(page));
        }
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Documents_CarryTheCollectionsBandsAndExtent_AndTheScenesRemoteAssets()
    {
        var collection = await Get("/stac/collections/sentinel-2-l2a");
        Assert.Equal("CC-BY-4.0", collection.GetProperty("license").GetString());
        var bands = collection.GetProperty("summaries").GetProperty("eo:bands").EnumerateArray().ToList();
        Assert.Equal([("B04", "red"), ("B08", "nir")], bands.Select(b => (b.GetProperty("name").GetString(), b.GetProperty("common_name").GetString())));
        Assert.Equal(["sentinel-2a", "sentinel-2b"], collection.GetProperty("summaries").GetProperty("platform").EnumerateArray().Select(p => p.GetString()));
        var bbox = collection.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal([_items.Min(i => i.Bbox!.Value.MinX), 40, _items.Max(i => i.Bbox!.Value.MaxX), 46], bbox);
        Assert.Contains("https://stac-extensions.github.io/eo/v1.1.0/schema.json",
            collection.GetProperty("stac_extensions").EnumerateArray().Select(e => e.GetString()));

        var item = await Get("/stac/collections/sentinel-2-l2a/items/S2-03");
        Assert.Equal("https://data.example.org/S2-03/B04.tif", item.GetProperty("assets").GetProperty("B04").GetProperty("href").GetString());
        Assert.Equal(1000, item.GetProperty("assets").GetProperty("B04").GetProperty("file:size").GetInt64());
        var properties = item.GetProperty("properties");
        Assert.Equal((_items[3].CloudCover!.Value, "sentinel-2b", "MGRS-29SDB"), (properties.GetProperty("eo:cloud_cover").GetDouble(),
            properties.GetProperty("platform").GetString(), properties.GetProperty("grid:code").GetString()));
        var landing = await Get("/stac");
        Assert.Contains(landing.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "child"
            && l.GetProperty("href").GetString()!.EndsWith("/stac/collections/sentinel-2-l2a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhatTheApiDoesNotKnow_Is400_NamingIt()
    {
        async Task<string> Message(HttpResponseMessage r)
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
        }
        Assert.StartsWith("filter: not a parameter of this search", await Message(await _http.GetAsync("/stac/search?filter=x")));
        Assert.StartsWith("fields: not a parameter of this search", await Message(await _http.PostAsJsonAsync("/stac/search", new { fields = new { } })));
        Assert.StartsWith("collections: not a parameter of this search",
            await Message(await _http.GetAsync("/stac/collections/sentinel-2-l2a/items?collections=x")));
        Assert.StartsWith("query: eo:cloud_cover: unknown operator 'below'",
            await Message(await _http.PostAsJsonAsync("/stac/search", new { query = new Dictionary<string, object> { ["eo:cloud_cover"] = new { below = 3 } } })));
        Assert.StartsWith("query: not JSON", await Message(await _http.GetAsync("/stac/search?query={")));
        Assert.Equal("bbox and intersects: give one of them, not both",
            await Message(await _http.PostAsJsonAsync("/stac/search", new { bbox = new[] { 0, 0, 1, 1 }, intersects = new { type = "Point", coordinates = new[] { 0, 0 } } })));
        Assert.StartsWith("intersects: not a GeoJSON geometry",
            await Message(await _http.PostAsJsonAsync("/stac/search", new { intersects = new { type = "Circle", radius = 3 } })));
        Assert.StartsWith("sortby: direction 'up'",
            await Message(await _http.PostAsJsonAsync("/stac/search", new { sortby = new[] { new { field = "datetime", direction = "up" } } })));
    }

    /// <summary>The known extensions this server declares, whose schemas are not kept offline (only STAC's core and the datacube's are).</summary>
    private static readonly string[] Extensions =
    [
        "https://stac-extensions.github.io/eo/v1.1.0/schema.json",
        "https://stac-extensions.github.io/file/v2.1.0/schema.json",
        "https://stac-extensions.github.io/grid/v1.1.0/schema.json",
        "https://stac-extensions.github.io/projection/v1.1.0/schema.json",
        "https://stac-extensions.github.io/raster/v1.1.0/schema.json",
    ];

    [Fact]
    public async Task EveryDocument_IsValidStac10()
    {
        var documents = new Dictionary<string, string>();
        async Task Keep(string name, HttpResponseMessage response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode} {text}");
            documents[name] = text;
        }
        await Keep("landing", await _http.GetAsync("/stac"));
        await Keep("collections", await _http.GetAsync("/stac/collections"));
        await Keep("collection", await _http.GetAsync("/stac/collections/sentinel-2-l2a"));
        await Keep("items", await _http.GetAsync("/stac/collections/sentinel-2-l2a/items?limit=5"));
        await Keep("item", await _http.GetAsync("/stac/collections/sentinel-2-l2a/items/S2-04"));
        await Keep("search-get", await _http.GetAsync("/stac/search?limit=3&sortby=-datetime"));
        await Keep("search-post", await _http.PostAsJsonAsync("/stac/search", new { limit = 3, query = new Dictionary<string, object> { ["eo:cloud_cover"] = new { lt = 50 } } }));

        var result = StacValidator.Validate(documents);

        Assert.Empty(result.Errors);
        // The landing page, every collection of the list (those of each task type included), the collection, and the items of each page.
        var collections = JsonDocument.Parse(documents["collections"]).RootElement.GetProperty("collections").GetArrayLength();
        Assert.Equal(1 + collections + 1 + 5 + 1 + 3 + 3, result.Objects);
        Assert.Subset(Extensions.ToHashSet(), result.Unchecked.ToHashSet());
    }
}
