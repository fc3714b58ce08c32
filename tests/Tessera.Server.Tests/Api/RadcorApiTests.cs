using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// The collection builder's <c>/api/radcor</c> with <c>action: preview</c> against a static STAC catalog served by a
/// real HTTP server on loopback (a root catalog, a Sentinel-2 collection of eight scenes over two MGRS tiles): what it
/// answers equals an independent filter of the test's own scene list, in the collection builder's shape.
/// </summary>
public sealed class RadcorApiTests : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private StaticHttpServer? _source;
    private RunningServer? _server;
    private HttpClient _http = new();

    private sealed record SceneSpec(string Id, string Tile, DateTimeOffset Time, double Cloud, double West, double South, long Bytes);

    private static readonly SceneSpec[] Scenes = Enumerable.Range(0, 8).Select(i =>
    {
        var tile = i % 2 == 0 ? "23LLF" : "23LLG";
        var time = new DateTimeOffset(2020, 1, 5 + i, 13, 22, 31, TimeSpan.Zero);
        var id = $"S2A_MSIL1C_{time:yyyyMMdd}T132231_N0208_R038_T{tile}_{time:yyyyMMdd}T145523";
        return new SceneSpec(id, tile, time, i * 12.5, i % 2 == 0 ? -46.8 : -45.9, -13.6, 700_000_000L + i * 10_000_000L);
    }).ToArray();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_www.Path, "s2", "items"));
        var links = new JsonArray();
        foreach (var s in Scenes)
        {
            var ring = new JsonArray(new JsonArray(s.West, s.South), new JsonArray(s.West + 0.9, s.South), new JsonArray(s.West + 0.9, s.South + 0.9),
                new JsonArray(s.West, s.South + 0.9), new JsonArray(s.West, s.South));
            var item = new JsonObject
            {
                ["type"] = "Feature", ["stac_version"] = "1.0.0", ["id"] = s.Id, ["collection"] = "S2_L1C",
                ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) },
                ["bbox"] = new JsonArray(s.West, s.South, s.West + 0.9, s.South + 0.9),
                ["properties"] = new JsonObject { ["datetime"] = s.Time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), ["eo:cloud_cover"] = s.Cloud, ["s2:mgrs_tile"] = s.Tile },
                ["assets"] = new JsonObject
                {
                    ["product"] = new JsonObject { ["href"] = $"https://provider.example/{s.Id}.zip", ["type"] = "application/zip", ["roles"] = new JsonArray("data"), ["file:size"] = s.Bytes },
                    ["thumbnail"] = new JsonObject { ["href"] = $"https://provider.example/{s.Id}.jpg", ["type"] = "image/jpeg", ["roles"] = new JsonArray("thumbnail") },
                },
                ["links"] = new JsonArray(),
            };
            await File.WriteAllTextAsync(Path.Combine(_www.Path, "s2", "items", s.Id + ".json"), item.ToJsonString());
            links.Add(new JsonObject { ["rel"] = "item", ["href"] = $"./items/{s.Id}.json" });
        }
        await File.WriteAllTextAsync(Path.Combine(_www.Path, "s2", "collection.json"), new JsonObject
        {
            ["type"] = "Collection", ["stac_version"] = "1.0.0", ["id"] = "S2_L1C", ["description"] = "Sentinel-2 L1C", ["license"] = "proprietary",
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(new JsonArray(-47, -14, -45, -12)) },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray("2020-01-01T00:00:00Z", null)) },
            },
            ["links"] = links,
        }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(_www.Path, "catalog.json"), new JsonObject
        {
            ["type"] = "Catalog", ["stac_version"] = "1.0.0", ["id"] = "root", ["description"] = "A provider",
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "child", ["href"] = "./s2/collection.json" }),
        }.ToJsonString());
        _source = StaticHttpServer.Serve(_www.Path);
        var harvests = _www.File("harvests.yml");
        await File.WriteAllTextAsync(harvests, $"providers:\n  SciHub: '{new Uri(_source.Address, "catalog.json")}'\n");
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(
            new ServiceOptions(data, Workers: 0, AllowedHosts: "127.0.0.1", HarvestConfig: harvests), url), ("ana", "ana", Role.Read));
        _http = _server.Client("ana");
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _source!.Dispose();
        _www.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> RadcorAsync(string json)
    {
        var response = await _http.PostAsync("/api/radcor", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Preview_AnswersTheScenesAnIndependentFilterKeeps_InTheCollectionBuildersShape()
    {
        var (status, body) = await RadcorAsync("""
            {"w": -46.5, "s": -12.9, "e": -46.2, "n": -12.6, "catalog": "SciHub", "dataset": "S2_L1C",
             "start": "2020-01-06T00:00:00", "end": "2020-01-11T23:59:59", "cloud": 60, "action": "preview", "force": true,
             "tasks": [{"type": "download", "collection": "S2_L1C-1", "args": {}}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        // Independently: tile 23LLF's footprint holds the box; the days 6 to 11 included; cloud at most 60.
        var expected = Scenes.Where(s => s.West <= -46.5 && s.West + 0.9 >= -46.2 && s.Time >= new DateTimeOffset(2020, 1, 6, 0, 0, 0, TimeSpan.Zero)
            && s.Time <= new DateTimeOffset(2020, 1, 11, 23, 59, 59, TimeSpan.Zero) && s.Cloud <= 60).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected.Count, body["Results"]!.GetValue<int>());
        Assert.Equal(expected.Select(s => s.Id).Append("Results").Order(), body.AsObject().Select(p => p.Key).Order());
        foreach (var s in expected)
        {
            var scene = body[s.Id]!;
            Assert.Equal((s.Tile, s.Id, "MSIL1C", s.Time.ToString("yyyy-MM-dd"), s.Cloud, s.Tile),
                (scene["pathrow"]!.GetValue<string>(), scene["sceneid"]!.GetValue<string>(), scene["type"]!.GetValue<string>(),
                 scene["date"]!.GetValue<string>(), scene["cloud"]!.GetValue<double>(), scene["tileid"]!.GetValue<string>()));
            Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{s.Bytes / 1048576.0:0.00} MB"), scene["size"]!.GetValue<string>());
            Assert.Equal(($"https://provider.example/{s.Id}.zip", $"https://provider.example/{s.Id}.jpg"),
                (scene["link"]!.GetValue<string>(), scene["icon"]!.GetValue<string>()));
            var footprint = scene["footprint"]!.GetValue<string>();
            Assert.StartsWith("MULTIPOLYGON (((", footprint);
            Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{s.West} {s.South}"), footprint);
        }
    }

    [Fact]
    public async Task Preview_ByScenesOrTiles_AndBadRequestsNameTheirField()
    {
        var byTile = (await RadcorAsync("""{"tiles": ["23LLG"], "catalog": "SciHub", "dataset": "S2_L1C", "cloud": 40, "action": "preview"}""")).Body;
        Assert.Equal(Scenes.Where(s => s.Tile == "23LLG" && s.Cloud <= 40).Select(s => s.Id).Order(), byTile.AsObject().Select(p => p.Key).Where(k => k != "Results").Order());
        var one = Scenes[5].Id;
        var byScene = (await RadcorAsync($$"""{"scenes": ["{{one}}"], "catalog": "{{new Uri(_source!.Address, "s2/collection.json")}}", "action": "preview"}""")).Body;
        Assert.Equal(1, byScene["Results"]!.GetValue<int>());
        Assert.NotNull(byScene[one]);

        async Task<string> Refused(string json, HttpStatusCode expected = HttpStatusCode.BadRequest)
        {
            var (status, body) = await RadcorAsync(json);
            Assert.Equal(expected, status);
            return body["detail"]!.GetValue<string>();
        }
        Assert.Equal("'tiless' is not a field of a radcor request (known: w, s, e, n, scenes, tiles, catalog, catalog_args, dataset, start, end, cloud, action, force, tasks)",
            await Refused("""{"tiless": ["23LLG"], "catalog": "SciHub", "action": "preview"}"""));
        Assert.Equal("catalog: 'Nowhere' is neither a provider of the harvest configuration (known: SciHub) nor a STAC address",
            await Refused("""{"tiles": ["23LLG"], "catalog": "Nowhere", "action": "preview"}"""));
        Assert.Equal("give all of w, s, e and n (missing: n)", await Refused("""{"w": 1, "s": 1, "e": 2, "catalog": "SciHub", "action": "preview"}"""));
        Assert.Equal("action start: dispatching tasks needs the write role",
            await Refused("""{"tiles": ["23LLG"], "catalog": "SciHub", "action": "start"}""", HttpStatusCode.Forbidden));
        Assert.Equal("tasks[0].collection: give the catalog collection the step writes into (e.g. LC8_DN-1)",
            await Refused("""{"tiles": ["23LLG"], "catalog": "SciHub", "action": "preview", "tasks": [{"type": "download"}]}"""));
        Assert.EndsWith("has no collection 'L8'", await Refused("""{"tiles": ["23LLG"], "catalog": "SciHub", "dataset": "L8", "action": "preview"}"""));
    }
}
