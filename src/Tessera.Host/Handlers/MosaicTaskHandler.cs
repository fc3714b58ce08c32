using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Host.Kinds;
using Tessera.Host.Publishing;
using Tessera.Processing.Mosaic;
using Tessera.Raster.Alignment;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// MOSAIC (2): the input files (any role names, in order; whole files) stitched over the union of their
/// footprints. Parameters: <c>method</c> (feather, first, last, min, max, mean), <c>crs</c>, <c>resolution</c>,
/// <c>resampling</c>, <c>harmonize</c> (true: per-band gain and offset fitted on the overlaps).
/// </summary>
public sealed class MosaicTaskHandler(FileStore files, Previews previews) : FileTaskHandler(files, previews)
{
    public override IReadOnlyCollection<TaskType> Types { get; } = [TaskType.Mosaic];

    public override Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var parameters = TaskInputs.Parameters(context.Task);
        var inputs = TaskInputs.Of(context.Task).Select(i => TaskInputs.Staged(context.WorkFolder, i)).ToList();
        var request = new MosaicRequest(inputs, Path.Combine(context.WorkFolder, OutputFile),
            TaskKinds.Text(parameters, "method") is { } m ? MosaicMethods.Parse(m) : MosaicMethod.Feather,
            Crs: TaskKinds.Text(parameters, "crs"),
            Resolution: parameters.TryGetProperty("resolution", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null,
            Resampling: TaskKinds.ResamplingOf(parameters, Resampling.Nearest),
            Harmonize: TaskKinds.Flag(parameters, "harmonize"));
        var progress = new EngineProgress(context.Progress);
        return Task.Run(() => Mosaicker.Run(request, progress, cancellationToken), cancellationToken);
    }
}
