using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// A task larger than the server's <c>splitTile</c>, split when it is added: its tiles are tasks of their own, and the
/// task's result (stitched from theirs) is the index numpy computes. A <c>part</c> given by the caller computes that
/// window alone.
/// </summary>
public sealed class SplitTasksApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1), SplitTile: 600), url),
            ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private Task<long> UploadAsync(string sample) => _http.UploadAsync(SampleData.File(sample), sample);

    private async Task<string> DownloadAsync(JsonElement detail, string name)
    {
        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        var path = _server!.Data.File(name);
        await File.WriteAllBytesAsync(path, await _http.GetByteArrayAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString()));
        return path;
    }

    private static void AssertNdvi(string output)
    {
        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "ndvi", output, like = output,
            inputs = new Dictionary<string, object>
            {
                ["nir"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B08.tif") },
                ["red"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif") },
            },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
    }

    [SampleDataFact]
    public async Task ATaskWiderThanTheSplitTile_IsComputedInTiles_AndStitchedIntoTheIndexNumpyComputes()
    {
        var red = await UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var nir = await UploadAsync("S2A_29RKH_20200219_L2A_B08.tif");
        var added = await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "ndvi", type = 7, inputs = new[] { new { role = "nir", fileId = nir }, new { role = "red", fileId = red } },
        }));
        // 1098 x 1098 pixels in tiles of 600: 2 x 2.
        Assert.Equal(4, added.GetProperty("parts").GetInt32());
        var id = added.GetProperty("taskId").GetInt64();
        var detail = await _http.WaitToEndAsync(id);
        var output = await DownloadAsync(detail, "ndvi.tif");
        using (var ds = Raster.RasterDataset.Open(output))
        {
            Assert.Equal((1098, 1098), (ds.Width, ds.Height));
            Assert.Empty(Raster.Info.CogLayout.Problems(ds));
            Assert.Equal("NDVI", ds.Band(1).Description);
        }
        AssertNdvi(output);

        // The tiles are tasks of the caller's, each its window of the result; they were done before the task began.
        var page = await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1, pageSize = 50 }));
        var tiles = page.GetProperty("records").EnumerateArray().Where(t => t.GetProperty("name").GetString()!.StartsWith("ndvi (part ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ndvi (part 1 of 4)", "ndvi (part 2 of 4)", "ndvi (part 3 of 4)", "ndvi (part 4 of 4)"],
            tiles.Select(t => t.GetProperty("name").GetString()).Order());
        Assert.All(tiles, t => Assert.Equal(7, t.GetProperty("status").GetInt32()));
    }

    [SampleDataFact]
    public async Task APartGivenByTheCaller_ComputesThatWindowAlone_AndAWindowOutsideTheResultIsRefused()
    {
        var red = await UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var nir = await UploadAsync("S2A_29RKH_20200219_L2A_B08.tif");
        var inputs = new[] { new { role = "nir", fileId = nir }, new { role = "red", fileId = red } };
        var detail = await _http.RunToEndAsync(new { name = "window", type = 7, inputs, @params = new { part = new[] { 700, 250, 300, 120 } } });
        var output = await DownloadAsync(detail, "window.tif");
        using (var ds = Raster.RasterDataset.Open(output))
        using (var whole = Raster.RasterDataset.Open(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif")))
        {
            Assert.Equal((300, 120), (ds.Width, ds.Height));
            var (x, y) = whole.GeoTransform.PixelToWorld(700, 250);
            Assert.Equal((x, y), (ds.GeoTransform.OriginX, ds.GeoTransform.OriginY));
        }
        AssertNdvi(output);

        var response = await _http.PostAsJsonAsync("/processtask/addTask", new { name = "outside", type = 7, inputs, @params = new { part = new[] { 1000, 0, 200, 10 } } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("params.part: the window (col 1000, row 0, 200x10) is not inside the result's 1098 x 1098 pixels", text);
        response = await _http.PostAsJsonAsync("/processtask/addTask", new { name = "three", type = 7, inputs, @params = new { part = new[] { 1, 2, 3 } } });
        Assert.Contains("params.part: column,row,width,height", await response.Content.ReadAsStringAsync());
    }
}
