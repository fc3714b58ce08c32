using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// What an operator of <c>tessera serve</c> sees: <c>/metrics</c> carries what the supervised worker process measured
/// (stage durations, failures by stage and kind, heartbeats) and both processes' CPU and memory and the disk's free
/// space, kept across a restart of the worker; a failed task is one structured log line; clients' mistakes are not
/// logged as errors.
/// </summary>
public sealed class OperationsProcessTests : IDisposable
{
    private readonly TempFolder _data = new();
    private ServeProcess? _serve;

    public void Dispose()
    {
        _serve?.Dispose();
        _data.Dispose();
    }

    private static double Value(string metrics, string series) =>
        metrics.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal)).Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(double.NaN).Single();

    [SampleDataFact]
    public async Task Metrics_CoverTheWorkerProcess_AFailureIsOneLogLine_AndClientErrorsAreNotServerErrors()
    {
        _serve = await ServeProcess.StartAsync(_data.Path);
        var nir = await _serve.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B08.tif"), "B08.tif");
        var red = await _serve.UploadAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "B04.tif");
        var ndvi = await _serve.AddTaskAsync(new { name = "ndvi", type = 7, inputs = new[] { new { role = "nir", fileId = nir }, new { role = "red", fileId = red } } });
        Assert.Equal("PUBLISH_COMPLETED", (await _serve.EndAsync(ndvi, TimeSpan.FromSeconds(60))).GetProperty("statusName").GetString());
        // A harvest from an address the service may not reach fails its download stage.
        var harvest = await _serve.Http.PostAsJsonAsync("/catalog/harvest", new { source = "http://10.255.255.1/catalog.json" });
        var failed = JsonDocument.Parse(await harvest.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("taskId").GetInt64();
        var failure = await _serve.EndAsync(failed, TimeSpan.FromSeconds(60));
        Assert.Equal("DOWNLOAD_FAILED", failure.GetProperty("statusName").GetString());
        // Its own log says it too, for its page.
        Assert.Equal($"download failed (remote_access): {failure.GetProperty("errorMessage").GetString()}",
            (await _serve.DetailAsync(failed)).GetProperty("log").EnumerateArray().Last().GetProperty("message").GetString());

        // Clients' mistakes: a missing task, a bad body, a missing file.
        Assert.Equal(HttpStatusCode.NotFound, (await _serve.Http.GetAsync("/processtask/query/task/detail?id=987654")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _serve.Http.PostAsync("/processtask/addTask",
            new StringContent("{\"type\": 7, \"inputs\": [", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _serve.Http.GetAsync("/files/987654")).StatusCode);

        // /metrics: the worker child's measurements, as soon as it reported them.
        var child = _serve.WorkerChildren().Single();
        var metrics = await ServeProcess.Eventually(async () =>
        {
            var text = await _serve.Http.GetStringAsync("/metrics");
            return text.Contains("tessera_stage_failures_total{stage=\"download\"", StringComparison.Ordinal)
                && Value(text, "tessera_stage_duration_seconds_count{stage=\"publish\"}") >= 1 ? text : null;
        }, TimeSpan.FromSeconds(20), "the worker's measurements did not reach /metrics");
        // The NDVI went through download, process and publish; the harvest failed its download.
        Assert.Equal(1, Value(metrics, "tessera_stage_duration_seconds_count{stage=\"process\"}"));
        Assert.Equal(1, Value(metrics, "tessera_stage_duration_seconds_count{stage=\"publish\"}"));
        Assert.Equal(2, Value(metrics, "tessera_stage_duration_seconds_count{stage=\"download\"}"));
        Assert.Equal(2, Value(metrics, "tessera_stage_duration_seconds_bucket{stage=\"download\",le=\"+Inf\"}"));
        Assert.Equal(1, Value(metrics, "tessera_stage_failures_total{stage=\"download\",kind=\"remote_access\"}"));
        Assert.DoesNotContain("tessera_stage_failures_total{stage=\"process\"", metrics);
        // Heartbeats of the child's worker, recent.
        var beat = metrics.Split('\n').Single(l => l.StartsWith($"tessera_worker_heartbeat_timestamp_seconds{{worker=\"{Environment.MachineName}:{child}:", StringComparison.Ordinal));
        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(beat.Split(' ')[1], CultureInfo.InvariantCulture) * 1000));
        Assert.InRange(at, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        // Both processes' CPU and memory, against what the kernel says of them; the disk against df.
        foreach (var (process, pid) in new[] { ("server", _serve.Process.Id), ("worker", child) })
        {
            var rss = Value(metrics, $"tessera_process_resident_memory_bytes{{process=\"{process}\"}}");
            var status = File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kernelRss = double.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            Assert.InRange(rss, kernelRss * 0.5, kernelRss * 1.5);
            var cpu = Value(metrics, $"tessera_process_cpu_seconds_total{{process=\"{process}\"}}");
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var kernelCpu = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // utime + stime, ticks of 1/100 s
            Assert.InRange(cpu, 0.1, kernelCpu + 0.5);
            Assert.True(cpu >= kernelCpu - 10, $"{process}: {cpu} s of CPU reported, the kernel says {kernelCpu} s");
        }
        var df = Process.Start(new ProcessStartInfo("df", ["-B1", "--output=avail,size", _data.Path]) { RedirectStandardOutput = true })!;
        var dfLine = (await df.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(Value(metrics, "tessera_disk_free_bytes"), double.Parse(dfLine[0]) - 256e6, double.Parse(dfLine[0]) + 256e6);
        Assert.Equal(double.Parse(dfLine[1]), Value(metrics, "tessera_disk_size_bytes"));

        // The counts outlive the worker process: killed, restarted, still there.
        Process.GetProcessById(child).Kill();
        await ServeProcess.Eventually(() => Task.FromResult(_serve.WorkerChildren() is [var pid] && pid != child ? (int?)pid : null), TimeSpan.FromSeconds(20), "no new worker");
        var again = await ServeProcess.Eventually(async () =>
        {
            var text = await _serve.Http.GetStringAsync("/metrics");
            return text.Contains("tessera_process_cpu_seconds_total{process=\"worker\"}", StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(20), "the new worker did not report");
        Assert.Equal(1, Value(again, "tessera_stage_failures_total{stage=\"download\",kind=\"remote_access\"}"));
        Assert.Equal(1, Value(again, "tessera_stage_duration_seconds_count{stage=\"publish\"}"));

        // The failure is one structured line: task, type, owner, stage, kind of error, the error as the task says it.
        var lines = _serve.Log.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var failures = lines.Where(l => l.GetProperty("Message").GetString()!.StartsWith($"task {failed} failed", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(failures);
        var state = line.GetProperty("State");
        Assert.Equal(failed.ToString(CultureInfo.InvariantCulture), state.GetProperty("Task").ToString());
        Assert.Equal("download", state.GetProperty("Stage").GetString());
        Assert.Equal("remote_access", state.GetProperty("ErrorKind").GetString());
        Assert.Equal("admin", state.GetProperty("Owner").GetString());
        Assert.Equal(failure.GetProperty("errorMessage").GetString(), state.GetProperty("Error").GetString());
        // Nothing the clients got wrong was logged as an error (and the one error line is the killed worker's restart).
        var errors = lines.Where(l => l.GetProperty("LogLevel").GetString() is "Error" or "Critical").Select(l => l.GetProperty("Message").GetString()!).ToList();
        Assert.Equal([$"worker process {child} ended with code 137; restarting it"], errors);
        Assert.DoesNotContain("987654", _serve.Log);
    }
}
