using System.Globalization;
using Tessera.Catalog.Files;
using Tessera.Host.Kinds;
using Tessera.Host.Publishing;
using Tessera.Processing.Stacking;
using Tessera.Raster.Alignment;
using Tessera.Raster;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// Band merge (BAND_MERGED 6) and crop (CROP 12): bands of the inputs stacked onto one grid.
/// Merge: inputs are any roles, in output order (a band, or all bands of the file); the output bands are named
/// after the roles; parameters <c>resampling</c>, <c>reference</c> (a role), <c>bbox</c> and <c>bboxCrs</c>.
/// Crop: input <c>image</c> (all its bands); parameters <c>bbox</c> + <c>bboxCrs</c>, or <c>cutline</c> (GeoJSON).
/// </summary>
public sealed class StackTaskHandler(FileStore files, Previews previews) : FileTaskHandler(files, previews)
{
    public override IReadOnlyCollection<TaskType> Types { get; } = [TaskType.BandMerged, TaskType.Crop];

    public override Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        var parameters = TaskInputs.Parameters(task);
        var bands = new List<BandSource>();
        var descriptions = new List<string>();
        foreach (var input in TaskInputs.Of(task))
        {
            var path = TaskInputs.Staged(context.WorkFolder, input);
            using var ds = RasterDataset.Open(path);
            var chosen = input.Band is { } b ? [b] : Enumerable.Range(1, ds.BandCount).ToArray();
            foreach (var band in chosen)
            {
                bands.Add(new BandSource(input.Role, path, band));
                var own = ds.Band(band).Description;
                descriptions.Add(task.Type == TaskType.Crop && own.Length > 0 ? own
                    : chosen.Length == 1 ? input.Role : $"{input.Role} {band.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        string? cutline = null;
        if (task.Type == TaskType.Crop && parameters.TryGetProperty("cutline", out var c) && c.ValueKind != System.Text.Json.JsonValueKind.Null)
        {
            cutline = Path.Combine(context.WorkFolder, "cutline.geojson");
            File.WriteAllText(cutline, TaskKinds.CutlineText(c));
        }
        var request = new StackRequest(bands, Path.Combine(context.WorkFolder, OutputFile),
            Reference: TaskKinds.Text(parameters, "reference"),
            Resampling: TaskKinds.ResamplingOf(parameters, Resampling.Nearest),
            Box: TaskKinds.BoxOf(parameters), Cutline: cutline, Descriptions: descriptions);
        var progress = new EngineProgress(context.Progress);
        return Task.Run(() => BandStacker.Run(request, progress, cancellationToken), cancellationToken);
    }
}
