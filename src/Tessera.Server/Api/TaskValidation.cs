using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Host.Kinds;
using Tessera.Tasks;

namespace Tessera.Server.Api;

/// <summary>
/// Checks a new task before it is queued, naming the field at fault: the type, its inputs (every role of
/// the type present, each file existing and the caller's, each band in range) and its parameters.
/// </summary>
internal static class TaskValidation
{
    public static async Task<NewTask> CheckAsync(AddTaskRequest request, string owner, FileStore files, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(request.Name) ? throw Bad("name: required") : request.Name.Trim();
        if (request.Type is not { } number || !TaskTypeNames.IsDefined(number))
        {
            throw Bad($"type: {(request.Type?.ToString() ?? "missing")} is not a task type (FUSION 1, MOSAIC 2, Cloud_Remove 4, BAND_MERGED 6, NDVI 7, EVI 8, NDWI 9, NDBI 10, BAI 11, CROP 12)");
        }
        var type = (TaskType)number;
        var kind = TaskKinds.Find(type) ?? throw Bad($"type: {type.SeedName()} ({number}) cannot be run by this version yet");
        var inputs = Normalise(request.Inputs);
        var roles = kind.FreeRoles ? inputs.EnumerateObject().Select(p => p.Name).ToList() : kind.Roles;
        if (kind.FreeRoles && roles.Count < kind.MinInputs)
        {
            throw Bad($"inputs: {kind.Name} needs at least {kind.MinInputs} input{(kind.MinInputs == 1 ? "" : "s")}");
        }
        foreach (var role in roles)
        {
            CheckRole(role);
            if (!inputs.TryGetProperty(role, out var input) || input.ValueKind != JsonValueKind.Object)
            {
                throw Bad($"inputs.{role}: missing ({kind.Name} needs {string.Join(", ", roles)})");
            }
            if (!input.TryGetProperty("fileId", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var fileId))
            {
                throw Bad($"inputs.{role}.fileId: missing or not a number");
            }
            var file = await files.GetAsync(fileId, owner, cancellationToken) ?? throw Bad($"inputs.{role}.fileId: file {fileId} does not exist");
            var raster = file.Raster ?? throw Bad($"inputs.{role}.fileId: file {fileId} is a table ({file.Name}), not a raster");
            if (kind.WholeFiles && input.TryGetProperty("band", out var whole) && whole.ValueKind != JsonValueKind.Null)
            {
                throw Bad($"inputs.{role}.band: {kind.Name} takes whole files (all their bands); give no band");
            }
            if (input.TryGetProperty("band", out var b) && b.ValueKind != JsonValueKind.Null
                && (!b.TryGetInt32(out var band) || band < 1 || band > raster.BandCount))
            {
                throw Bad($"inputs.{role}.band: band {b} does not exist (file {fileId} has {raster.BandCount} band{(raster.BandCount == 1 ? "" : "s")})");
            }
        }
        var given = request.Params ?? request.Parameters;
        var parameters = given is { ValueKind: JsonValueKind.Object } p ? p.GetRawText()
            : given is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } ? "{}"
            : throw Bad("params: an object");
        using (var parsed = JsonDocument.Parse(parameters))
        {
            kind.CheckParams?.Invoke(parsed.RootElement, roles);
        }
        if (request.OutputName is { } outputName && FileNames.TryPlain(outputName, out var problem) is null)
        {
            throw Bad($"outputName: {problem}; give a plain file name such as ndvi.tif");
        }
        var outputPath = request.OutputPath ?? request.OutputFolder;
        if (outputPath is not null && (outputPath.Split('/', '\\').Contains("..") || Path.IsPathRooted(outputPath)))
        {
            throw Bad("outputPath: a relative folder inside the caller's space, without '..'");
        }
        return new NewTask(name, type, owner, inputs.GetRawText(), outputPath, request.OutputName, parameters);
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
