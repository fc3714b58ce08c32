using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.TestSupport;

/// <summary>
/// Validates responses of the openEO API against the openEO API 1.2.0 OpenAPI document of the shared specifications
/// folder (<c>../shared/specs/openeo-api-1.2.0.yaml</c>), offline, with ajv (npm, in <c>tests/reference/openeo</c>):
/// the schema of the response the document defines for the path, method and status (or its 4XX/5XX/default).
/// </summary>
public static class OpenEoValidator
{
    /// <summary>A response to check: the path as the OpenAPI document writes it (<c>/collections/{collection_id}</c>).</summary>
    public sealed record Response(string Method, string Path, int Status, JsonNode? Body);

    /// <summary>What is wrong with the responses (nothing: an empty list).</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<Response> responses)
    {
        var tool = Path.Combine(NodeTools.Folder("openeo"), "validate.js");
        var spec = SharedSpecs.Locate("shared/specs/openeo-api-1.2.0.yaml")
            ?? throw new InvalidOperationException("the shared specifications (../shared/specs/openeo-api-1.2.0.yaml) were not found beside the repository");
        using var temp = new TempFolder();
        var input = temp.File("responses.json");
        var list = responses.ToList();
        File.WriteAllText(input, new JsonArray(list.Select(r => (JsonNode?)new JsonObject
        {
            ["method"] = r.Method.ToLowerInvariant(),
            ["path"] = r.Path,
            ["status"] = r.Status,
            ["body"] = r.Body?.DeepClone(),
        }).ToArray()).ToJsonString());
        var start = new ProcessStartInfo("node", [tool, spec, input]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the openEO validator did not finish");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the openEO validator failed ({process.ExitCode}): {stderr.Result}");
        }
        var answer = JsonDocument.Parse(stdout.Result).RootElement;
        if (answer.GetProperty("checked").GetInt32() + answer.GetProperty("errors").GetArrayLength() < list.Count)
        {
            throw new InvalidOperationException("the openEO validator checked fewer responses than it was given");
        }
        return answer.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
