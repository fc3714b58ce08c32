using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Tasks.Stores;
using Tessera.Tasks;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Server.Tests.Api;

/// <summary>Restart and cleanup over HTTP, on a server without embedded workers: the test plays the worker.</summary>
public sealed class MaintenanceApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient _http = new();

    private ITaskStore Store => _server!.Get<ITaskStore>();

    private TempFolder Data => _server!.Data;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url), ("alice", "alice", Role.Admin));
        _http = _server.Client("alice");
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private async Task<long> FailedTaskAsync(long fileId)
    {
        var created = JsonDocument.Parse(await (await _http.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "x", type = 9, inputs = new { green = new { fileId }, nir = new { fileId } },
        })).Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("taskId").GetInt64();
        var claimed = (await Store.ClaimNextAsync("test-worker", TimeSpan.FromMinutes(1)))!;
        Assert.Equal(created, claimed.Task.Id);
        await Store.AdvanceAsync(claimed.Lease, TaskStatus.DownloadFailed, "network down");
        return created;
    }

    [Fact]
    public async Task Metrics_GiveTheQueueOfEachWorkerRole()
    {
        var raster = SyntheticRaster.Write<ushort>(Data.File("q.tif.src"), SyntheticRaster.Grid(16, 16), (c, r) => (ushort)(c + r + 1));
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(raster)), "file", "q.tif" } };
        var fileId = JsonDocument.Parse(await (await _http.PostAsync("/files", form)).Content.ReadAsStringAsync())
            .RootElement.GetProperty("data").GetProperty("id").GetInt64();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync("/processtask/addTask", new
            {
                name = $"q{i}", type = 9, inputs = new { green = new { fileId }, nir = new { fileId } },
            })).StatusCode);
        }
        // One downloaded by a download worker: it waits for a process worker.
        var claimed = (await Store.ClaimNextAsync("downloader", TimeSpan.FromMinutes(1), Tessera.Tasks.Workers.WorkerRole.Download))!;
        await Store.HandOverAsync(claimed.Lease);

        var metrics = await _server!.Client(null).GetStringAsync("/metrics");
        Assert.Contains("tessera_queue_depth_by_role{role=\"download\"} 2\n", metrics);
        Assert.Contains("tessera_queue_depth_by_role{role=\"process\"} 1\n", metrics);
    }

    [Fact]
    public async Task Restart_ByIdOrStatus_RequeuesFailedTasks_AndCleanupDeletesFinishedOnes()
    {
        var raster = SyntheticRaster.Write<ushort>(Data.File("g.tif.src"), SyntheticRaster.Grid(16, 16), (c, r) => (ushort)(c + r + 1));
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(raster)), "file", "g.tif" } };
        var fileId = JsonDocument.Parse(await (await _http.PostAsync("/files", form)).Content.ReadAsStringAsync())
            .RootElement.GetProperty("data").GetProperty("id").GetInt64();

        var first = await FailedTaskAsync(fileId);
        var second = await FailedTaskAsync(fileId);
        var restart = JsonDocument.Parse(await (await _http.PostAsJsonAsync("/processtask/restart", new { status = 9 })).Content.ReadAsStringAsync())
            .RootElement.GetProperty("data");
        Assert.Equal([second, first], restart.GetProperty("restarted").EnumerateArray().Select(e => e.GetInt64()).Order().Reverse());
        Assert.Equal(TaskStatus.NotStarted, (await Store.GetAsync(first))!.Status);

        var byId = await _http.PostAsJsonAsync("/processtask/restart", new { taskIds = new[] { first } });
        var skipped = JsonDocument.Parse(await byId.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("skipped")[0];
        Assert.Equal($"task {first} is NOT_STARTED: only failed tasks can be retried", skipped.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync("/processtask/restart", new { status = 0 })).StatusCode);

        // Fail both again, then clean up everything finished.
        foreach (var _ in new[] { first, second })
        {
            var claimed = (await Store.ClaimNextAsync("test-worker", TimeSpan.FromMinutes(1)))!;
            await Store.AdvanceAsync(claimed.Lease, TaskStatus.DownloadFailed, "network down");
        }
        var waiting = JsonDocument.Parse(await (await _http.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "waiting", type = 9, inputs = new { green = new { fileId }, nir = new { fileId } },
        })).Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("taskId").GetInt64();
        var cleanup = JsonDocument.Parse(await (await _http.PostAsJsonAsync("/processtask/cleanup", new { olderThanDays = 0 })).Content.ReadAsStringAsync())
            .RootElement.GetProperty("data");
        Assert.Equal([first, second], cleanup.GetProperty("deleted").EnumerateArray().Select(e => e.GetInt64()).Order());
        Assert.NotNull(await Store.GetAsync(waiting));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/processtask/query/task/detail?taskId={first}")).StatusCode);
    }

    [Fact]
    public async Task Cancel_OfARunningTask_IsAccepted_OtherwiseRefusedWithTheReason()
    {
        var raster = SyntheticRaster.Write<ushort>(Data.File("g.tif.src"), SyntheticRaster.Grid(16, 16), (c, r) => (ushort)(c + r + 1));
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(raster)), "file", "g.tif" } };
        var fileId = JsonDocument.Parse(await (await _http.PostAsync("/files", form)).Content.ReadAsStringAsync())
            .RootElement.GetProperty("data").GetProperty("id").GetInt64();
        var taskId = JsonDocument.Parse(await (await _http.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "x", type = 9, inputs = new { green = new { fileId }, nir = new { fileId } },
        })).Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("taskId").GetInt64();

        var early = await _http.PostAsJsonAsync("/processtask/cancel", new { taskId });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains($"task {taskId} has not started: delete it instead", await early.Content.ReadAsStringAsync());

        var claimed = (await Store.ClaimNextAsync("test-worker", TimeSpan.FromMinutes(1)))!;
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsJsonAsync("/processtask/cancel", new { taskId })).StatusCode);
        Assert.True(await Store.IsCancelRequestedAsync(claimed.Lease));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsJsonAsync("/processtask/cancel", new { taskId = 999 })).StatusCode);
    }

    [Fact]
    public async Task Cancel_OfATaskThatIsNotRunning_IsRefusedSayingWhy_InEveryStatus()
    {
        var raster = SyntheticRaster.Write<ushort>(Data.File("c.tif.src"), SyntheticRaster.Grid(16, 16), (c, r) => (ushort)(c + r + 1));
        var fileId = await _http.UploadAsync(raster, "c.tif");
        async Task<long> Add() => (await ApiCalls.Data(await _http.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "x", type = 9, inputs = new { green = new { fileId }, nir = new { fileId } },
        }))).GetProperty("taskId").GetInt64();
        async Task<string> Cancel(long id)
        {
            var response = await _http.PostAsJsonAsync("/processtask/cancel", new { taskId = id });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        }
        // Each task is taken along the path to the status, by the test playing the worker.
        async Task<long> InStatus(TaskStatus status)
        {
            var id = await Add();
            if (status == TaskStatus.NotStarted)
            {
                return id;
            }
            var claimed = (await Store.ClaimNextAsync("test-worker", TimeSpan.FromMinutes(1)))!;
            Assert.Equal(id, claimed.Task.Id);
            TaskStatus[] path = status switch
            {
                TaskStatus.DownloadFailed => [TaskStatus.DownloadFailed],
                TaskStatus.ProcessingFailed => [TaskStatus.Downloaded, TaskStatus.Processing, TaskStatus.ProcessingFailed],
                TaskStatus.PublishCompleted => [TaskStatus.Downloaded, TaskStatus.Processing, TaskStatus.ProcessingCompleted, TaskStatus.Publishing, TaskStatus.PublishCompleted],
                _ => [TaskStatus.Downloaded, TaskStatus.Processing, TaskStatus.ProcessingCompleted, TaskStatus.Publishing, TaskStatus.PublishFailed],
            };
            foreach (var step in path)
            {
                await Store.AdvanceAsync(claimed.Lease, step, step.IsFailed() ? "went wrong" : null);
            }
            if (status == TaskStatus.ProcessingCompleted)
            {
                await Store.RetryAsync(id, "alice"); // PUBLISH_FAILED → PROCESSING_COMPLETED, waiting for a worker to publish again
            }
            Assert.Equal(status, (await Store.GetAsync(id))!.Status);
            return id;
        }

        foreach (var status in new[] { TaskStatus.DownloadFailed, TaskStatus.ProcessingFailed, TaskStatus.PublishFailed, TaskStatus.PublishCompleted, TaskStatus.ProcessingCompleted })
        {
            var id = await InStatus(status);
            Assert.Equal($"task {id} is {status.SeedName()}: only running tasks can be cancelled", await Cancel(id));
            Assert.Equal(status, (await Store.GetAsync(id))!.Status);
        }
        var waiting = await InStatus(TaskStatus.NotStarted);
        Assert.Equal($"task {waiting} has not started: delete it instead", await Cancel(waiting));
    }
}
