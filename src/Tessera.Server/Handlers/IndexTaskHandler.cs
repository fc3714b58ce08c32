using System.Globalization;
using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Processing.Calculation;
using Tessera.Processing.Indices;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Server.Publishing;
using Tessera.Tasks;
using Tessera.Tasks.Workers;

namespace Tessera.Server.Handlers;

/// <summary>
/// Runs the spectral-index task types (NDVI 7, EVI 8, NDWI 9, NDBI 10, BAI 11).
/// Inputs: <c>{"nir": {"fileId": 3, "band": 1}, "red": {"fileId": 4}}</c>, one entry per role of the index.
/// Parameters (all optional): <c>{"scale": 0.0001, "offset": 0, "nodata": 0, "resampling": "bilinear"}</c>.
/// Download copies the input files from the file store into the work folder; processing computes the
/// index as a COG; publishing registers it in the file store as the task owner's file with its preview and legend, visible once
/// the task's publish commits.
/// </summary>
public sealed class IndexTaskHandler(FileStore files, Previews previews) : ITaskHandler
{
    private const string OutputFile = "output.tif";

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public IReadOnlyCollection<TaskType> Types { get; } =
        SpectralIndices.All.Select(i => (TaskType)i.TaskType).ToArray();

    private sealed record InputBand(long FileId, int Band = 1);

    private sealed record IndexParameters(double? Scale = null, double? Offset = null, double? NoData = null, string? Resampling = null);

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var index = IndexOf(context.Task);
        var inputs = Inputs(context.Task, index);
        var folder = Directory.CreateDirectory(Path.Combine(context.WorkFolder, "inputs")).FullName;
        var done = 0;
        foreach (var role in index.Roles)
        {
            var source = await files.PathOfAsync(inputs[role].FileId, context.Task.Owner, cancellationToken);
            await using (var from = File.OpenRead(source))
            await using (var to = File.Create(Path.Combine(folder, role + Path.GetExtension(source))))
            {
                await from.CopyToAsync(to, cancellationToken);
            }
            context.Progress.Report(new TaskProgress("download", ++done, index.Roles.Count));
        }
    }

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var index = IndexOf(context.Task);
        var inputs = Inputs(context.Task, index);
        var parameters = Parameters(context.Task);
        var folder = Path.Combine(context.WorkFolder, "inputs");
        var bands = index.Roles.Select(role =>
        {
            var staged = Directory.GetFiles(folder, role + ".*").Single();
            return new BandInput(role, $"{staged}@{inputs[role].Band.ToString(CultureInfo.InvariantCulture)}",
                parameters.Scale, parameters.Offset, parameters.NoData);
        }).ToList();
        var resampling = parameters.Resampling is null ? Resampling.Nearest : ResamplingNames.Parse(parameters.Resampling);
        var progress = new Progress(context.Progress);
        // CPU-bound: off the worker's async flow, on the engine's own threads.
        return Task.Run(() => Calculator.Run(new CalculationRequest(bands, index.Formula, Path.Combine(context.WorkFolder, OutputFile),
            index.Name, Resampling: resampling), progress, cancellationToken), cancellationToken);
    }

    public async Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        var name = string.IsNullOrWhiteSpace(task.OutputName) ? $"{task.Type.SeedName().ToLowerInvariant()}-{task.Id}.tif" : task.OutputName;
        var output = Path.Combine(context.WorkFolder, OutputFile);
        var companions = await Task.Run(() => previews.Render(output), cancellationToken);
        var stored = await files.AddProducedAsync(output, name, task.Owner, context.AttemptToken.ToString(), companions, cancellationToken);
        var bounds = stored.LonLatBounds is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"{b.MinX},{b.MinY},{b.MaxX},{b.MaxY}")
            : null;
        return new TaskResult(stored.Id, bounds);
    }

    public async Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) =>
        await files.DiscardPendingAsync(result.OutputFileId, context.AttemptToken.ToString(), cancellationToken);

    private static SpectralIndex IndexOf(ProcessingTask task) =>
        SpectralIndices.All.Single(i => i.TaskType == (int)task.Type);

    private static Dictionary<string, InputBand> Inputs(ProcessingTask task, SpectralIndex index)
    {
        Dictionary<string, InputBand>? inputs;
        try
        {
            inputs = JsonSerializer.Deserialize<Dictionary<string, InputBand>>(task.InputsJson, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"the task's inputs are not valid JSON: {e.Message}");
        }
        inputs = new Dictionary<string, InputBand>(inputs ?? [], StringComparer.OrdinalIgnoreCase);
        var missing = index.Roles.Where(r => !inputs.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{index.Name} needs input {string.Join(" and ", missing.Select(m => $"'{m}'"))}");
        }
        return inputs;
    }

    private static IndexParameters Parameters(ProcessingTask task)
    {
        try
        {
            return JsonSerializer.Deserialize<IndexParameters>(string.IsNullOrWhiteSpace(task.ParametersJson) ? "{}" : task.ParametersJson, Json)
                ?? new IndexParameters();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"the task's parameters are not valid JSON: {e.Message}");
        }
    }

    /// <summary>Engine progress (blocks, then the COG write) as the task's progress.</summary>
    private sealed class Progress(IProgress<TaskProgress> task) : IProgress<RasterProgress>
    {
        public void Report(RasterProgress value) => task.Report(new TaskProgress(value.Stage, value.Done, value.Total));
    }
}
