using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// openEO API 1.2's discovery, credentials and collections against a real server whose catalog holds a harvested
/// collection of four scenes: every answer (errors included) valid for the openEO API's OpenAPI document, the data
/// cube's dimensions equal to the extent worked out here from the scenes, basic credentials giving the token back as
/// the access token that openEO clients then send as <c>Bearer basic//TOKEN</c>, CORS for web clients.
/// </summary>
public sealed class OpenEoDiscoveryTests : IAsyncLifetime
{
    private RunningServer? _server;
    private readonly HttpClient _anonymous = new();
    private readonly List<OpenEoValidator.Response> _seen = [];

    private static readonly (string Id, DateTimeOffset Time, Bounds Box)[] Scenes =
    [
        ("S2A_1", new DateTimeOffset(2024, 3, 2, 10, 30, 0, TimeSpan.Zero), new Bounds(2.0, 41.0, 3.0, 42.0)),
        ("S2A_2", new DateTimeOffset(2024, 3, 12, 10, 30, 0, TimeSpan.Zero), new Bounds(2.5, 41.5, 3.5, 42.5)),
        ("S2B_3", new DateTimeOffset(2024, 4, 1, 10, 30, 0, TimeSpan.Zero), new Bounds(1.0, 40.0, 2.0, 41.0)),
        ("S2B_4", new DateTimeOffset(2024, 2, 20, 10, 30, 0, TimeSpan.Zero), new Bounds(2.2, 42.0, 3.1, 43.5)),
    ];

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            ("reader", "rita", Role.Read));
        _anonymous.BaseAddress = _server.Address;
        var catalog = _server.Get<ISceneCatalog>();
        await catalog.UpsertCollectionAsync(new CatalogCollection("sentinel-2-l2a", "Sentinel-2 L2A", "Four scenes", "CC-BY-4.0", CollectionKind.Harvested,
            [new CatalogBand("B04", "red", 0.665), new CatalogBand("B08", "nir", 0.842)], []));
        await catalog.UpsertItemsAsync(Scenes.Select(s => new CatalogItem("sentinel-2-l2a", s.Id, s.Time, s.Time, s.Time,
            Tessera.Catalog.Stac.StacItems.Polygon(s.Box.MinX, s.Box.MinY, s.Box.MaxX, s.Box.MaxY), s.Box, 10, "sentinel-2a", null, [],
            [new CatalogAsset("B04", $"https://data.example.org/{s.Id}/B04.tif", "image/tiff; application=geotiff", Roles: ["data"], Band: "red")])).ToList());
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _server!.DisposeAsync();
    }

    /// <summary>Sends a request, keeps its answer for the OpenAPI check (under the path as the document writes it), returns it.</summary>
    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> CallAsync(string documentPath, string url,
        string? authorization = null, HttpMethod? method = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        var response = await _anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text);
        if ((method ?? HttpMethod.Get) == HttpMethod.Get)
        {
            _seen.Add(new OpenEoValidator.Response("get", documentPath, (int)response.StatusCode, body));
        }
        return (response.StatusCode, body, response);
    }

    private string Token => _server!.Token("reader");

    [Fact]
    public async Task Discovery_Credentials_AndCollections_AnswerAsTheOpenEoApiSays()
    {
        var wellKnown = await CallAsync("/.well-known/openeo", "/.well-known/openeo");
        Assert.Equal(HttpStatusCode.OK, wellKnown.Status);
        Assert.Equal($"{_server!.Address}openeo/1.2/", wellKnown.Body!["versions"]![0]!["url"]!.GetValue<string>());

        var capabilities = await CallAsync("/", "/openeo/1.2/");
        Assert.Equal("1.2.0", capabilities.Body!["api_version"]!.GetValue<string>());
        var endpoints = capabilities.Body["endpoints"]!.AsArray().ToDictionary(e => e!["path"]!.GetValue<string>(),
            e => string.Join(",", e!["methods"]!.AsArray().Select(m => m!.GetValue<string>())));
        Assert.Equal("GET", endpoints["/collections/{collection_id}"]);
        Assert.Equal("GET", endpoints["/credentials/basic"]);
        Assert.Equal("GET", endpoints["/me"]);
        Assert.DoesNotContain("/", endpoints.Keys); // the capabilities are not listed in themselves

        foreach (var path in new[] { "/conformance", "/file_formats", "/service_types", "/udf_runtimes" })
        {
            Assert.Equal(HttpStatusCode.OK, (await CallAsync(path, "/openeo/1.2" + path)).Status);
        }

        // Basic credentials: the token back as the access token, then "Bearer basic//TOKEN" as openEO clients send it.
        var basic = await CallAsync("/credentials/basic", "/openeo/1.2/credentials/basic", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"rita:{Token}")));
        Assert.Equal(HttpStatusCode.OK, basic.Status);
        Assert.Equal(Token, basic.Body!["access_token"]!.GetValue<string>());
        var me = await CallAsync("/me", "/openeo/1.2/me", $"Bearer basic//{Token}");
        Assert.Equal((HttpStatusCode.OK, "rita"), (me.Status, me.Body!["user_id"]!.GetValue<string>()));

        var collections = await CallAsync("/collections", "/openeo/1.2/collections", $"Bearer basic//{Token}");
        Assert.Equal(HttpStatusCode.OK, collections.Status);
        Assert.Equal(["sentinel-2-l2a"], collections.Body!["collections"]!.AsArray().Select(c => c!["id"]!.GetValue<string>())); // not the results collections
        var one = await CallAsync("/collections/{collection_id}", "/openeo/1.2/collections/sentinel-2-l2a", $"Bearer basic//{Token}");
        var cube = one.Body!["cube:dimensions"]!;
        Assert.Equal([Scenes.Min(s => s.Box.MinX), Scenes.Max(s => s.Box.MaxX)], cube["x"]!["extent"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([Scenes.Min(s => s.Box.MinY), Scenes.Max(s => s.Box.MaxY)], cube["y"]!["extent"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([Scenes.Min(s => s.Time), Scenes.Max(s => s.Time)], cube["t"]!["extent"]!.AsArray().Select(v => DateTimeOffset.Parse(v!.GetValue<string>())));
        Assert.Equal(["B04", "B08"], cube["bands"]!["values"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("temporal", cube["t"]!["type"]!.GetValue<string>());

        var errors = OpenEoValidator.Validate(_seen);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Errors_AreInOpenEosShape_WithItsCodes_AndValid()
    {
        var anonymous = await CallAsync("/me", "/openeo/1.2/me");
        Assert.Equal((HttpStatusCode.Unauthorized, "AuthenticationRequired"), (anonymous.Status, anonymous.Body!["code"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(anonymous.Body["id"]!.GetValue<string>()));

        var wrong = await CallAsync("/me", "/openeo/1.2/me", "Bearer basic//tsr_not_a_token");
        Assert.Equal((HttpStatusCode.Unauthorized, "TokenInvalid"), (wrong.Status, wrong.Body!["code"]!.GetValue<string>()));

        var missing = await CallAsync("/collections/{collection_id}", "/openeo/1.2/collections/nope", $"Bearer basic//{Token}");
        Assert.Equal((HttpStatusCode.NotFound, "CollectionNotFound", "collection 'nope' does not exist"),
            (missing.Status, missing.Body!["code"]!.GetValue<string>(), missing.Body["message"]!.GetValue<string>()));

        var notBasic = await CallAsync("/credentials/basic", "/openeo/1.2/credentials/basic", $"Bearer {Token}");
        Assert.Equal((HttpStatusCode.Forbidden, "AuthenticationSchemeInvalid"), (notBasic.Status, notBasic.Body!["code"]!.GetValue<string>()));

        var errors = OpenEoValidator.Validate(_seen);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task WebClients_GetCors_AndPreflightsAnswerBeforeAuthentication()
    {
        var preflight = await CallAsync("/me", "/openeo/1.2/me", method: HttpMethod.Options, origin: "https://editor.openeo.org");
        Assert.Equal(HttpStatusCode.NoContent, preflight.Status);
        Assert.Equal("https://editor.openeo.org", preflight.Response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PATCH", preflight.Response.Headers.GetValues("Access-Control-Allow-Methods").Single());

        var get = await CallAsync("/collections", "/openeo/1.2/collections", $"Bearer basic//{Token}", origin: "https://editor.openeo.org");
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal("true", get.Response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        var exposed = get.Response.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("OpenEO-Identifier", exposed);
        Assert.Contains("Location", exposed);

        // Outside openEO's routes, no CORS.
        var stac = await _anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/stac") { Headers = { { "Origin", "https://editor.openeo.org" } } });
        Assert.False(stac.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
