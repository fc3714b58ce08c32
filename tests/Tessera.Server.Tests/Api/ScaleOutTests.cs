using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// Many machines in one test: a server without workers and two separate worker hosts, all on one real
/// PostgreSQL database and one data folder. A task created over HTTP is run by a worker woken by NOTIFY.
/// </summary>
public sealed class ScaleOutTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private readonly CancellationTokenSource _stopWorkers = new();
    private string _schema = "";
    private WebApplication? _app;
    private HttpClient _http = new();
    private Task _workers = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var database = postgres.NewSchema(out _schema);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        // Workers poll only once an hour: only a notification can make them start the task in time.
        var poll = TimeSpan.FromHours(1);
        var token = new TokenStore(_data.Path).Create("alice", Role.Write); // before the server reads the token file
        _app = await TesseraServer.BuildAsync(new ServerOptions(_data.Path, $"http://127.0.0.1:{port}", Workers: 0, Database: database));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        _workers = Task.WhenAll(
            WorkerHost.RunAsync(new ServerOptions(_data.Path, Workers: 1, Database: database, PollInterval: poll), _stopWorkers.Token),
            WorkerHost.RunAsync(new ServerOptions(_data.Path, Workers: 1, Database: database, PollInterval: poll), _stopWorkers.Token));
        await Task.Delay(1000); // the workers are listening
    }

    public async Task DisposeAsync()
    {
        _stopWorkers.Cancel();
        await _workers;
        _http.Dispose();
        await _app!.StopAsync();
        await _app.DisposeAsync();
        postgres.DropSchema(_schema);
        _data.Dispose();
    }

    private async Task<long> UploadAsync(string sample)
    {
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(SampleData.File(sample))), "file", sample } };
        var response = await _http.PostAsync("/files", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("id").GetInt64();
    }

    [SampleDataFact]
    public async Task TasksCreatedOverHttp_AreRunByWorkerProcesses_OnPostgres()
    {
        var nir = await UploadAsync("S2A_29RKH_20200219_L2A_B08.tif");
        var red = await UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var created = await _http.PostAsJsonAsync("/processtask/addTask", new
            {
                name = $"ndvi {i}", type = 7, inputs = new { nir = new { fileId = nir }, red = new { fileId = red } },
            });
            ids.Add(JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("taskId").GetInt64());
        }

        var owners = new HashSet<string>();
        foreach (var id in ids)
        {
            JsonElement task = default;
            for (var i = 0; i < 240; i++)
            {
                task = JsonDocument.Parse(await _http.GetStringAsync($"/processtask/query/task/detail?taskId={id}")).RootElement.GetProperty("data").Clone();
                if (task.GetProperty("status").GetInt32() is 7 or 4 or 8 or 9)
                {
                    break;
                }
                await Task.Delay(250);
            }
            Assert.True(task.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", task.ToString());
            owners.Add(task.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("toName").GetString() == "DOWNLOADING").GetProperty("actor").GetString()!);
            var result = task.GetProperty("result").GetProperty("outputFileId").GetInt64();
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"/files/{result}")).StatusCode);
        }
        Assert.All(owners, o => Assert.EndsWith(":0", o));
    }
}
