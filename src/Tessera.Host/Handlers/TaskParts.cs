using System.Globalization;
using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Processing.Operations;
using Tessera.Raster;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Host.Handlers;

/// <summary>
/// The two sides of a task split into parts (<see cref="Requests.TaskSplit"/>): a part computes only its window of the
/// whole result (its <c>part</c> parameter, checked against the grid its inputs give), and the task they belong to
/// stages their published files in its download stage (<c>parts/</c> of its work folder, with a list of their
/// windows) and stitches them into its one COG instead of computing anything.
/// </summary>
public static class TaskParts
{
    private const string Folder = "parts";
    private const string ListFile = "parts.json";

    /// <summary>One staged part: its task, its file in the work folder, and its window.</summary>
    private sealed record StagedPart(long Task, string File, int Column, int Row, int Width, int Height);

    /// <summary>The window of the whole result <paramref name="task"/> computes (its <c>part</c> parameter), or null when it is
    /// not a part of another.</summary>
    public static Window? WindowOf(ProcessingTask task)
    {
        using var doc = JsonDocument.Parse(task.ParametersJson);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("part", out var w) && w.ValueKind == JsonValueKind.Array
            ? new Window(w[0].GetInt32(), w[1].GetInt32(), w[2].GetInt32(), w[3].GetInt32())
            : null;
    }

    /// <summary>The scope in which a part's result holds only its window (nothing for a task that is not a part).</summary>
    public static IDisposable? OnlyPart(Operation operation, OperationRun run)
    {
        if (!operation.Splits || run.Parameters.Integers("part") is null)
        {
            return null;
        }
        var whole = operation.OutputGrid(run.Inputs, run.Parameters)
            ?? throw new InvalidOperationException($"{operation.Name} cannot be computed in parts");
        return RasterOutput.OnlyPart(run.Output, CommonParameters.PartOf(run.Parameters, whole)!.Value);
    }

    /// <summary>
    /// Stages the published results of the task's parts, if it has any: each must be done (a failed part fails the
    /// task, saying which and why).
    /// </summary>
    public static async Task StageAsync(TaskContext context, ITaskStore tasks, FileStore files, CancellationToken cancellationToken)
    {
        var ids = (await tasks.DependenciesAsync(context.Task.Id, cancellationToken))
            .Where(d => d.Kind == TaskDependency.Part).Select(d => d.TaskId).Order().ToList();
        if (ids.Count == 0)
        {
            return;
        }
        var folder = Directory.CreateDirectory(Path.Combine(context.WorkFolder, Folder)).FullName;
        var staged = new List<StagedPart>();
        for (var i = 0; i < ids.Count; i++)
        {
            var shown = $"part {i + 1} of {ids.Count} (task {ids[i]})";
            var part = await tasks.GetAsync(ids[i], cancellationToken)
                ?? throw new InvalidOperationException($"{shown} was deleted: add the task again");
            if (part.Status != TaskStatus.PublishCompleted || part.Result is not { } result)
            {
                throw new InvalidOperationException($"{shown} is {part.Status.SeedName()}" +
                    (part.ErrorMessage is { Length: > 0 } error ? $" ({error})" : "") + ": retry it, then this task");
            }
            var window = WindowOf(part) ?? throw new InvalidOperationException($"{shown} names no window of the result");
            var file = Path.Combine(folder, i.ToString(CultureInfo.InvariantCulture) + ".tif");
            var source = await files.PathOfAsync(result.OutputFileId, context.Task.Owner, cancellationToken);
            context.Name(file, shown);
            context.Name(source, shown);
            await FileLinks.LinkOrCopyAsync(source, file, cancellationToken);
            staged.Add(new StagedPart(ids[i], file, window.ColOffset, window.RowOffset, window.Width, window.Height));
            context.Progress.Report(new TaskProgress("parts", i + 1, ids.Count));
        }
        await File.WriteAllTextAsync(Path.Combine(folder, ListFile), JsonSerializer.Serialize(staged), cancellationToken);
    }

    /// <summary>The parts staged in <paramref name="workFolder"/>, or null when the task has none.</summary>
    public static IReadOnlyList<PartStitch.Part>? Staged(string workFolder)
    {
        var list = Path.Combine(workFolder, Folder, ListFile);
        if (!File.Exists(list))
        {
            return null;
        }
        var staged = JsonSerializer.Deserialize<List<StagedPart>>(File.ReadAllText(list)) ?? [];
        return staged.Select(p => new PartStitch.Part(Path.Combine(workFolder, Folder, Path.GetFileName(p.File)),
            new Window(p.Column, p.Row, p.Width, p.Height))).ToList();
    }

    /// <summary>The task's result from its parts, on the grid its own inputs give.</summary>
    public static void Stitch(Operation operation, OperationRun run, IReadOnlyList<PartStitch.Part> parts, IProgress<RasterProgress> progress,
        CancellationToken cancellationToken)
    {
        var whole = operation.OutputGrid(run.Inputs, run.Parameters)
            ?? throw new InvalidOperationException($"{operation.Name} cannot be computed in parts");
        PartStitch.Write(parts, whole, run.Output, i => $"part {i + 1} of {parts.Count}", progress, cancellationToken);
    }
}
