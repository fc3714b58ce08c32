using System.Diagnostics;
using System.Text.Json;

namespace Tessera.TestSupport;

/// <summary>The servers the tests run on Node: started with their output kept, the first line they print read, stopped.</summary>
internal static class NodeProcesses
{
    public static Process Start(IEnumerable<string> arguments) =>
        Process.Start(new ProcessStartInfo("node", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
        ?? throw new InvalidOperationException("cannot start node");

    /// <summary>The JSON line a server prints once it listens; fails with its error output when it does not within 30 s.</summary>
    public static JsonDocument Started(Process process, string what)
    {
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(30)) || line.Result is null)
        {
            Stop(process);
            throw new InvalidOperationException($"{what} did not start: {process.StandardError.ReadToEnd()}");
        }
        return JsonDocument.Parse(line.Result);
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        process.Dispose();
    }
}
