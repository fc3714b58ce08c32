using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.TestSupport;

/// <summary>
/// The official openEO JavaScript client (npm <c>@openeo/js-client</c>, in <c>tests/reference/openeo-client</c>) run on
/// Node against a server: <c>run.js</c> connects, authenticates, lists, builds a graph with the client's Builder and
/// runs it (see the script). Returns what the script prints; a failure of the client is a failure with its message.
/// </summary>
public static class OpenEoClient
{
    public static JsonElement Run(JsonObject request)
    {
        var folder = NodeTools.Folder("openeo-client");
        using var temp = new TempFolder();
        var input = temp.File("request.json");
        File.WriteAllText(input, request.ToJsonString());
        var start = new ProcessStartInfo("node", [Path.Combine(folder, "run.js"), input]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the openEO client did not finish in 3 minutes");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the openEO client failed: {stderr.Result}");
        }
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }
}
