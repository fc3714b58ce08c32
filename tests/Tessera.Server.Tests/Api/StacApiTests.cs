using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Tessera.Server.Access;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// The STAC API over real published results (NDVI and NDWI of the Sentinel-2 sample): documents carry what
/// STAC 1.0.0 requires of them and the projection/raster fields of the real files; search filters and pages.
/// </summary>
public sealed class StacApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();
    private readonly List<long> _ndvi = [];
    private long _ndwi;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            ("alice", "alice", Role.Write), ("bob", "bob", Role.Read));
        _http = _server.Client("alice");
        if (!SampleData.IsAvailable)
        {
            return;
        }
        var bands = new Dictionary<string, long>();
        foreach (var band in new[] { "B03", "B04", "B08" })
        {
            bands[band] = await _http.UploadAsync(SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif"), band + ".tif");
        }
        for (var i = 0; i < 3; i++)
        {
            _ndvi.Add(await RunAsync(new { name = $"ndvi {i}", type = 7, inputs = new { nir = new { fileId = bands["B08"] }, red = new { fileId = bands["B04"] } } }));
        }
        _ndwi = await RunAsync(new { name = "ndwi", type = 9, inputs = new { green = new { fileId = bands["B03"] }, nir = new { fileId = bands["B08"] } } });
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private static Task<JsonElement> Data(HttpResponseMessage response) => ApiCalls.Data(response);

    /// <summary>Runs a task to PUBLISH_COMPLETED; its id.</summary>
    private async Task<long> RunAsync(object task)
    {
        var detail = await _http.RunToEndAsync(task);
        Assert.True(detail.GetProperty("status").GetInt32() == 7, detail.ToString());
        return detail.GetProperty("id").GetInt64();
    }

    private async Task<JsonElement> Get(string url, HttpClient? client = null)
    {
        var response = await (client ?? _http).GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>One collection per task type with a raster result (zonal statistics make tables).</summary>
    private static readonly string[] Kinds =
    [
        "fusion", "mosaic", "cloud_remove", "band_merged", "ndvi", "evi", "ndwi", "ndbi", "bai", "savi", "msavi", "nbr", "nbr2", "ndmi",
        "crop", "composite", "band_math", "normalize",
    ];

    private static string[] Rels(JsonElement document) =>
        document.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("rel").GetString()!).ToArray();

    private static string Href(JsonElement document, string rel) =>
        document.GetProperty("links").EnumerateArray().First(l => l.GetProperty("rel").GetString() == rel).GetProperty("href").GetString()!;

    [SampleDataFact]
    public async Task LandingPage_AndConformance_DescribeTheApi()
    {
        var landing = await Get("/stac");
        Assert.Equal(("Catalog", "1.0.0", "tessera"), (landing.GetProperty("type").GetString(), landing.GetProperty("stac_version").GetString(), landing.GetProperty("id").GetString()));
        Assert.False(string.IsNullOrEmpty(landing.GetProperty("description").GetString()));
        Assert.Superset(new HashSet<string> { "self", "root", "conformance", "data", "search", "child" }, Rels(landing).ToHashSet());
        Assert.Equal(Kinds.Length, Rels(landing).Count(r => r == "child"));
        var conformance = await Get("/stac/conformance");
        Assert.Contains("https://api.stacspec.org/v1.0.0/item-search", conformance.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(landing.GetProperty("conformsTo").ToString(), conformance.GetProperty("conformsTo").ToString());
    }

    [SampleDataFact]
    public async Task AnItem_IsTheResultFile_WithItsFootprintProjectionBandsAndAssets()
    {
        var item = await Get($"/stac/collections/ndvi/items/{_ndvi[0]}");

        Assert.Equal(("Feature", "1.0.0", "ndvi", _ndvi[0].ToString()), (item.GetProperty("type").GetString(), item.GetProperty("stac_version").GetString(),
            item.GetProperty("collection").GetString(), item.GetProperty("id").GetString()));
        var bbox = item.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var gdal = PythonReference.Run("wgs84_extent.py", new { path = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif") });
        Assert.Equal(gdal.GetProperty("minX").GetDouble(), bbox[0], 3);
        Assert.Equal(gdal.GetProperty("maxY").GetDouble(), bbox[3], 3);
        var ring = item.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().ToArray();
        Assert.Equal("Polygon", item.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(5, ring.Length);
        Assert.Equal(ring[0].ToString(), ring[4].ToString()); // closed
        var properties = item.GetProperty("properties");
        Assert.True(DateTimeOffset.TryParse(properties.GetProperty("datetime").GetString(), out _));
        Assert.EndsWith("Z", properties.GetProperty("datetime").GetString());
        Assert.Equal(32629, properties.GetProperty("proj:epsg").GetInt32());
        Assert.Equal("[1098,1098]", properties.GetProperty("proj:shape").GetRawText());
        Assert.Equal([100.0, 0, 199980, 0, -100, 2800020], properties.GetProperty("proj:transform").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Contains("https://stac-extensions.github.io/projection/v1.1.0/schema.json", item.GetProperty("stac_extensions").EnumerateArray().Select(e => e.GetString()));

        var data = item.GetProperty("assets").GetProperty("data");
        Assert.Equal("image/tiff; application=geotiff; profile=cloud-optimized", data.GetProperty("type").GetString());
        Assert.Equal(["data"], data.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var band = Assert.Single(data.GetProperty("raster:bands").EnumerateArray());
        Assert.Equal(("float32", "nan", 100.0, "NDVI"), (band.GetProperty("data_type").GetString(), band.GetProperty("nodata").GetString(),
            band.GetProperty("spatial_resolution").GetDouble(), band.GetProperty("name").GetString()));
        var cog = await _http.GetByteArrayAsync(data.GetProperty("href").GetString());
        Assert.Equal("II*\0"u8.ToArray(), cog[..4]);
        var preview = item.GetProperty("assets").GetProperty("preview");
        Assert.Equal(["overview"], preview.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(preview.GetProperty("href").GetString())).StatusCode);
        Assert.Equal($"{_server!.Address.ToString().TrimEnd('/')}/stac/collections/ndvi/items/{_ndvi[0]}", Href(item, "self"));
        Assert.Superset(new HashSet<string> { "self", "parent", "collection", "root" }, Rels(item).ToHashSet());
    }

    [SampleDataFact]
    public async Task Collections_HaveTheExtentOfTheirItems_AndItemsArePaged()
    {
        var collections = (await Get("/stac/collections")).GetProperty("collections").EnumerateArray().ToList();
        Assert.Equal(Kinds, collections.Select(c => c.GetProperty("id").GetString()));
        var ndvi = collections.Single(c => c.GetProperty("id").GetString() == "ndvi");
        Assert.Equal(("Collection", "proprietary"), (ndvi.GetProperty("type").GetString(), ndvi.GetProperty("license").GetString()));
        var item = await Get($"/stac/collections/ndvi/items/{_ndvi[0]}");
        Assert.Equal(item.GetProperty("bbox").ToString(), ndvi.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].ToString());
        var interval = ndvi.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0];
        Assert.Equal(JsonValueKind.String, interval[0].ValueKind);
        var empty = collections.Single(c => c.GetProperty("id").GetString() == "bai");
        Assert.Equal("[[-180,-90,180,90]]", empty.GetProperty("extent").GetProperty("spatial").GetProperty("bbox").GetRawText());
        Assert.Equal("[[null,null]]", empty.GetProperty("extent").GetProperty("temporal").GetProperty("interval").GetRawText());

        var first = await Get("/stac/collections/ndvi/items?limit=2");
        if (first.GetProperty("numberMatched").GetInt32() != 3)
        {
            // Seen once under CI load: say what each task and its result file were, to find why one was not an item.
            var details = new List<string>();
            foreach (var id in _ndvi)
            {
                var detail = await Data(await _http.GetAsync($"/processtask/query/task/detail?id={id}"));
                var result = detail.GetProperty("result");
                var file = await _http.GetAsync($"/files/{result.GetProperty("outputFileId").GetInt64()}");
                details.Add($"task {id}: {detail.GetProperty("statusName").GetString()}, result {result}, file {(int)file.StatusCode} {await file.Content.ReadAsStringAsync()}");
            }
            Assert.Fail($"{first.GetProperty("numberMatched").GetInt32()} items of 3 NDVI tasks: {string.Join("; ", details)}");
        }
        Assert.Equal((3, 2), (first.GetProperty("numberMatched").GetInt32(), first.GetProperty("numberReturned").GetInt32()));
        Assert.Equal(_ndvi.Take(2).Select(i => i.ToString()), first.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        var second = await Get(Href(first, "next"));
        Assert.Equal([_ndvi[2].ToString()], second.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.DoesNotContain("next", Rels(second));
        Assert.Equal(_ndwi.ToString(), (await Get("/stac/collections/ndwi/items")).GetProperty("features")[0].GetProperty("id").GetString());
    }

    [SampleDataFact]
    public async Task Search_FiltersByBboxDatetimeCollectionsAndIds_ByGetAndPost()
    {
        async Task<string[]> Ids(string query) =>
            (await Get("/stac/search?" + query)).GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(4, (await Ids("limit=100")).Length);
        Assert.Equal(4, (await Ids("bbox=-12,24,-11,25")).Length); // over the scene
        Assert.Empty(await Ids("bbox=10,40,11,41")); // elsewhere
        Assert.Equal([_ndwi.ToString()], await Ids("collections=ndwi"));
        Assert.Equal([_ndvi[1].ToString()], await Ids($"ids={_ndvi[1]},999"));
        Assert.Equal(4, (await Ids("datetime=2020-01-01T00:00:00Z/..")).Length);
        Assert.Empty(await Ids("datetime=../2020-01-01T00:00:00Z"));

        var post = await _http.PostAsJsonAsync("/stac/search", new { collections = new[] { "ndvi" }, limit = 1, bbox = new[] { -12.0, 24, -11, 25 } });
        Assert.Equal("application/geo+json", post.Content.Headers.ContentType?.MediaType);
        var page = JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, page.GetProperty("numberMatched").GetInt32());
        var next = page.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "next");
        Assert.Equal("POST", next.GetProperty("method").GetString());
        Assert.Equal(2, next.GetProperty("body").GetProperty("page").GetInt32());
        var second = await _http.PostAsync("/stac/search", new StringContent(next.GetProperty("body").GetRawText(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(_ndvi[1].ToString(), JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("features")[0].GetProperty("id").GetString());
    }

    [SampleDataFact]
    public async Task BadSearches_Are400_UnknownThingsAre404_AndOthersItemsAreNotSeen()
    {
        async Task<string> Status(HttpResponseMessage r) => $"{(int)r.StatusCode} {JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()}";
        Assert.Equal("400 bbox: give west,south,east,north in degrees, west <= east and south <= north", await Status(await _http.GetAsync("/stac/search?bbox=1,2,3")));
        Assert.Equal("400 datetime: 'yesterday' is not an RFC 3339 time or an interval start/end", await Status(await _http.GetAsync("/stac/search?datetime=yesterday")));
        Assert.Equal("400 collections: 'mosaics' does not exist", await Status(await _http.GetAsync("/stac/search?collections=mosaics")));
        Assert.Equal("400 limit: between 1 and 1000", await Status(await _http.GetAsync("/stac/search?limit=0")));
        Assert.StartsWith("400 the search body is not JSON", await Status(await _http.PostAsync("/stac/search", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))));
        Assert.Equal("404 collection 'mosaics' does not exist", await Status(await _http.GetAsync("/stac/collections/mosaics")));
        Assert.Equal("404 item '999' does not exist in collection 'ndvi'", await Status(await _http.GetAsync("/stac/collections/ndvi/items/999")));

        var bob = _server!.Client("bob");
        Assert.Equal(0, (await Get("/stac/search", bob)).GetProperty("numberMatched").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/stac/collections/ndvi/items/{_ndvi[0]}")).StatusCode);
    }

    [SampleDataFact]
    public async Task TheResultsDocuments_AreValidStac10()
    {
        var documents = new Dictionary<string, string>
        {
            ["collection"] = await _http.GetStringAsync("/stac/collections/ndvi"),
            ["items"] = await _http.GetStringAsync("/stac/collections/ndvi/items"),
            ["item"] = await _http.GetStringAsync($"/stac/collections/ndwi/items/{_ndwi}"),
        };

        var result = StacValidator.Validate(documents);

        Assert.Empty(result.Errors);
        Assert.Equal(1 + 3 + 1, result.Objects);
    }
}
