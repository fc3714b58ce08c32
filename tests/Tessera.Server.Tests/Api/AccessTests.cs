using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>Tokens and roles: 401 without a valid token, 403 without the role, 404 for another user's things.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private RunningServer? _server;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url),
            ("reader", "alice", Role.Read), ("alice", "alice", Role.Write), ("bob", "bob", Role.Write), ("admin", "root", Role.Admin));

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private HttpClient As(string? who) => _server!.Client(who);

    private async Task<long> UploadAsync(HttpClient client)
    {
        var raster = SyntheticRaster.Write<byte>(_server!.Data.File($"{Guid.NewGuid():N}.src"), SyntheticRaster.Grid(8, 8), (c, r) => 1);
        return await client.UploadAsync(raster, "r.tif");
    }

    [Fact]
    public async Task MissingOrBadToken_Is401_HealthNeedsNone()
    {
        var anonymous = As(null);
        var response = await anonymous.GetAsync("/files");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Authorization: Bearer TOKEN", await response.Content.ReadAsStringAsync());
        var forged = As("tsr_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/files")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task ATokenCreatedWhileTheServerRuns_CountsAtOnce()
    {
        using var carol = new HttpClient { BaseAddress = _server!.Address };
        carol.DefaultRequestHeaders.Authorization = new("Bearer", "tsr_not-made-yet-but-soon-1234567890");
        Assert.Equal(HttpStatusCode.Unauthorized, (await carol.GetAsync("/files")).StatusCode);
        // As `tessera token create` makes it: another process's store over the running server's data folder.
        var secret = new TokenStore(_server.Data.Path).Create("carol", Role.Write);
        carol.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/files")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As("alice").GetAsync("/files")).StatusCode); // the others' still count
    }

    [Fact]
    public async Task BasicCredentials_CarryTheTokenAsTheirPassword()
    {
        async Task<HttpStatusCode> With(string userAndPassword)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/files");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(userAndPassword)));
            return (await As(null).SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await With($"anyone:{_server!.Token("reader")}"));
        Assert.Equal(HttpStatusCode.Unauthorized, await With("anyone:tsr_not-a-real-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await With(_server.Token("reader"))); // no colon: no password
        using var garbled = new HttpRequestMessage(HttpMethod.Get, "/files");
        garbled.Headers.TryAddWithoutValidation("Authorization", "Basic %%%");
        Assert.Equal(HttpStatusCode.Unauthorized, (await As(null).SendAsync(garbled)).StatusCode);
        // The role is the token's: a read token cannot write through basic credentials either.
        using var write = new HttpRequestMessage(HttpMethod.Post, "/catalog/harvest") { Content = System.Net.Http.Json.JsonContent.Create(new { source = "http://example.org/" }) };
        write.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"x:{_server.Token("reader")}")));
        Assert.Equal(HttpStatusCode.Forbidden, (await As(null).SendAsync(write)).StatusCode);
    }

    [Fact]
    public async Task ReadRole_CanList_ButNotCreate_AndCleanupNeedsAdmin()
    {
        var reader = As("reader");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/files")).StatusCode);
        var refused = await reader.PostAsJsonAsync("/processtask/addTask", new { name = "x", type = 7 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("this needs the write role; the token has read", await refused.Content.ReadAsStringAsync());
        var alice = As("alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync("/processtask/cleanup", new { olderThanDays = 1 })).StatusCode);
        var admin = As("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/processtask/cleanup", new { olderThanDays = 1 })).StatusCode);
    }

    [Fact]
    public async Task AnotherUsersFilesAndTasks_AreNotFound_ButAdminSeesThem()
    {
        var alice = As("alice");
        var bob = As("bob");
        var admin = As("admin");
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
        await using var app = await TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(_server!.Data.Path, Workers: 0), "http://0.0.0.0:0"));
        Assert.NotNull(app);
    }

    [Fact]
    public async Task FirstStartOnLoopback_MakesAnAdminToken_AndSaysItOnce()
    {
        using var fresh = new TempFolder();
        var announced = new List<string>();
        await using (var app = await TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(fresh.Path, Workers: 0)), announced.Add))
        {
            Assert.Single(announced);
            Assert.Equal(new TokenStore.Identity("local", Role.Admin), new TokenStore(fresh.Path).Find(announced[0]));
        }
        await using (var again = await TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(fresh.Path, Workers: 0)), announced.Add))
        {
            Assert.Single(announced); // the second start makes none
        }
        Assert.DoesNotContain(announced[0], File.ReadAllText(Path.Combine(fresh.Path, "tokens.json"))); // stored hashed
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task ChosenAdminToken_IsAccepted_AndNoOtherIsMade()
    {
        using var fresh = new TempFolder();
        const string chosen = "tsr_automation-0123456789abcdef";
        var announced = new List<string>();
        await using (await TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(fresh.Path, Workers: 0), AdminToken: chosen), announced.Add))
        {
            Assert.Empty(announced);
            Assert.Equal(new TokenStore.Identity("admin", Role.Admin), new TokenStore(fresh.Path).Find(chosen));
        }
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(fresh.Path, Workers: 0), AdminToken: "short")));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
