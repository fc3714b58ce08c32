using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Host.Requests;
using Tessera.Tasks;

namespace Tessera.Server.Api;

/// <summary>
/// Checks a new task before it is queued, naming the field at fault: the request's shape here (name, roles,
/// output), its inputs and parameters against the type's definition (<see cref="TaskRequests"/>).
/// </summary>
internal static class TaskValidation
{
    /// <returns>The task to create, its result's estimated size, and the whole result's grid when the task could be split
    /// into parts (see <see cref="Tessera.Host.Requests.TaskSplit"/>).</returns>
    public static async Task<(NewTask Task, long EstimatedOutputBytes, Tessera.Raster.RasterGrid? Splittable)> CheckAsync(AddTaskRequest request, string owner, FileStore files,
        Tessera.Host.Catalog.CatalogAssets? assets, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(request.Name) ? throw Bad("name: required") : request.Name.Trim();
        if (request.Type is not { } number)
        {
            throw Bad("type: missing; give a task type number (GET /processtask/types lists them)");
        }
        TaskRequests.OperationOf(number);
        var inputs = Normalise(request.Inputs);
        foreach (var input in inputs.EnumerateObject())
        {
            CheckRole(input.Name);
        }
        var given = request.Params ?? request.Parameters;
        if (given is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            throw Bad("params: an object");
        }
        var checkedTask = await TaskRequests.CheckAsync(number, inputs, given, owner, files, cancellationToken, assets);
        if (request.OutputName is { } outputName && FileNames.TryPlain(outputName, out var problem) is null)
        {
            throw Bad($"outputName: {problem}; give a plain file name such as ndvi.tif");
        }
        var outputPath = request.OutputPath ?? request.OutputFolder;
        if (outputPath is not null && (outputPath.Split('/', '\\').Contains("..") || Path.IsPathRooted(outputPath)))
        {
            throw Bad("outputPath: a relative folder inside the caller's space, without '..'");
        }
        // An input that is another task's result makes this task wait for it.
        var after = inputs.EnumerateObject().Where(i => i.Value.TryGetProperty("task", out _))
            .Select(i => new TaskDependency(i.Value.GetProperty("task").GetInt64(), TaskDependency.Input)).DistinctBy(d => d.TaskId).ToList();
        return (new NewTask(name, new TaskType(number), owner, inputs.GetRawText(), outputPath, request.OutputName, checkedTask.ParametersJson,
            Warnings: checkedTask.Warnings.Count == 0 ? null : string.Join('\n', checkedTask.Warnings), After: after.Count == 0 ? null : after),
            checkedTask.EstimatedOutputBytes, checkedTask.Splittable);
    }

    /// <summary>
    /// A role is the caller's text: shown as a band name and in messages, never part of a path (staged inputs are
    /// named by the worker), so any printable text of sensible length is accepted.
    /// </summary>
    private static void CheckRole(string role)
    {
        if (role.Trim().Length == 0 || role.Length > MaxRoleLength || role.Any(char.IsControl))
        {
            var shown = role.Length > 40 ? role[..40] + "…" : role;
            throw Bad($"inputs.{string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c))}: a role is 1 to {MaxRoleLength} printable characters");
        }
    }

    private const int MaxRoleLength = 100;

    /// <summary>The inputs as an object role → {"fileId", "band"}, from either accepted form.</summary>
    private static JsonElement Normalise(JsonElement inputs)
    {
        if (inputs.ValueKind == JsonValueKind.Object)
        {
            return inputs;
        }
        if (inputs.ValueKind != JsonValueKind.Array)
        {
            throw Bad("inputs: a list of {\"role\", \"fileId\", \"band\"}");
        }
        var byRole = new Dictionary<string, object>();
        var i = 0;
        foreach (var item in inputs.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                throw Bad($"inputs[{i}].role: missing");
            }
            var name = role.GetString()!;
            if (item.TryGetProperty("task", out var taskRef))
            {
                // Another task's result (it must be done when this one runs).
                var fromTask = new Dictionary<string, object> { ["task"] = taskRef.TryGetInt64(out var taskId) ? taskId : throw Bad($"inputs.{name}.task: a task id") };
                if (item.TryGetProperty("band", out var taskBand) && taskBand.ValueKind != JsonValueKind.Null)
                {
                    fromTask["band"] = taskBand.TryGetInt32(out var chosen) ? chosen : throw Bad($"inputs.{name}.band: not a band number");
                }
                if (!byRole.TryAdd(name, fromTask))
                {
                    throw Bad($"inputs[{i}].role: '{name}' is given twice");
                }
                i++;
                continue;
            }
            if (item.TryGetProperty("item", out var catalogItem))
            {
                // A catalog item's asset instead of a stored file.
                if (catalogItem.ValueKind != JsonValueKind.String || !item.TryGetProperty("asset", out var asset) || asset.ValueKind != JsonValueKind.String)
                {
                    throw Bad($"inputs.{name}: give \"item\": \"COLLECTION/ITEM\" and \"asset\": its key (or a \"fileId\")");
                }
                var fromCatalog = new Dictionary<string, object> { ["item"] = catalogItem.GetString()!, ["asset"] = asset.GetString()! };
                if (item.TryGetProperty("band", out var assetBand) && assetBand.ValueKind != JsonValueKind.Null)
                {
                    fromCatalog["band"] = assetBand.TryGetInt32(out var chosen) ? chosen : throw Bad($"inputs.{name}.band: not a band number");
                }
                if (!byRole.TryAdd(name, fromCatalog))
                {
                    throw Bad($"inputs[{i}].role: '{name}' is given twice");
                }
                i++;
                continue;
            }
            if (!item.TryGetProperty("fileId", out var fileId) || fileId.ValueKind != JsonValueKind.Number || !fileId.TryGetInt64(out var id))
            {
                throw Bad($"inputs.{name}.fileId: missing or not a number (choose a file)");
            }
            // No band: the type's default (the first band, or all of them). A band given as null was left unchosen.
            object entry = new { fileId = id };
            if (item.TryGetProperty("band", out var b))
            {
                if (b.ValueKind == JsonValueKind.Null)
                {
                    throw Bad($"inputs.{name}.band: missing (choose a band of file {id})");
                }
                if (b.ValueKind != JsonValueKind.Number || !b.TryGetInt32(out var band))
                {
                    throw Bad($"inputs.{name}.band: not a band number");
                }
                entry = new { fileId = id, band };
            }
            if (!byRole.TryAdd(role.GetString()!, entry))
            {
                throw Bad($"inputs[{i}].role: '{role.GetString()}' is given twice");
            }
            i++;
        }
        return JsonSerializer.SerializeToElement(byRole);
    }

    private static ApiErrors.BadRequestException Bad(string message) => new(message);
}
