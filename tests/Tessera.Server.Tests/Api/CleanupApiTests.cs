using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Server.Access;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// Cleanup removes the result files no task uses any more (a dry run first says what it would remove), keeps those
/// another task takes as input and every upload; the same bytes uploaded again by their owner are not stored twice.
/// </summary>
public sealed class CleanupApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _alice = new();

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            ("alice", "alice", Role.Write), ("bob", "bob", Role.Write), ("root", "root", Role.Admin));
        _alice = _server.Client("alice");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private async Task<JsonElement> Cleanup(TimeSpan olderThan, bool dryRun) =>
        await ApiCalls.Data(await _server!.Client("root").PostAsJsonAsync("/processtask/cleanup", new { olderThanDays = olderThan.TotalDays, dryRun }));

    private async Task<(long Task, long File, long Size, DateTimeOffset Ended)> Run(object task)
    {
        var detail = await _alice.RunToEndAsync(task);
        Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
        var file = detail.GetProperty("result").GetProperty("outputFileId").GetInt64();
        var size = (await ApiCalls.Data(await _alice.GetAsync($"/files/{file}"))).GetProperty("size").GetInt64();
        return (detail.GetProperty("id").GetInt64(), file, size, detail.GetProperty("updatedAt").GetDateTimeOffset());
    }

    private async Task<HttpStatusCode> FileStatus(long id) => (await _alice.GetAsync($"/files/{id}")).StatusCode;

    /// <summary>A cleanup's report as text (lists sorted), to compare whole.</summary>
    private static string Read(JsonElement report) =>
        $"tasks [{string.Join(",", report.GetProperty("deleted").EnumerateArray().Select(e => e.GetInt64()).Order())}] " +
        $"files [{string.Join(",", report.GetProperty("removedFiles").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).Order())}] " +
        $"bytes {report.GetProperty("removedBytes").GetInt64()} dryRun {report.GetProperty("dryRun").GetBoolean()}";

    private static string Expected(long[] tasks, long[] files, long bytes, bool dryRun) =>
        $"tasks [{string.Join(",", tasks.Order())}] files [{string.Join(",", files.Order())}] bytes {bytes} dryRun {dryRun}";

    [SampleDataFact]
    public async Task Cleanup_RemovesResultFilesNoTaskUses_AfterADryRunThatSaysSo()
    {
        var red = await _alice.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "B04.tif");
        var nir = await _alice.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B08.tif"), "B08.tif");
        object Ndvi(string name) => new { name, type = 7, inputs = new[] { new { role = "nir", fileId = nir }, new { role = "red", fileId = red } } };
        var used = await Run(Ndvi("ndvi kept as an input"));
        var unused = await Run(Ndvi("ndvi nobody uses"));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        // This one stays (newer than the cut-off) and reads the first NDVI's file.
        var reader = await Run(new { name = "scaled", type = 15, inputs = new[] { new { role = "v", fileId = used.File } }, @params = new { formula = "v * 100" } });
        var cutoff = DateTimeOffset.UtcNow - (reader.Ended - TimeSpan.FromSeconds(1));

        var dry = Read(await Cleanup(cutoff, dryRun: true));
        Assert.Equal(Expected([used.Task, unused.Task], [unused.File], unused.Size, true), dry);
        Assert.Equal(HttpStatusCode.OK, await FileStatus(unused.File)); // nothing removed
        Assert.Equal(HttpStatusCode.OK, (await _alice.GetAsync($"/processtask/query/task/detail?id={unused.Task}")).StatusCode);

        var paths = Directory.GetFiles(Path.Combine(_server!.Data.Path, "files"), "*", SearchOption.AllDirectories);
        var real = Read(await Cleanup(cutoff, dryRun: false));
        Assert.Equal(Expected([used.Task, unused.Task], [unused.File], unused.Size, false), real);
        Assert.Equal(HttpStatusCode.NotFound, await FileStatus(unused.File));
        Assert.Equal(HttpStatusCode.OK, await FileStatus(used.File));   // the scaled task still reads it
        Assert.Equal(HttpStatusCode.OK, await FileStatus(reader.File));
        Assert.Equal(HttpStatusCode.OK, await FileStatus(red));         // uploads stay
        Assert.Equal(HttpStatusCode.OK, await FileStatus(nir));
        var left = Directory.GetFiles(Path.Combine(_server.Data.Path, "files"), "*", SearchOption.AllDirectories);
        Assert.Equal(paths.Where(p => p.Contains($"ndvi-{unused.Task}", StringComparison.Ordinal)).Order(), paths.Except(left).Where(p => p.EndsWith(".tif", StringComparison.Ordinal)).Order());
        Assert.NotEmpty(paths.Except(left));

        // The last task goes: its result and the first NDVI's, whose task went before, are used by nothing now.
        var last = Read(await Cleanup(TimeSpan.Zero, dryRun: false));
        Assert.Equal(Expected([reader.Task], [used.File, reader.File], used.Size + reader.Size, false), last);
        Assert.Equal(HttpStatusCode.NotFound, await FileStatus(used.File));
        Assert.Equal(HttpStatusCode.OK, await FileStatus(red));
        Assert.Equal(Expected([], [], 0, false), Read(await Cleanup(TimeSpan.Zero, dryRun: false)));
    }

    [SampleDataFact]
    public async Task AResultItsOwnerUploadedAgain_IsTheirsToKeep_WhenItsTaskIsCleanedUp()
    {
        var red = await _alice.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "B04.tif");
        var nir = await _alice.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B08.tif"), "B08.tif");
        var ndvi = await Run(new { name = "ndvi", type = 7, inputs = new[] { new { role = "nir", fileId = nir }, new { role = "red", fileId = red } } });
        var bytes = _server!.Data.File("ndvi-copy.tif");
        await File.WriteAllBytesAsync(bytes, await _alice.GetByteArrayAsync($"/files/{ndvi.File}/download"));
        Assert.Equal(ndvi.File, await _alice.UploadAsync(bytes, "my-ndvi.tif")); // the same bytes: the file already stored, now kept

        Assert.Equal(Expected([ndvi.Task], [], 0, false), Read(await Cleanup(TimeSpan.Zero, dryRun: false)));
        Assert.Equal(HttpStatusCode.OK, await FileStatus(ndvi.File));
    }

    [SampleDataFact]
    public async Task TheSameBytesUploadedAgain_AreTheFileAlreadyStored()
    {
        async Task<HttpResponseMessage> Upload(HttpClient http, string name)
        {
            using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"))), "file", name } };
            return await http.PostAsync("/files", form);
        }
        var first = await Upload(_alice, "B04.tif");
        var again = await Upload(_alice, "red.tif");
        var bobs = await Upload(_server!.Client("bob"), "B04.tif");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var id = (await ApiCalls.Data(first)).GetProperty("id").GetInt64();
        var body = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(id, body.GetProperty("data").GetProperty("id").GetInt64());
        Assert.Equal("B04.tif", body.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal($"already stored as file {id} (B04.tif): the same bytes are not stored twice", body.GetProperty("message").GetString());
        Assert.Equal($"/files/{id}", again.Content.Headers.ContentLocation?.ToString() ?? again.Headers.GetValues("Content-Location").Single());
        Assert.Equal(HttpStatusCode.Created, bobs.StatusCode); // another owner's copy is theirs
        Assert.Equal(1, (await ApiCalls.Data(await _alice.GetAsync("/files"))).GetProperty("total").GetInt64());
        var stored = Directory.GetFiles(Path.Combine(_server.Data.Path, "files"), "*.tif", SearchOption.AllDirectories);
        Assert.Equal(2, stored.Length); // alice's once, bob's once
    }
}
