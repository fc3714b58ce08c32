using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Tessera.Host.Workers;
using Tessera.Host;
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
    private readonly CancellationTokenSource _stopWorkers = new();
    private string _schema = "";
    private RunningServer? _server;
    private HttpClient _http = new();
    private Task _workers = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var database = postgres.NewSchema(out _schema);
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0, Database: database), url),
            ("alice", "alice", Role.Write));
        _http = _server.Client("alice");
        // Workers poll only once an hour: only a notification can make them start the tasks in time.
        var worker = new ServiceOptions(_server.Data.Path, Workers: 1, Database: database, PollInterval: TimeSpan.FromHours(1));
        _workers = Task.WhenAll(WorkerHost.RunAsync(worker, _stopWorkers.Token), WorkerHost.RunAsync(worker, _stopWorkers.Token));
        await Task.Delay(1000); // the workers are listening
    }

    public async Task DisposeAsync()
    {
        _stopWorkers.Cancel();
        await _workers;
        await _server!.DisposeAsync();
        postgres.DropSchema(_schema);
    }

    private Task<long> UploadAsync(string sample) => _http.UploadAsync(SampleData.File(sample), sample);

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
            owners.Add(task.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("statusName").GetString() == "DOWNLOADING").GetProperty("actor").GetString()!);
            var result = task.GetProperty("result").GetProperty("outputFileId").GetInt64();
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"/files/{result}")).StatusCode);
        }
        Assert.All(owners, o => Assert.EndsWith(":0", o));
    }
}
