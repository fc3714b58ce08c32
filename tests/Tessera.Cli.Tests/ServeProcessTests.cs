using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera serve` as a real process: its workers run in a child process that it supervises. Killing that
/// child with SIGKILL (as a native crash would) leaves the API up, and a new child runs the next tasks.
/// </summary>
public sealed class ServeProcessTests : IDisposable
{
    private const string Token = "tsr_process-test-0123456789abcdef";
    private readonly TempFolder _data = new();
    private Process? _server;

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Child processes of the server whose command line runs "worker".</summary>
    private List<int> WorkerChildren() =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                    return parent == _server!.Id && File.ReadAllText($"/proc/{pid}/cmdline").Contains("worker");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    return false;
                }
            }).ToList();

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, string what)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException(what);
    }

    [SampleDataFact]
    public async Task KilledWorkerProcess_IsRestarted_AndTheApiStaysUp()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "serve", "--port", port.ToString(), "--data", _data.Path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TESSERA_ADMIN_TOKEN"] = Token;
        _server = Process.Start(start)!;
        _ = _server.StandardOutput.ReadToEndAsync();
        _ = _server.StandardError.ReadToEndAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await Eventually<object>(async () =>
        {
            try
            {
                return (await http.GetAsync("/health")).IsSuccessStatusCode ? new object() : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, "the server did not start");

        async Task<long> Upload(string band)
        {
            using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif"))), "file", band + ".tif" } };
            return JsonDocument.Parse(await (await http.PostAsync("/files", form)).Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("id").GetInt64();
        }
        var nir = await Upload("B08");
        var red = await Upload("B04");
        async Task<string> RunTask()
        {
            var created = await http.PostAsJsonAsync("/processtask/addTask", new
            {
                name = "ndvi", type = 7, inputs = new[] { new { role = "nir", fileId = nir }, new { role = "red", fileId = red } },
            });
            var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("taskId").GetInt64();
            return await Eventually(async () =>
            {
                var task = JsonDocument.Parse(await http.GetStringAsync($"/processtask/query/task/detail?id={id}")).RootElement.GetProperty("data");
                return task.GetProperty("status").GetInt32() is 7 or 4 or 8 or 9 ? task.GetProperty("statusName").GetString() : null;
            }, $"task {id} did not end");
        }

        Assert.Equal("PUBLISH_COMPLETED", await RunTask());
        var first = await Eventually(() => Task.FromResult(WorkerChildren() is [var pid] ? (int?)pid : null), "no worker child process");

        Process.GetProcessById(first!.Value).Kill(); // SIGKILL, as a crash inside native code would end it
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        var second = await Eventually(() => Task.FromResult(WorkerChildren() is [var pid] && pid != first ? (int?)pid : null), "the worker was not restarted");
        Assert.NotEqual(first, second);
        Assert.Equal("PUBLISH_COMPLETED", await RunTask());
    }

    [Fact]
    public async Task FirstStart_PrintsThePagesAddressWithAToken_ThatTheServerAccepts()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "serve", "--port", port.ToString(), "--data", _data.Path, "--no-worker"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("TESSERA_ADMIN_TOKEN");
        _server = Process.Start(start)!;
        _ = _server.StandardOutput.ReadToEndAsync();
        string? line;
        var page = "";
        while ((line = await _server.StandardError.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("tessera: web page: ", StringComparison.Ordinal))
            {
                page = line["tessera: web page: ".Length..];
                break;
            }
        }
        _ = _server.StandardError.ReadToEndAsync();

        Assert.Matches($@"^http://127\.0\.0\.1:{port}/#token=tsr_\S+$", page);
        var token = page[(page.IndexOf("#token=", StringComparison.Ordinal) + 7)..];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var html = await http.GetAsync("/"); // the page itself needs no token
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("<script type=\"module\" src=\"/web/js/main.js\"></script>", await html.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/files")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/files")).StatusCode);
    }

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            foreach (var child in WorkerChildren())
            {
                try
                {
                    Process.GetProcessById(child).Kill();
                }
                catch (ArgumentException)
                {
                }
            }
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit();
        }
        _server?.Dispose();
        _data.Dispose();
    }
}
