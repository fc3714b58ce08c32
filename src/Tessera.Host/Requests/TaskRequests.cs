using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Processing.Operations;
using Tessera.Raster;
using Tessera.Tasks;

namespace Tessera.Host.Requests;

/// <summary>
/// Checks the inputs and parameters of a new task against its operation's definition, completely, before it is
/// queued: every role present, each file the caller's raster, each band in range (and chosen where the operation
/// needs one band), every parameter known and of its type, then the operation's own checks on the inputs' headers.
/// Errors name the field (<c>inputs.nir.band</c>, <c>params.scale</c>) and never a server path.
/// </summary>
public static class TaskRequests
{
    /// <summary>What a checked request becomes: its parameters as given, what the caller should know, and the
    /// estimated size of the result.</summary>
    public sealed record Checked(string ParametersJson, IReadOnlyList<string> Warnings, long EstimatedOutputBytes);

    /// <summary>Checks <paramref name="inputs"/> (an object: role → {"fileId", "band"}) and <paramref name="parameters"/>
    /// for type <paramref name="number"/>.</summary>
    public static async Task<Checked> CheckAsync(int number, JsonElement inputs, JsonElement? parameters, string owner, FileStore files,
        CancellationToken cancellationToken)
    {
        var operation = OperationOf(number);
        var definition = operation.Inputs;
        var roles = definition.FreeRoles ? inputs.EnumerateObject().Select(p => p.Name).ToList() : definition.Roles.Select(r => r.Name).ToList();
        if (definition.FreeRoles && roles.Count < definition.MinInputs)
        {
            throw Bad($"inputs: {operation.Name} needs at least {definition.MinInputs} input{(definition.MinInputs == 1 ? "" : "s")}");
        }
        var values = ParameterValues.Parse(parameters ?? default, operation);
        foreach (var role in roles.Where(r => !inputs.TryGetProperty(r, out var input) || input.ValueKind != JsonValueKind.Object))
        {
            throw Bad($"inputs.{role}: missing ({operation.Name} needs {string.Join(", ", roles)})");
        }
        var checkedInputs = new List<OperationInput>();
        foreach (var role in roles)
        {
            var input = inputs.GetProperty(role);
            if (!input.TryGetProperty("fileId", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var fileId))
            {
                throw Bad($"inputs.{role}.fileId: missing or not a number");
            }
            var file = await files.GetAsync(fileId, owner, cancellationToken) ?? throw Bad($"inputs.{role}.fileId: file {fileId} does not exist");
            var raster = file.Raster ?? throw Bad($"inputs.{role}.fileId: file {fileId} is a table ({file.Name}), not a raster");
            int? band = null;
            if (input.TryGetProperty("band", out var b) && b.ValueKind != JsonValueKind.Null)
            {
                if (definition.WholeFiles)
                {
                    throw Bad($"inputs.{role}.band: {operation.Name} takes whole files (all their bands); give no band");
                }
                if (!b.TryGetInt32(out var chosen) || chosen < 1 || chosen > raster.BandCount)
                {
                    throw Bad($"inputs.{role}.band: band {b} does not exist (file {fileId} has {raster.BandCount} band{(raster.BandCount == 1 ? "" : "s")})");
                }
                band = chosen;
            }
            else if (definition.IsOneBand(role) && raster.BandCount > 1)
            {
                throw Bad($"inputs.{role}.band: file {fileId} has {raster.BandCount} bands; choose one");
            }
            checkedInputs.Add(new OperationInput(role, await files.PathOfAsync(fileId, owner, cancellationToken), band, $"input '{role}' (file {fileId})"));
        }
        foreach (var extra in inputs.EnumerateObject().Select(p => p.Name).Where(n => !roles.Contains(n)))
        {
            throw Bad($"inputs.{extra}: not an input of {operation.Name} (it takes {Listing.And(roles)})");
        }
        var warnings = new List<string>();
        long estimate;
        try
        {
            operation.Check(checkedInputs, values);
            warnings.AddRange(operation.Warnings(checkedInputs, values));
            estimate = operation.EstimateOutputBytes(checkedInputs, values);
        }
        catch (RasterException e)
        {
            throw Bad("inputs: " + Hide(e.Message, checkedInputs));
        }
        catch (OperationRequestException e)
        {
            throw Bad(Hide(e.Message, checkedInputs));
        }
        return new Checked(parameters is { ValueKind: JsonValueKind.Object } p ? p.GetRawText() : "{}", warnings, estimate);
    }

    /// <summary>The operation of a type number; a 400 naming the field <c>type</c> and the types there are when none.</summary>
    public static Operation OperationOf(int number) =>
        OperationCatalog.Find(number) ?? throw Bad($"type: {number} is not a task type ({Types()})");

    /// <summary>The types, as an error listing them says them: "FUSION 1, MOSAIC 2, ...".</summary>
    private static string Types() => string.Join(", ", OperationCatalog.All.Select(o => $"{o.Name} {o.Number}"));

    /// <summary>A message with every input's path replaced by how the caller knows it.</summary>
    private static string Hide(string message, IReadOnlyList<OperationInput> inputs)
    {
        foreach (var input in inputs.OrderByDescending(i => i.Path.Length))
        {
            message = message.Replace(input.Path, input.Shown, StringComparison.Ordinal);
        }
        return message;
    }

    private static TaskRequestException Bad(string message) => new(message);
}
