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
    /// <summary>What a checked request becomes: its parameters as given, what the caller should know, the
    /// estimated size of the result, and the whole result's grid when it can be computed in parts (and none was asked).</summary>
    public sealed record Checked(string ParametersJson, IReadOnlyList<string> Warnings, long EstimatedOutputBytes, RasterGrid? Splittable = null);

    /// <summary>Checks <paramref name="inputs"/> (an object: role → {"fileId", "band"} or {"item", "asset", "band"}) and
    /// <paramref name="parameters"/> for type <paramref name="number"/>. A catalog asset that is not on this machine yet
    /// is downloaded when the task runs: its bands and grid are checked then, and the caller is told so.</summary>
    public static async Task<Checked> CheckAsync(int number, JsonElement inputs, JsonElement? parameters, string owner, FileStore files,
        CancellationToken cancellationToken, Tessera.Host.Catalog.CatalogAssets? assets = null)
    {
        var later = new List<string>(); // inputs whose headers are read when the task runs
        var operation = OperationOf(number);
        var definition = operation.Inputs;
        var roles = definition.FreeRoles ? inputs.EnumerateObject().Select(p => p.Name).ToList() : definition.Roles.Select(r => r.Name).ToList();
        if (definition.FreeRoles && roles.Count < definition.MinInputs)
        {
            throw Bad($"inputs: {operation.Name} needs at least {definition.MinInputs} input{(definition.MinInputs == 1 ? "" : "s")}");
        }
        var values = ParameterValues.Parse(parameters ?? default, operation);
        foreach (var parameter in operation.Parameters.Where(p => p.Type == ParameterType.StoredFile))
        {
            if (values.FileId(parameter.Name) is { } id)
            {
                var stored = await files.GetAsync(id, owner, cancellationToken) ?? throw Bad($"params.{parameter.Name}: file {id} does not exist");
                if (stored.Kind != "vector")
                {
                    throw Bad($"params.{parameter.Name}: file {id} is a {stored.Kind} ({stored.Name}), not a vector file (GeoJSON, GeoPackage or zipped shapefile)");
                }
            }
        }
        foreach (var role in roles.Where(r => !inputs.TryGetProperty(r, out var input) || input.ValueKind != JsonValueKind.Object))
        {
            throw Bad($"inputs.{role}: missing ({operation.Name} needs {string.Join(", ", roles)})");
        }
        var checkedInputs = new List<OperationInput>();
        foreach (var role in roles)
        {
            var input = inputs.GetProperty(role);
            if (input.TryGetProperty("task", out var taskRef))
            {
                if (taskRef.ValueKind != JsonValueKind.Number || !taskRef.TryGetInt64(out var taskId) || taskId < 1)
                {
                    throw Bad($"inputs.{role}.task: a task id");
                }
                if (definition.WholeFiles && input.TryGetProperty("band", out var taskBand) && taskBand.ValueKind != JsonValueKind.Null)
                {
                    throw Bad($"inputs.{role}.band: {operation.Name} takes whole files (all their bands); give no band");
                }
                later.Add($"inputs.{role}: the result of task {taskId} is read when this task runs (it waits for it); its bands and grid are checked then");
                continue;
            }
            if (input.TryGetProperty("item", out var itemRef))
            {
                if (await CatalogInputAsync(role, input, itemRef.GetString() ?? "", definition, operation, owner, assets, cancellationToken) is { } local)
                {
                    checkedInputs.Add(local);
                }
                else
                {
                    later.Add($"inputs.{role}: the catalog asset is downloaded when the task runs; its bands and grid are checked then");
                }
                continue;
            }
            if (!input.TryGetProperty("fileId", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var fileId))
            {
                throw Bad($"inputs.{role}.fileId: missing or not a number");
            }
            var file = await files.GetAsync(fileId, owner, cancellationToken) ?? throw Bad($"inputs.{role}.fileId: file {fileId} does not exist");
            var raster = file.Raster ?? throw Bad($"inputs.{role}.fileId: file {fileId} is a {file.Kind} ({file.Name}), not a raster");
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
        if (later.Count > 0)
        {
            // Not here yet (a remote asset, another task's result): the bands and grid are checked in the task's DOWNLOADING stage.
            warnings.AddRange(later);
            return new Checked(parameters is { ValueKind: JsonValueKind.Object } given ? given.GetRawText() : "{}", warnings, 0);
        }
        long estimate;
        RasterGrid? splittable = null;
        try
        {
            operation.Check(checkedInputs, values);
            warnings.AddRange(operation.Warnings(checkedInputs, values));
            estimate = operation.EstimateOutputBytes(checkedInputs, values);
            if (operation.Splits && operation.OutputGrid(checkedInputs, values) is { } whole)
            {
                if (CommonParameters.PartOf(values, whole) is { } part)
                {
                    estimate = (long)(estimate * ((double)part.PixelCount / whole.FullWindow.PixelCount));
                }
                else
                {
                    splittable = whole;
                }
            }
        }
        catch (RasterException e)
        {
            throw Bad("inputs: " + Hide(e.Message, checkedInputs));
        }
        catch (OperationRequestException e)
        {
            throw Bad(Hide(e.Message, checkedInputs));
        }
        return new Checked(parameters is { ValueKind: JsonValueKind.Object } p ? p.GetRawText() : "{}", warnings, estimate, splittable);
    }

    /// <summary>
    /// A catalog item's asset as an input: checked like a file when it lies on this machine (its bands read), otherwise
    /// only that it exists and looks like a raster (null: it is downloaded and checked when the task runs).
    /// </summary>
    private static async Task<OperationInput?> CatalogInputAsync(string role, JsonElement input, string itemRef, OperationInputs definition,
        Operation operation, string owner, Tessera.Host.Catalog.CatalogAssets? assets, CancellationToken cancellationToken)
    {
        if (assets is null)
        {
            throw Bad($"inputs.{role}.item: this server has no catalog to take inputs from");
        }
        var key = input.TryGetProperty("asset", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : throw Bad($"inputs.{role}.asset: missing");
        Tessera.Catalog.Scenes.CatalogAsset asset;
        try
        {
            (_, asset) = await assets.FindAsync(itemRef, key, owner, cancellationToken);
        }
        catch (Tessera.Catalog.CatalogException e)
        {
            throw Bad($"inputs.{role}.item: {e.Message}");
        }
        int? band = input.TryGetProperty("band", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetInt32() : null;
        if (band is not null && definition.WholeFiles)
        {
            throw Bad($"inputs.{role}.band: {operation.Name} takes whole files (all their bands); give no band");
        }
        var shown = $"input '{role}' (asset {key} of {itemRef})";
        if (Tessera.Host.Catalog.CatalogAssets.LocalPathOf(asset) is not { } path)
        {
            var looksRaster = (asset.MediaType ?? "").Contains("tiff", StringComparison.OrdinalIgnoreCase)
                || (asset.MediaType ?? "").Contains("jp2", StringComparison.OrdinalIgnoreCase)
                || asset.Href.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) || asset.Href.EndsWith(".tiff", StringComparison.OrdinalIgnoreCase);
            return looksRaster ? null : throw Bad($"inputs.{role}.asset: asset {key} of {itemRef} is not a raster ({asset.MediaType ?? "no media type"})");
        }
        int bands;
        try
        {
            using var dataset = RasterDataset.Open(path);
            bands = dataset.BandCount;
        }
        catch (RasterException e)
        {
            throw Bad($"inputs.{role}.asset: asset {key} of {itemRef} cannot be read: {e.Message.Replace(path, $"asset {key}", StringComparison.Ordinal)}");
        }
        if (band is < 1 || band > bands)
        {
            throw Bad($"inputs.{role}.band: band {band} does not exist (asset {key} of {itemRef} has {bands} band{(bands == 1 ? "" : "s")})");
        }
        if (band is null && definition.IsOneBand(role) && bands > 1)
        {
            throw Bad($"inputs.{role}.band: asset {key} of {itemRef} has {bands} bands; choose one");
        }
        return new OperationInput(role, path, band, shown);
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
