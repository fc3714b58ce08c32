using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary><c>Idempotency-Key</c> on addTask: a client that sends the same request again (it never saw the answer) gets the same task.</summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private RunningServer? _server;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url), ("alice", "alice", Role.Write), ("bob", "bob", Role.Write));

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private static HttpRequestMessage AddTask(object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/processtask/addTask") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return request;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task<long> TotalAsync(HttpClient http) =>
        (await ApiCalls.Data(await http.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1 }))).GetProperty("total").GetInt64();

    [Fact]
    public async Task TheSameKeyAgain_GivesTheSameTask_EvenManyAtOnce_AndAnotherRequestWithItIsRefused()
    {
        var alice = _server!.Client("alice");
        var bob = _server.Client("bob");
        var raster = SyntheticRaster.Write<ushort>(_server.Data.File("i.src"), SyntheticRaster.Grid(16, 16), (c, r) => 1);
        var file = await alice.UploadAsync(raster, "i.tif");
        var bobsFile = await bob.UploadAsync(raster, "i.tif");
        object Ndvi(long id, string name = "ndvi") => new { name, type = 7, inputs = new { nir = new { fileId = id }, red = new { fileId = id } } };

        var (status, first) = await SendAsync(alice, AddTask(Ndvi(file), "order-42"));
        Assert.Equal(HttpStatusCode.OK, status);
        var id = first.GetProperty("data").GetProperty("taskId").GetInt64();
        var again = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SendAsync(alice, AddTask(Ndvi(file), "order-42"))));
        Assert.All(again, a => Assert.Equal((HttpStatusCode.OK, id), (a.Status, a.Body.GetProperty("data").GetProperty("taskId").GetInt64())));
        var burst = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SendAsync(alice, AddTask(Ndvi(file), "burst-7"))));
        Assert.Single(burst.Select(b => b.Body.GetProperty("data").GetProperty("taskId").GetInt64()).Distinct());
        Assert.Equal(2, await TotalAsync(alice));

        var (reused, problem) = await SendAsync(alice, AddTask(Ndvi(file, "another"), "order-42"));
        Assert.Equal(HttpStatusCode.Conflict, reused);
        Assert.Equal($"Idempotency-Key 'order-42' was used for another request (task {id}); use a new key for a new task", problem.GetProperty("detail").GetString());

        var (bobs, bobsTask) = await SendAsync(bob, AddTask(Ndvi(bobsFile), "order-42")); // keys are each user's own
        Assert.Equal(HttpStatusCode.OK, bobs);
        Assert.NotEqual(id, bobsTask.GetProperty("data").GetProperty("taskId").GetInt64());

        var (bad, badKey) = await SendAsync(alice, AddTask(Ndvi(file), new string('k', 300)));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("Idempotency-Key: one key of 1 to 255 printable ASCII characters", badKey.GetProperty("detail").GetString());
        var (_, without) = await SendAsync(alice, AddTask(Ndvi(file), null));
        Assert.NotEqual(id, without.GetProperty("data").GetProperty("taskId").GetInt64());
        Assert.Equal(3, await TotalAsync(alice));
    }
}
