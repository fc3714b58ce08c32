using System.Globalization;
using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// The viewer's queries of a stored raster: the values under a point (against GDAL's own gdallocationinfo) and the
/// drawing statistics (against numpy), over single bands and a 68-date stack whose labels are its dates.
/// </summary>
public sealed class RasterQueriesApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url), ("alice", "alice", Role.Read),
            ("writer", "alice", Role.Write));
        _http = _server.Client("alice");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    /// <summary>GDAL's own answer for a lon/lat point: one value per band.</summary>
    private static double[] LocationInfo(string raster, double lon, double lat) =>
        ExternalTool.Output("gdallocationinfo", "-valonly", "-wgs84", raster, lon.ToString("R", CultureInfo.InvariantCulture), lat.ToString("R", CultureInfo.InvariantCulture))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Get(string path)
    {
        var response = await _http.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [SampleDataFact]
    public async Task ThePointQuery_GivesEveryBandsValue_AsGdalLocationInfoDoes()
    {
        var writer = _server!.Client("writer");
        var stackPath = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var redPath = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif");
        var stack = await writer.UploadAsync(stackPath, "ndvi68.tif");
        var red = await writer.UploadAsync(redPath, "B04.tif");

        // The stack: 68 values through time, labelled by date.
        var (status, body) = await Get($"/files/{stack}/point?lon=14.5612&lat=45.8701");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var values = body.GetProperty("data").GetProperty("values").EnumerateArray().ToList();
        var expected = LocationInfo(stackPath, 14.5612, 45.8701);
        Assert.Equal(68, expected.Length);
        // Float32 values: gdallocationinfo prints them to 15 digits, which are the same Float32 numbers.
        Assert.Equal(expected.Select(v => (float)v), values.Select(v => (float)v.GetProperty("value").GetDouble()));
        Assert.Equal("2015-07-11T10:00:08", values[0].GetProperty("label").GetString());
        Assert.Equal(Enumerable.Range(1, 68), values.Select(v => v.GetProperty("band").GetInt32()));

        // A Sentinel-2 band in UTM 29N, at a few places.
        foreach (var (lon, lat) in new[] { (-11.45, 24.75), (-11.9, 25.1), (-10.95, 24.32) })
        {
            var (ok, point) = await Get($"/files/{red}/point?lon={lon.ToString(CultureInfo.InvariantCulture)}&lat={lat.ToString(CultureInfo.InvariantCulture)}");
            Assert.True(ok == HttpStatusCode.OK, point.ToString());
            var data = point.GetProperty("data");
            Assert.Equal(LocationInfo(redPath, lon, lat), new[] { data.GetProperty("values")[0].GetProperty("value").GetDouble() });
        }

        // Outside the raster, and bad coordinates: 400 naming them.
        Assert.Equal((HttpStatusCode.BadRequest, $"lon, lat: the point 0, 0 lies outside file {red}"),
            await Detail($"/files/{red}/point?lon=0&lat=0"));
        Assert.Equal((HttpStatusCode.BadRequest, "lat: '91' is not a latitude in degrees (-90 to 90)"), await Detail($"/files/{red}/point?lon=0&lat=91"));
        Assert.Equal((HttpStatusCode.BadRequest, "lon: missing a longitude in degrees (-180 to 180)"), await Detail($"/files/{red}/point?lat=3"));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/files/99999/point?lon=0&lat=0")).StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "band: not a parameter of this request (it takes lon, lat)"), await Detail($"/files/{red}/point?lon=0&lat=0&band=2"));
    }

    private async Task<(HttpStatusCode, string)> Detail(string path)
    {
        var (status, body) = await Get(path);
        return (status, body.GetProperty("detail").GetString()!);
    }

    [SampleDataTheory]
    [InlineData("S2_slovenia_NDVI_68dates.tif", 64)]
    [InlineData("LC80200392015216LGN00_B4.tif", 20)]
    public async Task Statistics_AreNumpys(string sample, int bins)
    {
        var path = SampleData.File(sample);
        var id = await _server!.Client("writer").UploadAsync(path, sample);
        var (status, body) = await Get($"/files/{id}/statistics?bins={bins}");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var reference = PythonReference.Run("statistics_reference.py", new { raster = path, bins }).GetProperty("bands").EnumerateArray().ToList();
        var bands = body.GetProperty("data").GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal(reference.Count, bands.Count);
        foreach (var (mine, theirs) in bands.Zip(reference))
        {
            Assert.Equal(theirs.GetProperty("label").GetString(), mine.GetProperty("label").GetString());
            Assert.Equal(theirs.GetProperty("valid").GetInt64(), mine.GetProperty("valid").GetInt64());
            foreach (var name in new[] { "min", "max", "p2", "p98" })
            {
                Assert.Equal(theirs.GetProperty(name).GetDouble(), mine.GetProperty(name).GetDouble());
            }
            foreach (var name in new[] { "mean", "std" })
            {
                Assert.Equal(theirs.GetProperty(name).GetDouble(), mine.GetProperty(name).GetDouble(), 1e-9 * Math.Max(1, Math.Abs(theirs.GetProperty(name).GetDouble())));
            }
            Assert.Equal(theirs.GetProperty("histogram").EnumerateArray().Select(c => c.GetInt64()),
                mine.GetProperty("histogram").GetProperty("counts").EnumerateArray().Select(c => c.GetInt64()));
        }
        Assert.Equal((HttpStatusCode.BadRequest, "bins: 1 is not from 2 to 1024"), await Detail($"/files/{id}/statistics?bins=1"));
        Assert.Equal((HttpStatusCode.BadRequest, "bin: not a parameter of this request (it takes bins)"), await Detail($"/files/{id}/statistics?bin=10"));
    }

    [Fact]
    public async Task Colormaps_AreListedWithTheirColours()
    {
        var (status, body) = await Get("/colormaps");
        Assert.Equal(HttpStatusCode.OK, status);
        var maps = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["rdylgn", "viridis", "greys", "blues"], maps.Select(m => m.GetProperty("name").GetString()));
        var greys = maps[2].GetProperty("colors").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(16, greys.Count);
        Assert.Equal(("#000000", "#ffffff"), (greys[0], greys[^1])); // black to white, as its stops say
        Assert.Equal("#888888", greys[8]);                             // entry 136 of 255: 136 = 0x88
    }
}
