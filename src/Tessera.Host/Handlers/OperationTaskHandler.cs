using System.Globalization;
using Tessera.Catalog.Files;
using Tessera.Host.Publishing;
using Tessera.Processing.Operations;
using Tessera.Tasks.Workers;
using Tessera.Tasks;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Host.Handlers;

/// <summary>
/// Runs every processing type from its definition (<see cref="OperationCatalog"/>), in the seed's three stages.
/// Download copies each input file from the file store into the work folder under a name the worker chooses
/// (<c>inputs/N.tif</c>); processing parses the task's parameters once, against the definition, and runs the
/// operation into the work folder; publishing registers the result in the file store as the owner's file, with its
/// preview and legend for a raster, visible once the task's publish commits. A task split into parts (see
/// <see cref="Requests.TaskSplit"/>) stages its parts' results too, and stitches them instead of computing; a part
/// computes only its window (<see cref="TaskParts"/>).
/// </summary>
public sealed class OperationTaskHandler(FileStore files, Previews previews, Tessera.Host.Catalog.CatalogAssets? assets = null,
    Tessera.Tasks.Stores.ITaskStore? tasks = null) : ITaskHandler
{
    public IReadOnlyCollection<TaskType> Types { get; } = OperationCatalog.All.Select(o => new TaskType(o.Number)).ToArray();

    private static Operation OperationOf(ProcessingTask task) =>
        OperationCatalog.Find(task.Type.Number) ?? throw new InvalidOperationException($"task type {task.Type} is not defined here");

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var inputs = TaskInputs.Of(context.Task);
        var operation = OperationOf(context.Task);
        // Checked when the task was added; a task that reached the queue another way is refused here, by name.
        foreach (var role in operation.Inputs.Roles.Where(r => inputs.All(i => !string.Equals(i.Role, r.Name, StringComparison.OrdinalIgnoreCase))))
        {
            throw new InvalidOperationException($"{operation.Name} needs input '{role.Name}'");
        }
        var folder = Directory.CreateDirectory(Path.Combine(context.WorkFolder, "inputs")).FullName;
        var done = 0;
        foreach (var input in inputs)
        {
            var source = input.FileId is { } fileId
                ? await files.PathOfAsync(fileId, context.Task.Owner, cancellationToken)
                : input.Task is { } other ? await ResultOfAsync(context, input, other, cancellationToken)
                : await CatalogSourceAsync(context, input, cancellationToken);
            var staged = TaskInputs.Staged(context.WorkFolder, input);
            context.Name(staged, $"input '{input.Role}' ({input.Shown})");
            context.Name(source, input.Shown);
            // Linked where the file system allows: the stored file is never written again, nor is the staged one.
            await FileLinks.LinkOrCopyAsync(source, staged, cancellationToken);
            // Opened once as this process's file policy allows (a GeoTIFF, sane blocks): a file that slipped into the
            // store before those checks fails here, naming the input, instead of somewhere inside the processing.
            using (var opened = Tessera.Raster.RasterDataset.Open(staged))
            {
                await context.LogAsync(string.Create(CultureInfo.InvariantCulture,
                    $"input '{input.Role}' ({input.Shown}): {opened.Width} x {opened.Height} pixels, {opened.BandCount} band(s){(input.Band is { } band ? $", band {band} read" : "")}, {new FileInfo(staged).Length} bytes"));
            }
            context.Progress.Report(new TaskProgress("download", ++done, inputs.Count));
        }
        // Stored files the parameters name (zones): staged beside the inputs, as they are.
        var values = ParameterValues.Parse(context.Task.ParametersJson, operation);
        foreach (var (name, fileId) in StoredFilesOf(operation, values))
        {
            var stored = await files.GetAsync(fileId, context.Task.Owner, cancellationToken)
                ?? throw new InvalidOperationException($"params.{name}: file {fileId} does not exist");
            var source = await files.PathOfAsync(fileId, context.Task.Owner, cancellationToken);
            var staged = StagedFile(context.WorkFolder, name, stored.Name);
            context.Name(staged, $"params.{name} (file {fileId})");
            context.Name(source, $"file {fileId}");
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            await FileLinks.LinkOrCopyAsync(source, staged, cancellationToken);
        }
        if (tasks is not null)
        {
            await TaskParts.StageAsync(context, tasks, files, cancellationToken);
        }
        if (inputs.Any(i => i.FileId is null))
        {
            // Catalog assets and other tasks' results were checked by name only when the task was added: their bands and
            // grid are checked now.
            var staged = inputs.Select(i => new OperationInput(i.Role, TaskInputs.Staged(context.WorkFolder, i), i.Band, $"input '{i.Role}' ({i.Shown})")).ToList();
            var parameters = ParameterValues.Parse(context.Task.ParametersJson, operation);
            try
            {
                operation.Check(staged, parameters);
            }
            catch (OperationRequestException e)
            {
                throw new InvalidOperationException(e.Message);
            }
        }
    }

    /// <summary>The stored files a task's parameters name, by parameter (<see cref="ParameterType.StoredFile"/>).</summary>
    public static IEnumerable<(string Name, long FileId)> StoredFilesOf(Operation operation, ParameterValues values) =>
        operation.Parameters.Where(p => p.Type == ParameterType.StoredFile && values.FileId(p.Name) is not null)
            .Select(p => (p.Name, values.FileId(p.Name)!.Value));

    /// <summary>Where a parameter's stored file is staged: <c>inputs/params/NAME.EXT</c>, keeping the file's extension (its format).</summary>
    private static string StagedFile(string workFolder, string parameter, string fileName) =>
        Path.Combine(workFolder, "inputs", "params", parameter + Path.GetExtension(fileName).ToLowerInvariant());

    /// <summary>The result of another task of the owner's, which must be done.</summary>
    private async Task<string> ResultOfAsync(TaskContext context, TaskInput input, long id, CancellationToken cancellationToken)
    {
        var other = (tasks is null ? null : await tasks.GetAsync(id, cancellationToken)) is { } found && found.Owner == context.Task.Owner ? found
            : throw new InvalidOperationException($"input '{input.Role}': task {id} does not exist");
        return other is { Status: TaskStatus.PublishCompleted, Result: { } result }
            ? await files.PathOfAsync(result.OutputFileId, context.Task.Owner, cancellationToken)
            : throw new InvalidOperationException($"input '{input.Role}': task {id} is {other.Status.SeedName()}" +
                (other.ErrorMessage is { Length: > 0 } error ? $" ({error})" : "") + ", not done: it has no result to take");
    }

    /// <summary>A catalog asset on this machine (downloaded first when it is remote), with the download's progress as the task's.</summary>
    private async Task<string> CatalogSourceAsync(TaskContext context, TaskInput input, CancellationToken cancellationToken)
    {
        if (assets is null)
        {
            throw new InvalidOperationException($"input '{input.Role}': this worker has no catalog to take {input.Shown} from");
        }
        var (item, asset) = await assets.FindAsync(input.Item!, input.Asset!, context.Task.Owner, cancellationToken);
        return await assets.EnsureLocalAsync(item, asset, context.Progress, cancellationToken);
    }

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        var operation = OperationOf(task);
        var parameters = ParameterValues.Parse(task.ParametersJson, operation);
        var inputs = TaskInputs.Of(task).Select(i => new OperationInput(i.Role, TaskInputs.Staged(context.WorkFolder, i), i.Band)).ToList();
        var staged = Path.Combine(context.WorkFolder, "inputs", "params");
        var stored = StoredFilesOf(operation, parameters).ToDictionary(f => f.Name, f => Directory.EnumerateFiles(staged, f.Name + ".*").Single());
        var run = new OperationRun(inputs, parameters, context.WorkFolder, Path.Combine(context.WorkFolder, operation.OutputFile(parameters)), stored);
        var progress = new EngineProgress(context.Progress);
        // CPU-bound: off the worker's async flow, on the engine's own threads. The result's preview sample is kept as
        // it is written, so publishing draws the preview without reading the result back.
        return Task.Run(() =>
        {
            using var preview = Tessera.Raster.Output.RasterOutput.KeepPreviewSample(run.Output, previews.Size);
            if (TaskParts.Staged(context.WorkFolder) is { } parts)
            {
                TaskParts.Stitch(operation, run, parts, progress, cancellationToken);
                return;
            }
            using var part = TaskParts.OnlyPart(operation, run);
            operation.Run(run, progress, cancellationToken);
        }, cancellationToken);
    }

    public async Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        var operation = OperationOf(task);
        var file = operation.OutputFile(ParameterValues.Parse(task.ParametersJson, operation));
        var table = operation.Output == OutputKind.Table;
        var name = string.IsNullOrWhiteSpace(task.OutputName)
            ? $"{operation.Name.ToLowerInvariant()}-{task.Id}{Path.GetExtension(file)}"
            : task.OutputName;
        var output = Path.Combine(context.WorkFolder, file);
        context.Name(output, "the result");
        // A part is read by the task it belongs to, never shown: it has no preview of its own.
        var companions = table || TaskParts.WindowOf(task) is not null ? null : await Task.Run(() => previews.Render(output), cancellationToken);
        // What the processing measured (OperationRun.WriteReport), published beside the result.
        var report = Path.Combine(context.WorkFolder, OperationRun.ReportName);
        if (companions is not null && File.Exists(report))
        {
            companions[OperationRun.ReportName] = await File.ReadAllBytesAsync(report, cancellationToken);
        }
        var stored = await files.AddProducedAsync(output, name, task.Owner, context.AttemptToken.ToString(), companions, cancellationToken,
            table: table, taskId: task.Id);
        var bounds = stored.LonLatBounds is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"{b.MinX},{b.MinY},{b.MaxX},{b.MaxY}")
            : null;
        await context.LogAsync(stored.Raster is { } raster
            ? string.Create(CultureInfo.InvariantCulture, $"result {stored.Name}: {raster.Width} x {raster.Height} pixels, {raster.BandCount} band(s) of {raster.Bands[0].DataType}, {stored.Size} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"result {stored.Name}: a table of {stored.Size} bytes"));
        return new TaskResult(stored.Id, bounds);
    }

    public async Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) =>
        await files.DiscardPendingAsync(result.OutputFileId, context.AttemptToken.ToString(), cancellationToken);

    /// <summary>Engine progress (blocks, then the COG write) as the task's progress.</summary>
    private sealed class EngineProgress(IProgress<TaskProgress> task) : IProgress<Tessera.Raster.Blocks.RasterProgress>
    {
        public void Report(Tessera.Raster.Blocks.RasterProgress value) => task.Report(new TaskProgress(value.Stage, value.Done, value.Total));
    }
}
