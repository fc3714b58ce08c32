using Tessera.Catalog.Files;
using Tessera.Host.Kinds;
using Tessera.Host.Publishing;
using Tessera.Processing.Clouds;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// Cloud_Remove (4), the seed's inputs: <c>cloudy</c>, <c>mask</c> and <c>clear</c> (each a file, or one band of
/// it). Parameters: <c>maskKind</c> (raster, scl, qa-pixel, bqa), <c>sclClasses</c>, <c>dilate</c>, <c>feather</c>.
/// </summary>
public sealed class CloudRemovalTaskHandler(FileStore files, Previews previews) : FileTaskHandler(files, previews)
{
    public override IReadOnlyCollection<TaskType> Types { get; } = [TaskType.CloudRemove];

    public override Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var parameters = TaskInputs.Parameters(context.Task);
        var inputs = TaskInputs.Of(context.Task).ToDictionary(i => i.Role);
        string Spec(string role) => TaskInputs.StagedSpec(context.WorkFolder, inputs, role, context.Task.Type);
        var request = new CloudRemovalRequest(Spec("cloudy"), Spec("clear"), Spec("mask"), TaskKinds.CloudMaskOf(parameters),
            Path.Combine(context.WorkFolder, OutputFile), TaskKinds.Count(parameters, "dilate", 0), TaskKinds.Count(parameters, "feather", 3));
        var progress = new EngineProgress(context.Progress);
        return Task.Run(() => CloudRemover.Run(request, progress, cancellationToken), cancellationToken);
    }
}
