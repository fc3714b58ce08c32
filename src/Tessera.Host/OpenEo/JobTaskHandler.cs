using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Host.Catalog;
using Tessera.Host.Publishing;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Evaluation;
using Tessera.Processing.Graphs.UserDefined;
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
/// </summary>
public sealed class JobTaskHandler(DbJobStore jobs, Tessera.Catalog.Scenes.ISceneCatalog catalog, CatalogAssets assets, FileStore files, Previews previews)
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
    }

    public async Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var (id, saved, graph, evaluator) = await EvaluateAsync(context, logging: false, cancellationToken); // the scenes are here now
        using var _ = evaluator;
        var output = Path.Combine(context.WorkFolder, ResultFile(ResultWriter.Extension(saved)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await Task.Run(() =>
            {
                using var preview = saved.Vector is null ? Tessera.Raster.Output.RasterOutput.KeepPreviewSample(output, previews.Size) : null;
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
        var companions = raster ? await Task.Run(() => previews.Render(output), cancellationToken) : null;
        Tessera.Raster.Bounds? footprint = null;
        if (!raster && extension != ".csv")
        {
            using var table = Tessera.Raster.Features.VectorFile.Open(output);
            footprint = table.Extent;
        }
        var stored = await files.AddProducedAsync(output, $"openeo-{JobIdOf(task)}{extension}", task.Owner, context.AttemptToken.ToString(), companions,
            cancellationToken, table: !raster, tableBounds: footprint);
        var bounds = stored.LonLatBounds is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b.MinX},{b.MinY},{b.MaxX},{b.MaxY}") : null;
        await jobs.LogAsync(JobIdOf(task), "info", $"published: {new FileInfo(output).Length} bytes", cancellationToken);
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
