using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Server.Access;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>An input may be another task's result: the task waits for it, then reads it as it would a file.</summary>
public sealed class TaskResultInputsTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            ("alice", "alice", Role.Write), ("bob", "bob", Role.Write));
        _http = _server.Client("alice");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [SampleDataFact]
    public async Task ATaskTakingAnotherTasksResult_WaitsForIt_AndComputesOnIt()
    {
        var red = await _http.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "B04.tif");
        var nir = await _http.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B08.tif"), "B08.tif");
        var ndvi = (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "ndvi", type = 7, inputs = new[] { new { role = "nir", fileId = nir }, new { role = "red", fileId = red } },
        }))).GetProperty("taskId").GetInt64();
        // Added at once, before the NDVI has run: it waits for it.
        var added = await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "copy", type = 15, inputs = new[] { new { role = "v", task = ndvi } }, @params = new { formula = "v" },
        }));
        Assert.Contains($"the result of task {ndvi} is read when this task runs", added.GetProperty("warnings")[0].GetString());
        var detail = await _http.WaitToEndAsync(added.GetProperty("taskId").GetInt64());
        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        var output = _server!.Data.File("copy.tif");
        await File.WriteAllBytesAsync(output, await _http.GetByteArrayAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString()));
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

        // Another user's task, or none, is no input.
        var bob = _server.Client("bob");
        var refused = await bob.PostAsJsonAsync("/processtask/addTask", new { name = "theirs", type = 15, inputs = new[] { new { role = "v", task = ndvi } }, @params = new { formula = "v" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"inputs: task {ndvi} does not exist", await refused.Content.ReadAsStringAsync());
    }
}
