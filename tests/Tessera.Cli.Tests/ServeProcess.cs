using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera serve</c> as a real process on a data folder, with an admin token and a client that carries it;
/// its supervised worker child can be found and killed, and the server itself killed with SIGKILL. What it and its
/// child write (their logs) is kept. Disposing kills what still runs.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    public const string Token = "tsr_process-test-0123456789abcdef";

    private readonly StringBuilder _log = new();

    private ServeProcess(Process process, int port)
    {
        Process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        void Keep(object? sender, DataReceivedEventArgs line)
        {
            if (line.Data is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(line.Data);
                }
            }
        }
        process.ErrorDataReceived += Keep;
        process.OutputDataReceived += Keep;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public Process Process { get; }

    public int Port { get; }

    public HttpClient Http { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server on <paramref name="data"/> (on <paramref name="port"/>, or a free one) and waits until it answers.</summary>
    public static async Task<ServeProcess> StartAsync(string data, int? port = null, params string[] extra)
    {
        var chosen = port ?? LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "serve", "--port", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data, .. extra])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TESSERA_ADMIN_TOKEN"] = Token;
        var serve = new ServeProcess(Process.Start(start)!, chosen);
        await Eventually<object>(async () =>
        {
            try
            {
                return (await serve.Http.GetAsync("/health")).IsSuccessStatusCode ? new object() : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60), "the server did not start");
        return serve;
    }

    public static async Task<T> Eventually<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, int everyMs = 100)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(everyMs);
        }
        throw new TimeoutException($"{what} (waited {timeout.TotalSeconds} s)");
    }

    /// <summary>Child processes of the server whose command line runs "worker".</summary>
    public List<int> WorkerChildren() =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                    return parent == Process.Id && File.ReadAllText($"/proc/{pid}/cmdline").Contains("worker");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    return false;
                }
            }).ToList();

    /// <summary>Whether a process still runs (and is not a zombie).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async Task<long> UploadAsync(string path, string name)
    {
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(path)), "file", name } };
        var response = await Http.PostAsync("/files", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, body); // OK: the same bytes, already stored
        return JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("id").GetInt64();
    }

    public async Task<long> AddTaskAsync(object task)
    {
        var created = await Http.PostAsJsonAsync("/processtask/addTask", task);
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("taskId").GetInt64();
    }

    public async Task<JsonElement> DetailAsync(long id) =>
        JsonDocument.Parse(await Http.GetStringAsync($"/processtask/query/task/detail?id={id}")).RootElement.GetProperty("data").Clone();

    /// <summary>Waits until the task ends (published or failed); its detail.</summary>
    public Task<JsonElement> EndAsync(long id, TimeSpan timeout) => Eventually<JsonElement?>(async () =>
    {
        var detail = await DetailAsync(id);
        return detail.GetProperty("status").GetInt32() is 7 or 4 or 8 or 9 ? detail : null;
    }, timeout, $"task {id} did not end").ContinueWith(t => t.Result!.Value, TaskScheduler.Default);

    /// <summary>Downloads a published task's result (its detail given) into <paramref name="path"/>; the path.</summary>
    public async Task<string> DownloadResultAsync(JsonElement detail, string path)
    {
        await File.WriteAllBytesAsync(path, await Http.GetByteArrayAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString()));
        return path;
    }

    /// <summary>SIGKILL of the server alone (its worker child notices its pipe closing).</summary>
    public void Kill()
    {
        Process.Kill();
        Process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            foreach (var child in WorkerChildren())
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(child).Kill();
                }
                catch (ArgumentException)
                {
                }
            }
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
        Http.Dispose();
        Process.Dispose();
    }
}
