using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>Tokens and roles: 401 without a valid token, 403 without the role, 404 for another user's things.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private readonly Dictionary<string, string> _tokens = [];
    private WebApplication? _app;
    private Uri _base = new("http://127.0.0.1");

    public async Task InitializeAsync()
    {
        var store = new TokenStore(_data.Path);
        _tokens["reader"] = store.Create("alice", Role.Read);
        _tokens["alice"] = store.Create("alice", Role.Write);
        _tokens["bob"] = store.Create("bob", Role.Write);
        _tokens["admin"] = store.Create("root", Role.Admin);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _app = await TesseraServer.BuildAsync(new ServerOptions(_data.Path, $"http://127.0.0.1:{port}", Workers: 0));
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private HttpClient As(string? who)
    {
        var client = new HttpClient { BaseAddress = _base };
        if (who is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.GetValueOrDefault(who, who));
        }
        return client;
    }

    private async Task<long> UploadAsync(HttpClient client)
    {
        var raster = SyntheticRaster.Write<byte>(_data.File($"{Guid.NewGuid():N}.src"), SyntheticRaster.Grid(8, 8), (c, r) => 1);
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(raster)), "file", "r.tif" } };
        var response = await client.PostAsync("/files", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task MissingOrBadToken_Is401_HealthNeedsNone()
    {
        using var anonymous = As(null);
        var response = await anonymous.GetAsync("/files");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Authorization: Bearer TOKEN", await response.Content.ReadAsStringAsync());
        using var forged = As("tsr_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/files")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task ReadRole_CanList_ButNotCreate_AndCleanupNeedsAdmin()
    {
        using var reader = As("reader");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/files")).StatusCode);
        var refused = await reader.PostAsJsonAsync("/processtask/addTask", new { name = "x", type = 7 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("this needs the write role; the token has read", await refused.Content.ReadAsStringAsync());
        using var alice = As("alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync("/processtask/cleanup", new { olderThanDays = 1 })).StatusCode);
        using var admin = As("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/processtask/cleanup", new { olderThanDays = 1 })).StatusCode);
    }

    [Fact]
    public async Task AnotherUsersFilesAndTasks_AreNotFound_ButAdminSeesThem()
    {
        using var alice = As("alice");
        using var bob = As("bob");
        using var admin = As("admin");
        var file = await UploadAsync(alice);
        var created = await alice.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "mine", type = 9, inputs = new { green = new { fileId = file }, nir = new { fileId = file } },
        });
        var taskId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("taskId").GetInt64();

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/files/{file}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/files/{file}/download")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/processtask/query/task/detail?taskId={taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/processtask/delete?taskId={taskId}")).StatusCode);
        var bobsTask = await bob.PostAsJsonAsync("/processtask/addTask", new
        {
            name = "stolen", type = 9, inputs = new { green = new { fileId = file }, nir = new { fileId = file } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bobsTask.StatusCode); // alice's file is not bob's to use
        var bobsPage = JsonDocument.Parse(await (await bob.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1, pageSize = 10 }))
            .Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.Equal(0, bobsPage.GetProperty("total").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/processtask/query/task/detail?taskId={taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/files/{file}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.DeleteAsync($"/processtask/delete?taskId={taskId}")).StatusCode);
    }

    [Fact]
    public async Task BeyondLoopback_IsAllowed_OnceTokensExist()
    {
        await using var app = await TesseraServer.BuildAsync(new ServerOptions(_data.Path, "http://0.0.0.0:0", Workers: 0));
        Assert.NotNull(app);
    }

    [Fact]
    public async Task FirstStartOnLoopback_MakesAnAdminToken_AndSaysItOnce()
    {
        using var fresh = new TempFolder();
        var announced = new List<string>();
        await using (var app = await TesseraServer.BuildAsync(new ServerOptions(fresh.Path, Workers: 0), announced.Add))
        {
            Assert.Single(announced);
            Assert.Equal(new TokenStore.Identity("local", Role.Admin), new TokenStore(fresh.Path).Find(announced[0]));
        }
        await using (var again = await TesseraServer.BuildAsync(new ServerOptions(fresh.Path, Workers: 0), announced.Add))
        {
            Assert.Single(announced); // the second start makes none
        }
        Assert.DoesNotContain(announced[0], File.ReadAllText(Path.Combine(fresh.Path, "tokens.json"))); // stored hashed
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
