using System.Text.Json;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// One input of a task: a stored file, an asset of a catalog item (<paramref name="Item"/> "COLLECTION/ITEM" and
/// <paramref name="Asset"/> its key), or the result of another task (<paramref name="Task"/>, which must be done when this
/// one runs), and optionally one of its bands (none: the type's default).
/// </summary>
/// <param name="Index">Its place among the task's inputs (0, 1, ...): what its staged copy is named after. A role is
/// the caller's text and never becomes part of a path.</param>
public sealed record TaskInput(string Role, long? FileId, int? Band, int Index, string? Item = null, string? Asset = null, long? Task = null)
{
    /// <summary>How the caller knows it: "file 12", "asset B08 of sentinel-2-l2a/S2B_...", or "the result of task 40".</summary>
    public string Shown => FileId is { } id ? $"file {id}" : Task is { } task ? $"the result of task {task}" : $"asset {Asset} of {Item}";
}

/// <summary>Reads a task's inputs and parameters as stored (validated when the task was added).</summary>
public static class TaskInputs
{
    /// <summary>The inputs in the order they were given.</summary>
    public static IReadOnlyList<TaskInput> Of(ProcessingTask task)
    {
        try
        {
            using var doc = JsonDocument.Parse(task.InputsJson);
            return doc.RootElement.EnumerateObject().Select((p, i) => new TaskInput(p.Name,
                p.Value.TryGetProperty("fileId", out var f) ? f.GetInt64() : null,
                p.Value.TryGetProperty("band", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetInt32() : null, i,
                p.Value.TryGetProperty("item", out var item) ? item.GetString() : null,
                p.Value.TryGetProperty("asset", out var asset) ? asset.GetString() : null,
                p.Value.TryGetProperty("task", out var t) ? t.GetInt64() : null)).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidOperationException($"the task's inputs are not valid: {e.Message}");
        }
    }

    /// <summary>Where the download stage puts an input's copy: <c>inputs/N.tif</c>, a name the worker chose.</summary>
    public static string Staged(string workFolder, TaskInput input) =>
        Path.Combine(workFolder, "inputs", input.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tif");
}
