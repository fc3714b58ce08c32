using System.Globalization;
using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Host.Publishing;
using Tessera.Processing.Calculation;
using Tessera.Processing.Indices;
using Tessera.Raster.Alignment;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// Runs the spectral-index task types (NDVI 7, EVI 8, NDWI 9, NDBI 10, BAI 11).
/// Inputs: <c>{"nir": {"fileId": 3, "band": 1}, "red": {"fileId": 4}}</c>, one entry per role of the index.
/// Parameters (all optional): <c>{"scale": 0.0001, "offset": 0, "nodata": 0, "resampling": "bilinear"}</c>.
/// </summary>
public sealed class IndexTaskHandler(FileStore files, Previews previews) : FileTaskHandler(files, previews)
{
    public override IReadOnlyCollection<TaskType> Types { get; } =
        SpectralIndices.All.Select(i => (TaskType)i.TaskType).ToArray();

    protected override void Check(ProcessingTask task, IReadOnlyList<TaskInput> inputs)
    {
        var index = IndexOf(task);
        var missing = index.Roles.Where(r => inputs.All(i => !string.Equals(i.Role, r, StringComparison.OrdinalIgnoreCase))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{index.Name} needs input {string.Join(" and ", missing.Select(m => $"'{m}'"))}");
        }
    }

    public override Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var index = IndexOf(context.Task);
        var inputs = TaskInputs.Of(context.Task);
        var parameters = TaskInputs.Parameters(context.Task);
        double? Number(string name) => parameters.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var bands = index.Roles.Select(role =>
        {
            var input = inputs.First(i => string.Equals(i.Role, role, StringComparison.OrdinalIgnoreCase));
            var staged = TaskInputs.Staged(context.WorkFolder, input);
            return new BandInput(role, $"{staged}@{(input.Band ?? 1).ToString(CultureInfo.InvariantCulture)}",
                Number("scale"), Number("offset"), Number("nodata"));
        }).ToList();
        var resampling = Kinds.TaskKinds.ResamplingOf(parameters, Resampling.Nearest);
        var progress = new EngineProgress(context.Progress);
        var output = Path.Combine(context.WorkFolder, OutputFile);
        // CPU-bound: off the worker's async flow, on the engine's own threads.
        return Task.Run(() => Calculator.Run(new CalculationRequest(bands, index.Formula, output, index.Name, Resampling: resampling),
            progress, cancellationToken), cancellationToken);
    }

    private static SpectralIndex IndexOf(ProcessingTask task) =>
        SpectralIndices.All.Single(i => i.TaskType == (int)task.Type);
}
