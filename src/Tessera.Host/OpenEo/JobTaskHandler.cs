using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Host.Catalog;
using Tessera.Host.Handlers;
using Tessera.Host.Publishing;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Evaluation;
using Tessera.Processing.Graphs.UserDefined;
using Tessera.Raster.Output;
using Tessera.Tasks;
using Tessera.Tasks.Jobs;
using Tessera.Tasks.Workers;

namespace Tessera.Host.OpenEo;

/// <summary>
/// Runs openEO batch jobs as tasks, through the seed's stages: DOWNLOADING reads and checks the job's graph and brings
/// its scenes to this machine (up to its first Tessera operation, if any: those run once, with the result), PROCESSING
/// computes what it saves (one pass over the blocks), PUBLISHING stores it as a file of the job's owner (with its
/// preview) whose id the task's result holds. What each stage read and how long it took goes to the job's log. The
/// graph calls the user-defined processes the job kept when it was created (<see cref="BatchJob.UserProcesses"/>).
/// A job saving one Float32 GeoTIFF wider or taller than <paramref name="splitTile"/> pixels is split in its processing
/// stage: tile tasks (the job and a <c>part</c> window each) any worker takes, each computing its window alone; the job's
/// own task, given back until they end, then stitches their files into its result in the format it asked for.
/// </summary>
public sealed class JobTaskHandler(DbJobStore jobs, Tessera.Catalog.Scenes.ISceneCatalog catalog, CatalogAssets assets, FileStore files, Previews previews,
    Tessera.Tasks.Stores.ITaskStore? tasks = null, int splitTile = 0)
    : ITaskHandler
{
    /// <summary>The name of a job's result file: <c>result</c> with the extension of its format (<c>result.tif</c>, <c>result.gpkg</c>).</summary>
    public static string ResultFile(string extension) => "result" + extension;

    /// <summary>The name under which a job's stored result is listed and downloaded.</summary>
    public static string ResultFileOf(StoredFile stored) => ResultFile(Path.GetExtension(stored.Name));

    /// <summary>The result file a PROCESSING stage left in the work folder.</summary>
    private static string WrittenResult(string workFolder) =>
        ResultWriter.Formats.Select(f => Path.Combine(workFolder, ResultFile(ResultWriter.Extension(f.Format)))).FirstOrDefault(File.Exists)
        ?? Path.Combine(workFolder, ResultFile(".tif"));

    public IReadOnlyCollection<TaskType> Types { get; } = [CatalogTaskTypes.OpenEoJob];

    private static string JobIdOf(ProcessingTask task) =>
        JsonNode.Parse(task.ParametersJson)?["job"]?.GetValue<string>() ?? throw new InvalidOperationException("the task names no job");

    /// <summary>The graph evaluated up to what it saves; the caller disposes the evaluator once the result is written.
    /// With <paramref name="logging"/> (the download stage), what it did goes to the job's log, and it stops at the first
    /// of Tessera's operations (<see cref="OperationDeferredException"/>), which run once, in the processing stage.</summary>
    private async Task<(string Job, SavedResult Saved, ProcessGraph Graph, GraphEvaluator Evaluator)> EvaluateAsync(TaskContext context, bool logging, CancellationToken cancellationToken)
    {
        var id = JobIdOf(context.Task);
        var job = await jobs.GetAsync(id, null, cancellationToken) ?? throw new GraphException("JobNotFound", $"job '{id}' no longer exists");
        // The user's processes as they were when the job's graph was given, not as they are now.
        var graph = UserProcessExpander.Prepare(GraphParser.ParseProcess(JsonNode.Parse(job.Process)), UserProcesses.FromSnapshot(job.UserProcesses));
        var log = new JobLog(jobs, id);
        var evaluator = new GraphEvaluator(new CatalogSceneSource(catalog, assets, context.Task.Owner), logging ? log : null, context.WorkFolder)
        {
            DeferOperations = logging,
        };
        try
        {
            var saved = await evaluator.RunAsync(graph, cancellationToken);
            ResultWriter.Check(saved, graph.ResultNode);
            await log.FlushAsync();
            return (id, saved, graph, evaluator);
        }
        catch (OperationDeferredException)
        {
            await log.FlushAsync();
            evaluator.Dispose();
            throw;
        }
        catch
        {
            evaluator.Dispose();
            throw;
        }
    }

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var id = JobIdOf(context.Task);
        await jobs.LogAsync(id, "info", $"attempt {context.Task.Attempts}: reading the graph and the scenes it loads", cancellationToken);
        try
        {
            (await EvaluateAsync(context, logging: true, cancellationToken)).Evaluator.Dispose();
        }
        catch (OperationDeferredException deferred)
        {
            await jobs.LogAsync(id, "info", $"the scenes up to node '{deferred.Node}' are here; Tessera's operations run with the result", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await jobs.LogAsync(id, "error", e.Message, CancellationToken.None);
            throw;
        }
        if (tasks is not null)
        {
            await TaskParts.StageAsync(context, tasks, files, cancellationToken);
        }
    }

    /// <summary>The GeoTIFF options of a result that can be computed in windows (one Float32 GeoTIFF of one time), or null.</summary>
    private static GeoTiffOptions? Splittable(SavedResult saved, ProcessGraph graph)
    {
        if (saved.Vector is not null || !CubeWriter.Formats.Contains(saved.Format, StringComparer.OrdinalIgnoreCase) || saved.Cube.TimeCount > 1)
        {
            return null;
        }
        var options = GeoTiffOptions.Parse(saved.Format, saved.Options, saved.Cube.BandCount, graph.ResultNode);
        return options is { Colors: null, Type: Tessera.Raster.RasterDataType.Float32 } ? options : null;
    }

    public async Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var (id, saved, graph, evaluator) = await EvaluateAsync(context, logging: false, cancellationToken); // the scenes are here now
        using var _ = evaluator;
        var output = Path.Combine(context.WorkFolder, ResultFile(ResultWriter.Extension(saved)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var splittable = Splittable(saved, graph);
        var part = TaskParts.WindowOf(context.Task);
        var staged = TaskParts.Staged(context.WorkFolder);
        if (part is null && staged is null && splittable is not null && tasks is not null && splitTile > 0
            && Requests.TaskSplit.Tiles(saved.Cube.Grid, splitTile) is { Count: > 0 } tiles)
        {
            // Larger than a tile: the tiles become tasks of their own; this one waits for them, then stitches.
            var task = context.Task;
            var parts = Requests.TaskSplit.Split(new NewTask(task.Name, task.Type, task.Owner, "{}", ParametersJson: task.ParametersJson), tiles).Parts!;
            await tasks.SplitAsync(task.Id, parts, cancellationToken);
            var said = $"{saved.Cube.Grid.Width} x {saved.Cube.Grid.Height} pixels: split into {tiles.Count} tiles of at most {splitTile} pixels a side, computed by any worker, then stitched";
            await jobs.LogAsync(id, "info", said, cancellationToken);
            throw new RetryLaterException(said, TimeSpan.Zero);
        }
        try
        {
            await Task.Run(() =>
            {
                using var preview = saved.Vector is null && part is null ? Tessera.Raster.Output.RasterOutput.KeepPreviewSample(output, previews.Size) : null;
                if (staged is not null)
                {
                    var options = splittable ?? throw new InvalidOperationException("the job's result is no longer one Float32 GeoTIFF: its tiles cannot be stitched");
                    PartStitch.Write(staged, saved.Cube.Grid, output, i => $"part {i + 1} of {staged.Count}", new EngineProgress(context.Progress), cancellationToken,
                        options.Output);
                    return;
                }
                using var window = part is { } w ? Tessera.Raster.Output.RasterOutput.OnlyPart(output, w) : null;
                ResultWriter.Write(saved, output, graph.ResultNode, new EngineProgress(context.Progress), cancellationToken);
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await jobs.LogAsync(id, "error", e.Message, CancellationToken.None);
            throw;
        }
        await jobs.LogAsync(id, "info", saved.Vector is { } vector
            ? string.Create(CultureInfo.InvariantCulture,
                $"computed {vector.Reducer} over {vector.Features.Count} geometries, {saved.Cube.TimeCount} times, {saved.Cube.BandCount} bands as {saved.Format} in {clock.Elapsed.TotalSeconds:0.00} s")
            : string.Create(CultureInfo.InvariantCulture,
                $"computed {saved.Cube.Grid.Width} x {saved.Cube.Grid.Height} pixels, {saved.Cube.BandCount} bands as {saved.Format} in {clock.Elapsed.TotalSeconds:0.00} s"),
            cancellationToken);
    }

    public async Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        var output = WrittenResult(context.WorkFolder);
        context.Name(output, "the result");
        var extension = Path.GetExtension(output);
        var raster = extension == ".tif";
        // A table has no preview; its footprint is its geometries' (CSV has none).
        var part = TaskParts.WindowOf(task);
        var companions = raster && part is null ? await Task.Run(() => previews.Render(output), cancellationToken) : null;
        Tessera.Raster.Bounds? footprint = null;
        if (!raster && extension != ".csv")
        {
            using var table = Tessera.Raster.Features.VectorFile.Open(output);
            footprint = table.Extent;
        }
        var stored = await files.AddProducedAsync(output, part is null ? $"openeo-{JobIdOf(task)}{extension}" : $"openeo-{JobIdOf(task)}-part-{task.Id}{extension}", task.Owner, context.AttemptToken.ToString(), companions,
            cancellationToken, table: !raster, tableBounds: footprint, taskId: task.Id);
        var bounds = stored.LonLatBounds is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b.MinX},{b.MinY},{b.MaxX},{b.MaxY}") : null;
        await jobs.LogAsync(JobIdOf(task), "info", part is { } w ? $"tile {w} published: {new FileInfo(output).Length} bytes"
            : $"published: {new FileInfo(output).Length} bytes", cancellationToken);
        return new TaskResult(stored.Id, bounds);
    }

    public async Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) =>
        await files.DiscardPendingAsync(result.OutputFileId, context.AttemptToken.ToString(), cancellationToken);

    /// <summary>The evaluator's lines into the job's log (kept in order, written when the stage ends).</summary>
    private sealed class JobLog(DbJobStore jobs, string id) : IProgress<string>
    {
        private readonly List<string> _lines = [];

        public void Report(string value)
        {
            lock (_lines)
            {
                _lines.Add(value);
            }
        }

        public async Task FlushAsync()
        {
            foreach (var line in _lines)
            {
                await jobs.LogAsync(id, "info", line);
            }
            _lines.Clear();
        }
    }

    private sealed class EngineProgress(IProgress<TaskProgress> task) : IProgress<Tessera.Raster.Blocks.RasterProgress>
    {
        public void Report(Tessera.Raster.Blocks.RasterProgress value) => task.Report(new TaskProgress(value.Stage, value.Done, value.Total));
    }
}
