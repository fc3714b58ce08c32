using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests.Faults;

/// <summary>
/// <c>tessera serve</c> with its data folder on a small disk of its own (a tmpfs) that fills up: while it is full,
/// /ready says so, uploads and new tasks answer 503, and a task that runs out of room is given back (not failed,
/// its attempt not counted) and tried again later; once there is room again, the task completes with the right
/// result. Mounting the tmpfs needs root, as scripts/test and CI run.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DiskFullTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly string _disk;
    private ServeProcess? _serve;

    public DiskFullTests()
    {
        _disk = _root.File("disk");
        Directory.CreateDirectory(_disk);
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=96m", "tmpfs", _disk])!;
        mount.WaitForExit();
        Assert.True(mount.ExitCode == 0, "mounting a 96 MB tmpfs failed: this test needs root (CAP_SYS_ADMIN), as scripts/test runs in CI");
    }

    private string Data => Path.Combine(_disk, "data");

    /// <summary>Writes 1 MiB blocks into <paramref name="path"/> until the disk refuses more (or <paramref name="limit"/> is written).</summary>
    private static long Fill(string path, long limit = long.MaxValue)
    {
        var block = new byte[1 << 20];
        Random.Shared.NextBytes(block);
        long written = 0;
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            while (written < limit)
            {
                file.Write(block);
                file.Flush(flushToDisk: true);
                written += block.Length;
            }
        }
        catch (IOException)
        {
            // full
        }
        return written;
    }

    private static async Task<(HttpStatusCode Status, string Detail, string? RetryAfter)> Problem(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var detail = body.TrimStart().StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var d) ? d.GetString()! : body;
        return (response.StatusCode, detail, response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task AFullDisk_Is503AndNotReady_TasksAreGivenBackNotFailed_AndAllCompletesOnceThereIsRoom()
    {
        _serve = await ServeProcess.StartAsync(Data, null, "--lease", "5");
        var grid = SyntheticRaster.Grid(2000, 2000);
        var nirPath = SyntheticRaster.Write<ushort>(_root.File("nir.tif"), grid, (c, r) => (ushort)(2000 + (c * 7 + r * 3) % 3000), blockSize: 512);
        var redPath = SyntheticRaster.Write<ushort>(_root.File("red.tif"), grid, (c, r) => (ushort)(500 + (c * 5 + r * 11) % 1500), blockSize: 512);
        var nir = await _serve.UploadAsync(nirPath, "nir.tif");
        var red = await _serve.UploadAsync(redPath, "red.tif");
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync("/ready")).StatusCode);

        // Full to the last byte (a 12 MiB reserve set aside first).
        Assert.Equal(12L << 20, Fill(Path.Combine(_disk, "reserve"), 12L << 20));
        Assert.True(Fill(Path.Combine(_disk, "filler")) > 0);
        var ready = await Problem(await _serve.Http.GetAsync("/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.StartsWith("the data folder's disk is full", ready.Detail);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(nirPath)), "file", "more.tif" } })
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, Unavailable, "5"), await Problem(await _serve.Http.PostAsync("/files", form)));
        }
        var task = new { name = "ndvi", type = 7, inputs = new { nir = new { fileId = nir }, red = new { fileId = red } } };
        Assert.Equal((HttpStatusCode.ServiceUnavailable, Unavailable, "5"), await Problem(await _serve.Http.PostAsync("/processtask/addTask", JsonContent(task))));
        Assert.Empty(Directory.GetFiles(Path.Combine(Data, "incoming")));

        // Room for the task's record, not for its work: staging its 16 MB of inputs runs out of room, again and again.
        File.Delete(Path.Combine(_disk, "reserve"));
        var id = await _serve.AddTaskAsync(task);
        var released = await ServeProcess.Eventually<JsonElement?>(async () =>
        {
            var detail = await _serve.DetailAsync(id);
            return detail.GetProperty("attemptHistory").EnumerateArray().Count(a => a.GetProperty("outcome").GetString() == "released") >= 2 ? detail : null;
        }, TimeSpan.FromSeconds(60), "the task was not given back when the disk filled", 200);
        // Waiting, or already in its next attempt (read at any moment of it: downloading, downloaded or processing).
        Assert.Contains(released!.Value.GetProperty("status").GetInt32(), new[] { 0, 1, 2, 5 });
        Assert.InRange(released.Value.GetProperty("attempts").GetInt32(), 0, 1); // given back: not counted
        Assert.DoesNotContain(released.Value.GetProperty("history").EnumerateArray(), h => h.GetProperty("status").GetInt32() is 4 or 8 or 9);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _serve.Http.GetAsync("/ready")).StatusCode);
        Assert.Contains("the disk failed", _serve.Log);

        File.Delete(Path.Combine(_disk, "filler"));
        var done = await _serve.EndAsync(id, TimeSpan.FromSeconds(90));
        Assert.Equal(7, done.GetProperty("status").GetInt32());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        Assert.DoesNotContain(done.GetProperty("history").EnumerateArray(), h => h.GetProperty("status").GetInt32() is 4 or 8 or 9);
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync("/ready")).StatusCode);

        Assert.Equal(4_000_000, NdviReference.AssertEqual(await _serve.DownloadResultAsync(done, _root.File("result.tif")), nirPath, redPath));
    }

    private const string Unavailable = "the service cannot do this just now: the data folder's disk is full (0 MiB free, 16 MiB needed); try again later";

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    public void Dispose()
    {
        _serve?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var umount = Process.Start("umount", ["-l", _disk])!)
        {
            umount.WaitForExit();
        }
        _root.Dispose();
    }
}
