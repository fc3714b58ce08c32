using System.Diagnostics;
using System.Text.Json;

namespace Tessera.TestSupport;

/// <summary>
/// Validates STAC documents with stac-node-validator (npm, in <c>tests/reference/stac</c>) against the STAC 1.0 JSON
/// schemas of the shared specifications folder (<c>../shared/specs/stac</c>), offline. Extensions whose schemas are not
/// in that folder are not checked; the result names them.
/// </summary>
public static class StacValidator
{
    /// <summary>How many STAC objects were validated, what is wrong with them, and the extension schemas that could not be checked.</summary>
    public sealed record Result(int Objects, IReadOnlyList<string> Errors, IReadOnlyList<string> Unchecked);

    public static Result Validate(IReadOnlyDictionary<string, string> documents)
    {
        var tool = Path.Combine(NodeTools.Folder("stac"), "validate.js");
        var specs = SharedSpecs.Locate("shared/specs/stac") ?? throw new InvalidOperationException("the shared specifications (../shared/specs/stac) were not found beside the repository");
        using var temp = new TempFolder();
        var files = new List<string> { tool, specs };
        foreach (var (name, json) in documents)
        {
            var path = temp.File(name + ".json");
            File.WriteAllText(path, json);
            files.Add(path);
        }
        var start = new ProcessStartInfo("node", files) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the STAC validator did not finish");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the STAC validator failed ({process.ExitCode}): {stderr.Result}");
        }
        var answer = JsonDocument.Parse(stdout.Result).RootElement;
        return new Result(answer.GetProperty("objects").GetInt32(),
            answer.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList(),
            answer.GetProperty("unchecked").EnumerateArray().Select(e => e.GetString()!).ToList());
    }
}
