using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera serve` as a real process: its workers run in a child process that it supervises. Killing that
/// child with SIGKILL (as a native crash would) leaves the API up, and a new child runs the next tasks.
/// </summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly TempFolder _data = new();
    private ServeProcess? _serve;

    [SampleDataFact]
    public async Task KilledWorkerProcess_IsRestarted_AndTheApiStaysUp()
    {
        _serve = await ServeProcess.StartAsync(_data.Path);
        var nir = await _serve.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B08.tif"), "B08.tif");
        var red = await _serve.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "B04.tif");
        async Task<string> RunTask()
        {
            var id = await _serve.AddTaskAsync(new
            {
                name = "ndvi", type = 7, inputs = new[] { new { role = "nir", fileId = nir }, new { role = "red", fileId = red } },
            });
            return (await _serve.EndAsync(id, TimeSpan.FromSeconds(60))).GetProperty("statusName").GetString()!;
        }

        Assert.Equal("PUBLISH_COMPLETED", await RunTask());
        var first = await ServeProcess.Eventually(() => Task.FromResult(_serve.WorkerChildren() is [var pid] ? (int?)pid : null),
            TimeSpan.FromSeconds(20), "no worker child process");

        Process.GetProcessById(first!.Value).Kill(); // SIGKILL, as a crash inside native code would end it
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync("/health")).StatusCode);
        var second = await ServeProcess.Eventually(() => Task.FromResult(_serve.WorkerChildren() is [var pid] && pid != first ? (int?)pid : null),
            TimeSpan.FromSeconds(20), "the worker was not restarted");
        Assert.NotEqual(first, second);
        Assert.Equal("PUBLISH_COMPLETED", await RunTask());
    }

    [Fact]
    public async Task FirstStart_PrintsThePagesAddressWithAToken_ThatTheServerAccepts()
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "serve", "--port", port.ToString(), "--data", _data.Path, "--no-worker"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("TESSERA_ADMIN_TOKEN");
        using var server = Process.Start(start)!;
        try
        {
            _ = server.StandardOutput.ReadToEndAsync();
            string? line;
            var page = "";
            while ((line = await server.StandardError.ReadLineAsync()) is not null)
            {
                if (line.StartsWith("tessera: web page: ", StringComparison.Ordinal))
                {
                    page = line["tessera: web page: ".Length..];
                    break;
                }
            }
            _ = server.StandardError.ReadToEndAsync();

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
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }
    }

    public void Dispose()
    {
        _serve?.Dispose();
        _data.Dispose();
    }
}
