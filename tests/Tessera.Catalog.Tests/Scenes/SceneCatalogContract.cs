using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Catalog.Scenes;
using Tessera.Data;
using Tessera.Raster;
using Tessera.Raster.Features;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Scenes;

/// <summary>
/// What the catalog of scenes does, on every database: each database's test class says how to open one. Searches are
/// checked against the same filters written independently here over the items the test made (LINQ, and a
/// separating-axis test for footprints against polygons).
/// </summary>
public abstract class SceneCatalogContract : IDisposable
{
    private readonly TempFolder _root = new();

    protected TempFolder Root => _root;

    /// <summary>Opens the database of this test (the same one each time it is called).</summary>
    protected abstract Task<Database> OpenDatabaseAsync();

    private static readonly DateTimeOffset Year = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>60 scenes of two collections over western Europe through 2024, made from a fixed seed.</summary>
    private static List<CatalogItem> Scenes()
    {
        var random = new Random(1234);
        var items = new List<CatalogItem>();
        for (var i = 0; i < 60; i++)
        {
            var collection = i % 3 == 0 ? "landsat-c2-l2" : "sentinel-2-l2a";
            var west = Math.Round(-10 + random.NextDouble() * 20, 4);
            var south = Math.Round(40 + random.NextDouble() * 12, 4);
            var size = collection == "landsat-c2-l2" ? 2.0 : 1.0;
            var box = new Bounds(west, south, west + size, south + size);
            var time = Year.AddMinutes(random.Next(365 * 24 * 60));
            var cloud = Math.Round(random.NextDouble() * 100, 3);
            var platform = collection == "landsat-c2-l2" ? (i % 2 == 0 ? "landsat-8" : "landsat-9") : (i % 2 == 0 ? "sentinel-2a" : "sentinel-2b");
            var properties = new JsonObject
            {
                ["view:sun_elevation"] = Math.Round(20 + random.NextDouble() * 40, 2),
                ["s2:processing_baseline"] = i % 4 == 0 ? "05.10" : "04.00",
                ["tessera:checked"] = i % 5 == 0,
            };
            if (i % 7 == 0)
            {
                properties.Remove("view:sun_elevation"); // some scenes do not say
            }
            var owner = i % 10 == 3 ? "alice" : i % 10 == 7 ? "bob" : null;
            items.Add(new CatalogItem(collection, $"{collection}-{i:D3}", time, time, time, Rectangle(box), box, cloud, platform,
                $"MGRS-{30 + i % 3}T{(char)('A' + i % 5)}{(char)('K' + i % 4)}", properties,
                [
                    new CatalogAsset("B04", $"https://data.example.org/{collection}/{i}/B04.tif", "image/tiff; application=geotiff", "Red", ["data"], "red",
                        Size: 1000 + i),
                    new CatalogAsset("B08", $"https://data.example.org/{collection}/{i}/B08.tif", "image/tiff; application=geotiff", "NIR", ["data"], "nir"),
                ], Owner: owner));
        }
        // A scene observed over a range of time (no single datetime), with no footprint.
        items.Add(new CatalogItem("sentinel-2-l2a", "range-without-footprint", null, Year.AddDays(100), Year.AddDays(110), null, null, 12.5,
            "sentinel-2a", null, [], []));
        return items;
    }

