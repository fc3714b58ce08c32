using Tessera.Catalog.Files;
using Tessera.Host.Kinds;
using Tessera.Host.Publishing;
using Tessera.Processing.Clouds;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// COMPOSITE (14): inputs in pairs, in order (any role names): an image (a file, or one band of it), then its
/// cloud mask. Per pixel, the median (or the clearest) of the clear observations, on the first image's grid.
/// Parameters: <c>method</c> (median, clearest), <c>maskKind</c> (raster, scl, qa-pixel, bqa), <c>sclClasses</c>.
/// </summary>
public sealed class CompositeTaskHandler(FileStore files, Previews previews) : FileTaskHandler(files, previews)
{
    public override IReadOnlyCollection<TaskType> Types { get; } = [TaskType.Composite];

    public override Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        var parameters = TaskInputs.Parameters(task);
        var inputs = TaskInputs.Of(task);
        var byRole = inputs.ToDictionary(i => i.Role);
        var specs = inputs.Select(i => TaskInputs.StagedSpec(context.WorkFolder, byRole, i.Role, task.Type)).ToList();
        var images = specs.Where((_, i) => i % 2 == 0).ToList();
        var masks = specs.Where((_, i) => i % 2 == 1).ToList();
        var method = TaskKinds.Text(parameters, "method") is { } m ? CompositeMethods.Parse(m) : CompositeMethod.Median;
        var progress = new EngineProgress(context.Progress);
        return Task.Run(() => Compositor.Run(images, masks, TaskKinds.CloudMaskOf(parameters), method, Path.Combine(context.WorkFolder, OutputFile),
            progress: progress, cancellationToken: cancellationToken), cancellationToken);
    }
}
