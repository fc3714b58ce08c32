using Tessera.Catalog.Files;
using Tessera.Host.Kinds;
using Tessera.Host.Publishing;
using Tessera.Processing.Fusion;
using Tessera.Raster.Alignment;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// FUSION (1): <c>pan</c> (a band) and <c>ms</c> (a multispectral file, all its bands, or one band) →
/// pan-sharpened. Parameters: <c>method</c> (brovey, weighted-brovey, ihs, gram-schmidt, hpf), <c>weights</c>, <c>resampling</c>.
/// </summary>
public sealed class FusionTaskHandler(FileStore files, Previews previews) : FileTaskHandler(files, previews)
{
    public override IReadOnlyCollection<TaskType> Types { get; } = [TaskType.Fusion];

    public override Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var parameters = TaskInputs.Parameters(context.Task);
        var inputs = TaskInputs.Of(context.Task).ToDictionary(i => i.Role);
        string Spec(string role) => TaskInputs.StagedSpec(context.WorkFolder, inputs, role, context.Task.Type);
        var request = new PansharpenRequest(Spec("pan"), [Spec("ms")], Path.Combine(context.WorkFolder, OutputFile),
            TaskKinds.Text(parameters, "method") is { } m ? PansharpenMethods.Parse(m) : PansharpenMethod.Brovey,
            TaskKinds.WeightsOf(parameters),
            TaskKinds.ResamplingOf(parameters, Resampling.Bilinear));
        var progress = new EngineProgress(context.Progress);
        return Task.Run(() => Pansharpener.Run(request, progress, cancellationToken), cancellationToken);
    }
}