    private static JsonObject Rectangle(Bounds b) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(
            new JsonArray(b.MinX, b.MinY), new JsonArray(b.MaxX, b.MinY), new JsonArray(b.MaxX, b.MaxY), new JsonArray(b.MinX, b.MaxY),
            new JsonArray(b.MinX, b.MinY))),
    };

    private static CatalogCollection Collection(string id, int rank = CatalogCollection.DefaultRank) =>
        new(id, id.ToUpperInvariant(), $"Scenes of {id}", "CC-BY-4.0", CollectionKind.Harvested,
            [new CatalogBand("B04", "red", 0.665, 0.038), new CatalogBand("B08", "nir", 0.842, 0.145)],
            new JsonObject { ["gsd"] = new JsonArray(10, 30) }, new Bounds(-180, -90, 180, 90), Year, null,
            new JsonObject { ["keywords"] = new JsonArray("test") }, "https://stac.example.org/", rank);

    private async Task<(DbSceneCatalog Catalog, List<CatalogItem> Items)> FilledAsync()
    {
        var catalog = await DbSceneCatalog.OpenAsync(await OpenDatabaseAsync());
        await catalog.UpsertCollectionAsync(Collection("sentinel-2-l2a"));
        await catalog.UpsertCollectionAsync(Collection("landsat-c2-l2", rank: 5));
        var items = Scenes();
        await catalog.UpsertItemsAsync(items);
        return (catalog, items);
    }

    /// <summary>Everyone's items and those of <paramref name="owner"/> (all when null), in the catalog's default order.</summary>
    private static IEnumerable<CatalogItem> Visible(IEnumerable<CatalogItem> items, string? owner) =>
        items.Where(i => owner is null || i.Owner is null || i.Owner == owner)
            .OrderBy(i => i.Start).ThenBy(i => i.Collection, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal);

    private static string[] Ids(IEnumerable<CatalogItem> items) => items.Select(i => i.Id).ToArray();

    private static bool Meets(Bounds a, Bounds b) => a.MaxX >= b.MinX && a.MinX <= b.MaxX && a.MaxY >= b.MinY && a.MinY <= b.MaxY;

    [Fact]
    public async Task Collections_AreListedInOrder_WithWhatTheyDeclare_AndTheExtentOfTheirItems()
    {
        var (catalog, items) = await FilledAsync();

        var all = await catalog.ListCollectionsAsync();
        Assert.Equal(["landsat-c2-l2", "sentinel-2-l2a"], all.Select(c => c.Id));
        var s2 = all[1];
        Assert.Equal(("SENTINEL-2-L2A", "CC-BY-4.0", CollectionKind.Harvested, "https://stac.example.org/"), (s2.Title, s2.License, s2.Kind, s2.Source));
        Assert.Equal([("B04", "red", 0.665), ("B08", "nir", 0.842)], s2.Bands.Select(b => (b.Name, b.CommonName!, b.CenterWavelength!.Value)));
        Assert.Equal("[10,30]", s2.Summaries["gsd"]!.ToJsonString());
        Assert.Equal(Year, s2.DeclaredStart);
        Assert.Null(s2.DeclaredEnd);

        var extents = await catalog.ExtentsAsync(null, "alice");
        foreach (var id in new[] { "landsat-c2-l2", "sentinel-2-l2a" })
        {
            var mine = items.Where(i => i.Collection == id && (i.Owner is null || i.Owner == "alice")).ToList();
            var boxes = mine.Where(i => i.Bbox is not null).Select(i => i.Bbox!.Value).ToList();
            var extent = extents[id];
            Assert.Equal(mine.Count, extent.Items);
            Assert.Equal(new Bounds(boxes.Min(b => b.MinX), boxes.Min(b => b.MinY), boxes.Max(b => b.MaxX), boxes.Max(b => b.MaxY)), extent.Bbox);
            Assert.Equal((mine.Min(i => i.Start), mine.Max(i => i.End)), (extent.Start!.Value, extent.End!.Value));
            Assert.Equal((mine.Min(i => i.CloudCover), mine.Max(i => i.CloudCover)), (extent.MinCloudCover, extent.MaxCloudCover));
            Assert.Equal(mine.Select(i => i.Platform!).Distinct().Order(StringComparer.Ordinal), extent.Platforms);
        }
    }

    [Fact]
    public async Task AnItem_ComesBackAsItWasGiven_WithItsAssetsInOrder()
    {
        var (catalog, items) = await FilledAsync();
        var given = items[4];

        var read = await catalog.GetItemAsync(given.Collection, given.Id, null);

        Assert.NotNull(read);
        Assert.Equal((given.DateTime, given.Start, given.End, given.Bbox, given.CloudCover, given.Platform, given.GridCode, given.Owner),
            (read.DateTime, read.Start, read.End, read.Bbox, read.CloudCover, read.Platform, read.GridCode, read.Owner));
        Assert.True(JsonNode.DeepEquals(given.Geometry, read.Geometry));
        // The properties hold the searched fields too, as STAC writes them.
        Assert.Equal(given.CloudCover, read.Properties["eo:cloud_cover"]!.GetValue<double>());
        Assert.Equal(given.Platform, read.Properties["platform"]!.GetValue<string>());
        Assert.Equal(given.GridCode, read.Properties["grid:code"]!.GetValue<string>());
        Assert.Equal(given.DateTime!.Value, DateTimeOffset.Parse(read.Properties["datetime"]!.GetValue<string>()));
        Assert.Equal(given.Properties["s2:processing_baseline"]!.GetValue<string>(), read.Properties["s2:processing_baseline"]!.GetValue<string>());
        Assert.Equal(["B04", "B08"], read.Assets.Select(a => a.Key));
        Assert.Equal(given.Assets[0] with { Roles = null, Extra = null }, read.Assets[0] with { Roles = null, Extra = null });
        Assert.Equal(["data"], read.Assets[0].Roles!);

        var range = await catalog.GetItemAsync("sentinel-2-l2a", "range-without-footprint", null);
        Assert.Null(range!.DateTime);
        Assert.Null(range.Geometry);
        Assert.Equal(range.Start, DateTimeOffset.Parse(range.Properties["start_datetime"]!.GetValue<string>()));
        Assert.Null(range.Properties["datetime"]);
        // Others' items do not exist for a caller.
        var bobs = items.First(i => i.Owner == "bob");
        Assert.Null(await catalog.GetItemAsync(bobs.Collection, bobs.Id, "alice"));
        Assert.NotNull(await catalog.GetItemAsync(bobs.Collection, bobs.Id, "bob"));
    }

    [Fact]
    public async Task Search_ByBboxTimeCollectionAndCloud_MatchesTheSameFilterWrittenHere_PageByPage()
    {
        var (catalog, items) = await FilledAsync();
        var box = new Bounds(-8, 41, 8, 50);
        var from = Year.AddDays(20);
        var to = Year.AddDays(300);

        var expected = Visible(items, "alice").Where(i => i.Collection == "sentinel-2-l2a" && i.Bbox is { } b && Meets(b, box)
            && i.End >= from && i.Start <= to && i.CloudCover < 45).ToList();
        var search = new ItemSearch(["sentinel-2-l2a"], Bbox: box, From: from, To: to,
            Query: [new PropertyFilter("eo:cloud_cover", QueryOperator.Lt, 45)], Limit: 3, Visibility: "alice");
        var found = new List<CatalogItem>();
        for (var offset = 0; ; offset += 3)
        {
            var page = await catalog.SearchAsync(search with { Offset = offset });
            Assert.Equal(expected.Count, page.Matched);
            found.AddRange(page.Items);
            if (page.Items.Count < 3)
            {
                break;
            }
        }

        Assert.True(expected.Count >= 3, $"the test's box and dates select {expected.Count} scenes: too few to page");
        Assert.Equal(Ids(expected), Ids(found));
        // A range meets an interval when the two overlap.
        var overlapping = await catalog.SearchAsync(new ItemSearch(From: Year.AddDays(105), To: Year.AddDays(106), Ids: ["range-without-footprint"]));
        Assert.Equal(["range-without-footprint"], Ids(overlapping.Items));
    }

    [Fact]
    public async Task Query_ComparesNumbersTextAndBooleans_InTheItemsProperties()
    {
        var (catalog, items) = await FilledAsync();
        async Task<string[]> Found(params PropertyFilter[] query) =>
            Ids((await catalog.SearchAsync(new ItemSearch(Query: query, Limit: 1000))).Items);
        double? Sun(CatalogItem i) => i.Properties["view:sun_elevation"]?.GetValue<double>();
        string Baseline(CatalogItem i) => i.Properties["s2:processing_baseline"]!.GetValue<string>();
        var all = Visible(items, null).ToList();

        Assert.Equal(Ids(all.Where(i => Sun(i) > 45)), await Found(new PropertyFilter("view:sun_elevation", QueryOperator.Gt, 45)));
        Assert.Equal(Ids(all.Where(i => Sun(i) >= 30 && Sun(i) <= 40)), await Found(new PropertyFilter("view:sun_elevation", QueryOperator.Gte, 30),
            new PropertyFilter("view:sun_elevation", QueryOperator.Lte, 40)));
        Assert.Equal(Ids(all.Where(i => i.Properties.ContainsKey("s2:processing_baseline") && Baseline(i) == "05.10")),
            await Found(new PropertyFilter("s2:processing_baseline", QueryOperator.Eq, "05.10")));
        Assert.Equal(Ids(all.Where(i => i.Properties.ContainsKey("s2:processing_baseline") && Baseline(i).StartsWith("04", StringComparison.Ordinal))),
            await Found(new PropertyFilter("s2:processing_baseline", QueryOperator.StartsWith, "04")));
        Assert.Equal(Ids(all.Where(i => i.Platform is "landsat-8" or "sentinel-2b")),
            await Found(new PropertyFilter("platform", QueryOperator.In, new JsonArray("landsat-8", "sentinel-2b"))));
        Assert.Equal(Ids(all.Where(i => i.Platform != "sentinel-2a")), await Found(new PropertyFilter("platform", QueryOperator.Neq, "sentinel-2a")));
        Assert.Equal(Ids(all.Where(i => i.GridCode?.EndsWith("TAK", StringComparison.Ordinal) == true)),
            await Found(new PropertyFilter("grid:code", QueryOperator.EndsWith, "TAK")));
        Assert.Equal(Ids(all.Where(i => i.Id.Contains("-01", StringComparison.Ordinal))), await Found(new PropertyFilter("id", QueryOperator.Contains, "-01")));
        Assert.Equal(Ids(all.Where(i => i.Properties["tessera:checked"]?.GetValue<bool>() == true)),
            await Found(new PropertyFilter("tessera:checked", QueryOperator.Eq, true)));
        Assert.Equal(Ids(all.Where(i => i.Start < Year.AddDays(20))), await Found(new PropertyFilter("datetime", QueryOperator.Lt, Year.AddDays(20).ToString("O"))));
        // A number asked of a text field matches nothing rather than failing.
        Assert.Empty(await Found(new PropertyFilter("platform", QueryOperator.Eq, 8)));
        Assert.NotEmpty(await Found(new PropertyFilter("view:sun_elevation", QueryOperator.Gt, 45)));
        await Assert.ThrowsAsync<CatalogException>(() => Found(new PropertyFilter("tessera:checked", QueryOperator.Lt, true)));
    }

    [Fact]
    public async Task SortBy_OrdersByAnyField_ItemsWithoutItLast_ThenByTimeCollectionAndId()
    {
        var (catalog, items) = await FilledAsync();
        async Task<string[]> Sorted(params SortField[] fields) => Ids((await catalog.SearchAsync(new ItemSearch(SortBy: fields, Limit: 1000))).Items);
        var all = items.OrderBy(i => i.Start).ThenBy(i => i.Collection, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();

        Assert.Equal(Ids(all.OrderByDescending(i => i.CloudCover)), await Sorted(new SortField("properties.eo:cloud_cover", Descending: true)));
        Assert.Equal(Ids(all.OrderByDescending(i => i.Start)), await Sorted(new SortField("datetime", Descending: true)));
        var bySun = all.Where(i => i.Properties["view:sun_elevation"] is not null).OrderBy(i => i.Properties["view:sun_elevation"]!.GetValue<double>())
            .Concat(all.Where(i => i.Properties["view:sun_elevation"] is null));
        Assert.Equal(Ids(bySun), await Sorted(new SortField("view:sun_elevation")));
        Assert.Equal(Ids(all.OrderBy(i => i.Platform, StringComparer.Ordinal)), await Sorted(new SortField("platform")));
    }

    [Fact]
    public async Task Intersects_IsExact_NotTheGeometrysBoundingBox()
    {
        var (catalog, items) = await FilledAsync();
        // A thin triangle across the region: many footprints meet its bounding box but not the triangle itself.
        (double X, double Y)[] triangle = [(-10, 40), (12, 53), (-9, 41.5)];
        var json = new JsonObject
        {
            ["type"] = "Polygon",
            ["coordinates"] = new JsonArray(new JsonArray(triangle.Append(triangle[0]).Select(p => (JsonNode?)new JsonArray(p.X, p.Y)).ToArray())),
        };
        using var geometry = GeoJsonGeometry.Parse(json.ToJsonString());
        var expected = Visible(items, null).Where(i => i.Bbox is { } b && ConvexOverlap(Corners(b), triangle)).ToList();
        var inBox = Visible(items, null).Count(i => i.Bbox is { } b && Meets(b, geometry.Bounds));

        var first = await catalog.SearchAsync(new ItemSearch(Intersects: geometry, Limit: 4));
        var rest = await catalog.SearchAsync(new ItemSearch(Intersects: geometry, Limit: 1000, Offset: 4));

        Assert.True(expected.Count > 4 && inBox > expected.Count + 5, $"{expected.Count} scenes meet the triangle, {inBox} its box: the test needs more of both");
        Assert.Equal(expected.Count, first.Matched);
        Assert.Equal(Ids(expected), Ids(first.Items.Concat(rest.Items)));
    }

    private static (double X, double Y)[] Corners(Bounds b) => [(b.MinX, b.MinY), (b.MaxX, b.MinY), (b.MaxX, b.MaxY), (b.MinX, b.MaxY)];

    /// <summary>Two convex polygons overlap unless an edge normal of one separates them (the separating-axis theorem).</summary>
    private static bool ConvexOverlap((double X, double Y)[] a, (double X, double Y)[] b)
    {
        foreach (var polygon in new[] { a, b })
        {
            for (var i = 0; i < polygon.Length; i++)
            {
                var (x1, y1) = polygon[i];
                var (x2, y2) = polygon[(i + 1) % polygon.Length];
                var (nx, ny) = (y1 - y2, x2 - x1);
                var (minA, maxA) = (a.Min(p => p.X * nx + p.Y * ny), a.Max(p => p.X * nx + p.Y * ny));
                var (minB, maxB) = (b.Min(p => p.X * nx + p.Y * ny), b.Max(p => p.X * nx + p.Y * ny));
                if (maxA < minB || maxB < minA)
                {
                    return false;
                }
            }
        }
        return true;
    }

    [Fact]
    public async Task Upsert_ReplacesAnItemWhole_AndDeletingACollectionTakesItsItems()
    {
        var (catalog, items) = await FilledAsync();
        var item = items[1];

        await catalog.UpsertItemsAsync([item with { CloudCover = 99.5, Assets = [new CatalogAsset("visual", "https://data.example.org/tci.tif")] }]);
        var replaced = await catalog.GetItemAsync(item.Collection, item.Id, null);
        Assert.Equal(99.5, replaced!.CloudCover);
        Assert.Equal(["visual"], replaced.Assets.Select(a => a.Key));
        Assert.Equal(items.Count, (await catalog.SearchAsync(new ItemSearch(Limit: 1))).Matched);

        Assert.True(await catalog.SetAssetLocalAsync(item.Collection, item.Id, "visual", "downloads/tci.tif", 4321, "1220abcd"));
        var local = (await catalog.GetItemAsync(item.Collection, item.Id, null))!.Assets[0];
        Assert.Equal(("downloads/tci.tif", 4321L, "1220abcd"), (local.LocalPath, local.Size!.Value, local.Checksum));
        Assert.False(await catalog.SetAssetLocalAsync(item.Collection, item.Id, "B99", "x", null, null));

        Assert.True(await catalog.DeleteCollectionAsync("landsat-c2-l2"));
        Assert.Equal(items.Count(i => i.Collection != "landsat-c2-l2"), (await catalog.SearchAsync(new ItemSearch(Limit: 1))).Matched);
        Assert.Equal(["sentinel-2-l2a"], (await catalog.ListCollectionsAsync()).Select(c => c.Id));
        await Assert.ThrowsAnyAsync<Exception>(() => catalog.UpsertItemsAsync([items[0] with { Collection = "landsat-c2-l2" }]));
    }

    [Fact]
    public async Task AResultItem_GoesWithItsFile_AndWithItsTask()
    {
        var database = await OpenDatabaseAsync();
        var catalog = await DbSceneCatalog.OpenAsync(database);
        await using var registry = await DbFileRegistry.OpenAsync(database);
        await catalog.UpsertCollectionAsync(Collection("ndvi") with { Kind = CollectionKind.Results });
        var file = await registry.InsertAsync(new StoredFile(0, "ndvi.tif", "alice", 10, "00", DateTimeOffset.UnixEpoch, null, null, "results/ndvi.tif"));
        var box = new Bounds(1, 2, 3, 4);
        CatalogItem Result(string id, long task) =>
            new("ndvi", id, Year, Year, Year, Rectangle(box), box, null, null, null, [], [], Owner: "alice", TaskId: task, FileId: file.Id);
        await catalog.UpsertItemsAsync([Result("1", 1), Result("2", 2)]);

        Assert.Equal(1, await catalog.DeleteItemsOfTaskAsync(2));
        Assert.Equal(["1"], Ids((await catalog.SearchAsync(new ItemSearch(["ndvi"]))).Items));
        Assert.True(await registry.DeleteAsync(file.Id));
        Assert.Equal(0, (await catalog.SearchAsync(new ItemSearch(["ndvi"]))).Matched);
    }

    [Fact]
    public async Task BadItems_AreRefused_NamingTheProblem()
    {
        var (catalog, items) = await FilledAsync();
        var item = items[0];

        var backwards = await Assert.ThrowsAsync<CatalogException>(() => catalog.UpsertItemsAsync([item with { DateTime = null, End = item.Start.AddDays(-1) }]));
        Assert.Contains("ends before it starts", backwards.Message);
        var twice = await Assert.ThrowsAsync<CatalogException>(() => catalog.UpsertItemsAsync([item with { Assets = [item.Assets[0], item.Assets[0]] }]));
        Assert.Contains("'B04' appears twice", twice.Message);
        // Nothing of a refused batch is kept.
        await Assert.ThrowsAsync<CatalogException>(() => catalog.UpsertItemsAsync([item with { Id = "new-one" }, item with { Bbox = null }]));
        Assert.Null(await catalog.GetItemAsync(item.Collection, "new-one", null));
    }

    [Fact]
    public async Task AScheduledRun_IsTakenByOneCallerOnly_ThenAgainWhenDue()
    {
        var catalog = await DbSceneCatalog.OpenAsync(await OpenDatabaseAsync());
        var now = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
        var every = TimeSpan.FromMinutes(10);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => catalog.ClaimScheduledRunAsync("daily", now, every)));

        Assert.Equal(1, claims.Count(c => c));
        Assert.False(await catalog.ClaimScheduledRunAsync("daily", now.AddMinutes(9), every));
        Assert.True(await catalog.ClaimScheduledRunAsync("other", now.AddMinutes(9), every)); // each harvest on its own
        Assert.True(await catalog.ClaimScheduledRunAsync("daily", now.AddMinutes(10), every));
        Assert.False(await catalog.ClaimScheduledRunAsync("daily", now.AddMinutes(10), every));
    }

    public virtual void Dispose()
    {
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}
