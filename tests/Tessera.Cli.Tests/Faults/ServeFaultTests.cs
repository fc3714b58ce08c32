using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests.Faults;

/// <summary>
/// <c>tessera serve</c> (SQLite, its workers in a supervised child) killed as machines and operators kill it: the
/// server alone in the middle of a task, server and worker together in the middle of publishing, the server in the
/// middle of an upload, and a worker child that dies every time it holds a task. After a restart every task ends
/// once, with the right result, and what the dead processes were writing is removed.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ServeFaultTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly List<ServeProcess> _servers = [];

    private string Data => _root.File("data");

    private async Task<ServeProcess> StartAsync(int? port = null, params string[] extra)
    {
        var serve = await ServeProcess.StartAsync(Data, port, extra);
        _servers.Add(serve);
        return serve;
    }

    /// <summary>A nir/red pair of synthetic UInt16 bands of <paramref name="size"/>², uploaded; their ids and local paths.</summary>
    private async Task<((long Id, string Path) Nir, (long Id, string Path) Red)> UploadPairAsync(ServeProcess serve, int size)
    {
        var grid = SyntheticRaster.Grid(size, size);
        var nir = SyntheticRaster.Write<ushort>(_root.File($"nir-{size}.tif"), grid, (c, r) => (ushort)(2000 + (c * 7 + r * 3) % 3000), blockSize: 512);
        var red = SyntheticRaster.Write<ushort>(_root.File($"red-{size}.tif"), grid, (c, r) => (ushort)(500 + (c * 5 + r * 11) % 1500), blockSize: 512);
        return ((await serve.UploadAsync(nir, "nir.tif"), nir), (await serve.UploadAsync(red, "red.tif"), red));
    }

    private static object Ndvi(long nir, long red) => new { name = "ndvi", type = 7, inputs = new { nir = new { fileId = nir }, red = new { fileId = red } } };

    /// <summary>Waits until the task is in one of <paramref name="statuses"/> (and, in PROCESSING, has computed something).</summary>
    private static Task<JsonElement> UntilAsync(ServeProcess serve, long id, params int[] statuses) =>
        ServeProcess.Eventually<JsonElement?>(async () =>
        {
            var detail = await serve.DetailAsync(id);
            var status = detail.GetProperty("status").GetInt32();
            Assert.False(status is 4 or 7 or 8 or 9 && !statuses.Contains(status), $"task {id} ended ({status}) before it was seen in {string.Join(" or ", statuses)}");
            var computing = status != 5 || detail.GetProperty("progress") is { ValueKind: JsonValueKind.Object } p && p.GetProperty("done").GetInt64() > 0;
            return statuses.Contains(status) && computing ? detail : null;
        }, TimeSpan.FromSeconds(120), $"task {id} never reached {string.Join(" or ", statuses)}", 10).ContinueWith(t => t.Result!.Value, TaskScheduler.Default);

    private async Task AssertResultEqualsReferenceAsync(ServeProcess serve, JsonElement detail, string nir, string red, long valid) =>
        Assert.Equal(valid, NdviReference.AssertEqual(await serve.DownloadResultAsync(detail, _root.File($"result-{Guid.NewGuid():N}.tif")), nir, red));

    /// <summary>Stored files as the store lists them, and as folders on disk (each stored file has one).</summary>
    private async Task<(long Listed, int Folders)> StoredAsync(ServeProcess serve) =>
        (JsonDocument.Parse(await serve.Http.GetStringAsync("/files?limit=1")).RootElement.GetProperty("data").GetProperty("total").GetInt64(),
            Directory.GetDirectories(Path.Combine(Data, "files")).Length);

    [Fact]
    public async Task TheServerKilledMidTask_ItsWorkerGivesTheTaskBack_AndARestartFinishesIt()
    {
        var serve = await StartAsync();
        var (nir, red) = await UploadPairAsync(serve, 4000);
        var id = await serve.AddTaskAsync(Ndvi(nir.Id, red.Id));
        await UntilAsync(serve, id, 5);
        var child = Assert.Single(serve.WorkerChildren());

        serve.Kill();
        // Its pipe closed, the worker stops at once, gives the task back (not counted) and exits.
        await ServeProcess.Eventually(() => Task.FromResult(ServeProcess.IsAlive(child) ? null : ""), TimeSpan.FromSeconds(30), "the orphaned worker did not stop");

        var again = await StartAsync(serve.Port);
        var done = await again.EndAsync(id, TimeSpan.FromSeconds(120));
        Assert.Equal(7, done.GetProperty("status").GetInt32());
        var attempts = done.GetProperty("attemptHistory").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["released", "PUBLISH_COMPLETED"], attempts);
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        await AssertResultEqualsReferenceAsync(again, done, nir.Path, red.Path, 16_000_000);
        Assert.Equal((3L, 3), await StoredAsync(again));
    }

    [Fact]
    public async Task ServerAndWorkerKilledMidPublish_ARestartPublishesOnce_AndTheHalfPublishedResultIsRemoved()
    {
        // A preview as large as the result keeps the task in PUBLISHING for a second or more: long enough to be caught there.
        var serve = await StartAsync(null, "--lease", "3", "--preview-size", "4000");
        var (nir, red) = await UploadPairAsync(serve, 4000);
        var id = await serve.AddTaskAsync(Ndvi(nir.Id, red.Id));
        await UntilAsync(serve, id, 6);
        var child = Assert.Single(serve.WorkerChildren());
        Process.GetProcessById(child).Kill();
        serve.Kill();

        var again = await StartAsync(serve.Port, "--lease", "3", "--preview-size", "4000");
        var done = await again.EndAsync(id, TimeSpan.FromSeconds(120));
        Assert.Equal(7, done.GetProperty("status").GetInt32());
        Assert.Equal("lease expired", done.GetProperty("attemptHistory")[0].GetProperty("outcome").GetString());
        await AssertResultEqualsReferenceAsync(again, done, nir.Path, red.Path, 16_000_000);
        // Two inputs and one result: whatever the killed attempt had registered is swept.
        await ServeProcess.Eventually(async () => await StoredAsync(again) == (3L, 3) ? "" : null, TimeSpan.FromSeconds(30), "a half-published result was left");
        Assert.Empty(Directory.Exists(Path.Combine(Data, "work")) ? Directory.GetFileSystemEntries(Path.Combine(Data, "work")) : []);
    }

    /// <summary>An upload that sends its bytes slowly, for as long as the server takes them.</summary>
    private sealed class SlowUpload(long bytes) : HttpContent
    {
        public long Sent;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[1 << 20];
            for (var sent = 0L; sent < bytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
                Interlocked.Add(ref Sent, chunk.Length);
                await Task.Delay(20);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes;
            return true;
        }
    }

    [Fact]
    public async Task TheServerKilledMidUpload_LeavesAPartialFile_WhichIsSweptAfterTheRestart()
    {
        var serve = await StartAsync(null, "--leftover-age", "2", "--no-worker");
        var upload = new SlowUpload(400L << 20);
        using var form = new MultipartFormDataContent { { upload, "file", "big.tif" } };
        var sending = serve.Http.PostAsync("/files", form);
        await ServeProcess.Eventually(() => Task.FromResult(Interlocked.Read(ref upload.Sent) > 30L << 20 ? "" : null), TimeSpan.FromSeconds(60), "the upload did not start");
        serve.Kill();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sending);
        var partial = Assert.Single(Directory.GetFiles(Path.Combine(Data, "incoming")));
        Assert.True(new FileInfo(partial).Length > 10L << 20);

        var again = await StartAsync(serve.Port, "--leftover-age", "2", "--no-worker");
        await ServeProcess.Eventually(() => Task.FromResult(Directory.GetFiles(Path.Combine(Data, "incoming")).Length == 0 ? "" : null),
            TimeSpan.FromSeconds(30), "the partial upload was not swept");
        Assert.Equal((0L, 0), await StoredAsync(again));
        Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("/ready")).StatusCode);
    }

    [Fact]
    public async Task AWorkerChildThatDiesWithEveryTry_IsTakenBackAtOnce_AndTheTaskFailsAfterItsAttempts_LongBeforeTheLease()
    {
        // The lease is a minute: waiting for it three times would take three minutes.
        var serve = await StartAsync(null, "--lease", "60", "--max-attempts", "3");
        var (nir, red) = await UploadPairAsync(serve, 3000);
        var poison = await serve.AddTaskAsync(Ndvi(nir.Id, red.Id));
        var clock = Stopwatch.StartNew();
        var killed = new HashSet<int>();
        var failed = await ServeProcess.Eventually<JsonElement?>(async () =>
        {
            var detail = await serve.DetailAsync(poison);
            if (detail.GetProperty("status").GetInt32() is 4 or 7 or 8 or 9)
            {
                return detail;
            }
            if (detail.GetProperty("status").GetInt32() is 1 or 2 or 5 or 6 && serve.WorkerChildren() is [var child] && killed.Add(child))
            {
                Process.GetProcessById(child).Kill(); // as a crash inside native code would end it, with every try
            }
            return null;
        }, TimeSpan.FromSeconds(120), "the task that kills its worker never ended", 20);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}: the dead worker's tasks waited for their lease");
        Assert.Equal(3, killed.Count);
        Assert.Matches(@"^the worker \(.+\) stopped answering during [A-Z_]+, 3 attempt\(s\) of 3$", failed!.Value.GetProperty("errorMessage").GetString());
        Assert.All(failed.Value.GetProperty("attemptHistory").EnumerateArray(), a => Assert.Equal("worker process ended", a.GetProperty("outcome").GetString()));
        // The next task runs on the restarted worker.
        var small = await UploadPairAsync(serve, 64);
        var next = await serve.EndAsync(await serve.AddTaskAsync(Ndvi(small.Nir.Id, small.Red.Id)), TimeSpan.FromSeconds(60));
        Assert.Equal(7, next.GetProperty("status").GetInt32());
    }

    public void Dispose()
    {
        foreach (var serve in _servers)
        {
            serve.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Dispose();
    }
}
