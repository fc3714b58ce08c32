using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Server.Tests.Api;

/// <summary>Restart and cleanup over HTTP, on a server without embedded workers: the test plays the worker.</summary>
public sealed class MaintenanceApiTests : IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private WebApplication? _app;
    private HttpClient _http = new();

    private ITaskStore Store => _app!.Services.GetRequiredService<ITaskStore>();

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var token = new TokenStore(_data.Path).Create("alice", Role.Admin); // before the server reads the token file
        _app = await TesseraServer.BuildAsync(new ServerOptions(_data.Path, $"http://127.0.0.1:{port}", Workers: 0));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

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
    public async Task Restart_ByIdOrStatus_RequeuesFailedTasks_AndCleanupDeletesFinishedOnes()
    {
        var raster = SyntheticRaster.Write<ushort>(_data.File("g.tif.src"), SyntheticRaster.Grid(16, 16), (c, r) => (ushort)(c + r + 1));
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
        var raster = SyntheticRaster.Write<ushort>(_data.File("g.tif.src"), SyntheticRaster.Grid(16, 16), (c, r) => (ushort)(c + r + 1));
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
}
