using System.Diagnostics;
using System.Text.Json;

namespace Tessera.TestSupport;

/// <summary>
/// A real file server on loopback that misbehaves on purpose (<c>tests/reference/faults/serve.mjs</c>, Node alone):
/// <c>slow/NAME</c> (and how many such downloads ran at once, at most), <c>unavailable/N/NAME</c> (503 with
/// Retry-After the first N times), <c>reset/NAME</c> (cut mid-body; ranges answered), <c>redirect/HOST:PORT/PATH</c>;
/// it keeps the Authorization header each path received.
/// </summary>
public sealed class FaultServer : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private FaultServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The root URL, ending with '/'.</summary>
    public Uri Address { get; }

    public static FaultServer Serve(string folder)
    {
        var script = Path.Combine(NodeTools.Folder("faults", install: false), "serve.mjs");
        var process = NodeProcesses.Start([script, folder]);
        using var started = NodeProcesses.Started(process, "the fault server");
        return new FaultServer(process, new Uri(started.RootElement.GetProperty("address").GetString()!));
    }

    /// <summary>What the server counted: the slow downloads running at once at most, the 503s it answered, the bodies it
    /// cut, the Range requests it answered, the requests of each path, and the
    /// Authorization header each path last received (null: none).</summary>
    public (int MaxAtOnce, int Unavailable, int Resets, int Ranges, IReadOnlyDictionary<string, string?> Authorization,
        IReadOnlyDictionary<string, int> Requests) Stats()
    {
        using var http = new HttpClient();
        using var stats = JsonDocument.Parse(http.GetStringAsync(new Uri(Address, "_stats")).GetAwaiter().GetResult());
        var r = stats.RootElement;
        return (r.GetProperty("max").GetInt32(), r.GetProperty("unavailable").GetInt32(), r.GetProperty("resets").GetInt32(), r.GetProperty("ranges").GetInt32(),
            r.GetProperty("authorization").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString()),
            r.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        NodeProcesses.Stop(_process);
    }
}
