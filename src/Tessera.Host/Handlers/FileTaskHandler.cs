using System.Globalization;
using Tessera.Catalog.Files;
using Tessera.Host.Publishing;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// The stages every raster task shares. Download copies each input file from the file store into the work
/// folder (<c>inputs/ROLE.ext</c>); the type computes <c>output.tif</c> there (or a table, see
/// <see cref="TableOutput"/>); publishing registers it in the file store as the owner's file, with its preview and
/// legend for a raster, visible once the task's publish commits.
/// </summary>
public abstract class FileTaskHandler(FileStore files, Previews previews) : ITaskHandler
{
    protected const string OutputFile = "output.tif";

    /// <summary>For a type whose result is a table: its file name in the work folder (its extension says the
    /// format); null for rasters.</summary>
    protected virtual string? TableOutput(ProcessingTask task) => null;

    public abstract IReadOnlyCollection<TaskType> Types { get; }

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var inputs = TaskInputs.Of(context.Task);
        Check(context.Task, inputs);
        var folder = Directory.CreateDirectory(Path.Combine(context.WorkFolder, "inputs")).FullName;
        var done = 0;
        foreach (var input in inputs)
        {
            var source = await files.PathOfAsync(input.FileId, context.Task.Owner, cancellationToken);
            var staged = TaskInputs.Staged(context.WorkFolder, input);
            context.Name(staged, $"input '{input.Role}' (file {input.FileId})");
            context.Name(source, $"file {input.FileId}");
            await using (var from = File.OpenRead(source))
            await using (var to = File.Create(staged))
            {
                await from.CopyToAsync(to, cancellationToken);
            }
            // Opened once as this process's file policy allows (a GeoTIFF, sane blocks): a file that slipped into the
            // store before those checks fails here, naming the input, instead of somewhere inside the processing.
            using (Tessera.Raster.RasterDataset.Open(staged))
            {
            }
            context.Progress.Report(new TaskProgress("download", ++done, inputs.Count));
        }
    }

    public abstract Task ProcessAsync(TaskContext context, CancellationToken cancellationToken);

    public async Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        var table = TableOutput(task);
        var extension = table is null ? ".tif" : Path.GetExtension(table);
        var name = string.IsNullOrWhiteSpace(task.OutputName) ? $"{task.Type.SeedName().ToLowerInvariant()}-{task.Id}{extension}" : task.OutputName;
        var output = Path.Combine(context.WorkFolder, table ?? OutputFile);
        context.Name(output, "the result");
        var companions = table is null ? await Task.Run(() => previews.Render(output), cancellationToken) : null;
        var stored = await files.AddProducedAsync(output, name, task.Owner, context.AttemptToken.ToString(), companions, cancellationToken,
            table: table is not null);
        var bounds = stored.LonLatBounds is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"{b.MinX},{b.MinY},{b.MaxX},{b.MaxY}")
            : null;
        return new TaskResult(stored.Id, bounds);
    }

    public async Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) =>
        await files.DiscardPendingAsync(result.OutputFileId, context.AttemptToken.ToString(), cancellationToken);

    /// <summary>Checks the inputs before anything is copied (a type's own rules); throws to fail the download.</summary>
    protected virtual void Check(ProcessingTask task, IReadOnlyList<TaskInput> inputs)
    {
    }

    /// <summary>Engine progress (blocks, then the COG write) as the task's progress.</summary>
    protected sealed class EngineProgress(IProgress<TaskProgress> task) : IProgress<Tessera.Raster.Blocks.RasterProgress>
    {
        public void Report(Tessera.Raster.Blocks.RasterProgress value) => task.Report(new TaskProgress(value.Stage, value.Done, value.Total));
    }
}
