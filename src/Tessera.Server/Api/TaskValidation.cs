using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Processing.Indices;
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
            throw Bad($"type: {(request.Type?.ToString() ?? "missing")} is not a task type (FUSION 1, MOSAIC 2, Cloud_Remove 4, BAND_MERGED 6, NDVI 7, EVI 8, NDWI 9, NDBI 10, BAI 11)");
        }
        var type = (TaskType)number;
        var index = SpectralIndices.All.FirstOrDefault(i => i.TaskType == number)
            ?? throw Bad($"type: {type.SeedName()} ({number}) cannot be run by this version yet");
        if (request.Inputs.ValueKind != JsonValueKind.Object)
        {
            throw Bad("inputs: an object mapping each role to {\"fileId\": n, \"band\": b}");
        }
        foreach (var role in index.Roles)
        {
            if (!request.Inputs.TryGetProperty(role, out var input) || input.ValueKind != JsonValueKind.Object)
            {
                throw Bad($"inputs.{role}: missing ({index.Name} needs {string.Join(", ", index.Roles)})");
            }
            if (!input.TryGetProperty("fileId", out var id) || !id.TryGetInt64(out var fileId))
            {
                throw Bad($"inputs.{role}.fileId: missing or not a number");
            }
            var file = await files.GetAsync(fileId, owner, cancellationToken) ?? throw Bad($"inputs.{role}.fileId: file {fileId} does not exist");
            var band = 1;
            if (input.TryGetProperty("band", out var b) && (!b.TryGetInt32(out band) || band < 1 || band > file.Raster.BandCount))
            {
                throw Bad($"inputs.{role}.band: band {b} does not exist (file {fileId} has {file.Raster.BandCount} band{(file.Raster.BandCount == 1 ? "" : "s")})");
            }
        }
        var parameters = request.Parameters is { ValueKind: JsonValueKind.Object } p ? p.GetRawText()
            : request.Parameters is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } ? "{}"
            : throw Bad("parameters: an object");
        if (request.OutputName is { } outputName && (outputName.IndexOfAny(['/', '\\']) >= 0 || outputName.StartsWith('.')))
        {
            throw Bad("outputName: a plain file name such as ndvi.tif");
        }
        return new NewTask(name, type, owner, request.Inputs.GetRawText(), request.OutputFolder, request.OutputName, parameters);
    }

    private static ApiErrors.BadRequestException Bad(string message) => new(message);
}
