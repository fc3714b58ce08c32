using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Catalog.Scenes;
using Tessera.Tasks;
using Tessera.Tasks.Stores;

namespace Tessera.Host.Maintenance;

/// <summary>
/// Deletes finished tasks (completed or failed) older than a given age, with what is left of their work folders,
/// their items in the results collections, and the result files no task still uses: theirs, and any result file whose
/// task is already gone (a cleanup stopped half-way, say). A file another task takes as an input stays, as do uploads.
/// Run on request (with a dry run that only says what it would remove) and periodically.
/// </summary>
public sealed class TaskCleanup(ITaskStore tasks, ISceneCatalog catalog, FileStore files, string workRoot, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>What a cleanup removed, or would remove (<paramref name="DryRun"/>).</summary>
    public sealed record Report(IReadOnlyList<long> Tasks, IReadOnlyList<StoredFile> Files, bool DryRun)
    {
        public long Bytes => Files.Sum(f => f.Size);
    }

    public async Task<Report> RunAsync(TimeSpan olderThan, string? owner, CancellationToken cancellationToken, bool dryRun = false)
    {
        var finished = await tasks.DeleteFinishedAsync(_time.GetUtcNow() - olderThan, owner, cancellationToken, dryRun);
        var gone = finished.Select(t => t.Id).ToHashSet();
        if (!dryRun)
        {
            foreach (var id in gone)
            {
                await catalog.DeleteItemsOfTaskAsync(id, cancellationToken);
                var folder = Path.Combine(workRoot, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }

        // The results of the tasks deleted now, and result files whose task was deleted before.
        var candidates = new Dictionary<long, StoredFile>();
        foreach (var task in finished.Where(t => t.ResultFileId is not null))
        {
            // Only a file that is still that task's result: one its owner uploaded again is theirs to keep (FileStore.KeepAsync),
            // and one stored before results were recorded as such is left alone.
            if (await files.GetAsync(task.ResultFileId!.Value, owner, cancellationToken) is { TaskId: { } of } file && of == task.Id)
            {
                candidates[file.Id] = file;
            }
        }
        foreach (var file in await files.OrphanResultsAsync(owner, cancellationToken))
        {
            candidates[file.Id] = file;
        }
        if (candidates.Count > 0)
        {
            foreach (var used in await FilesInUseAsync(gone, cancellationToken))
            {
                candidates.Remove(used);
            }
        }
        var removed = new List<StoredFile>();
        foreach (var file in candidates.Values.OrderBy(f => f.Id))
        {
            if (dryRun || await files.DeleteAsync(file.Id, owner, cancellationToken))
            {
                removed.Add(file);
            }
        }
        return new Report(finished.Select(t => t.Id).ToList(), removed, dryRun);
    }

    /// <summary>Files the tasks that stay (all but <paramref name="gone"/>) use: in their inputs or parameters, or as their result.</summary>
    private async Task<HashSet<long>> FilesInUseAsync(IReadOnlySet<long> gone, CancellationToken cancellationToken)
    {
        var used = new HashSet<long>();
        const int Page = 500;
        for (var offset = 0; ; offset += Page)
        {
            // Newest first: tasks another cleanup deletes meanwhile are the oldest, at the end, so no page skips a task that stays.
            var page = await tasks.ListAsync(new TaskQuery(Sort: TaskSort.CreatedDescending), offset, Page, cancellationToken);
            foreach (var task in page.Items.Where(t => !gone.Contains(t.Id)))
            {
                if (task.Result is { } result)
                {
                    used.Add(result.OutputFileId);
                }
                // Any task kind's inputs and parameters: wherever they name a stored file, by its fileId.
                using var inputs = JsonDocument.Parse(task.InputsJson);
                FileIds(inputs.RootElement, used);
                using var parameters = JsonDocument.Parse(task.ParametersJson);
                FileIds(parameters.RootElement, used);
                // Stored files an operation's parameters name (zones), as its definition says which.
                if (Tessera.Processing.Operations.OperationCatalog.Find(task.Type.Number) is { } operation)
                {
                    foreach (var parameter in operation.Parameters.Where(p => p.Type == Tessera.Processing.Operations.ParameterType.StoredFile))
                    {
                        if (parameters.RootElement.ValueKind == JsonValueKind.Object && parameters.RootElement.TryGetProperty(parameter.Name, out var id)
                            && id.TryGetInt64(out var fileId))
                        {
                            used.Add(fileId);
                        }
                    }
                }
            }
            if (page.Items.Count < Page)
            {
                return used;
            }
        }
    }

    /// <summary>Every <c>fileId</c> anywhere in a task's JSON.</summary>
    private static void FileIds(JsonElement element, HashSet<long> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("fileId") && property.Value.TryGetInt64(out var id))
                    {
                        into.Add(id);
                    }
                    else
                    {
                        FileIds(property.Value, into);
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    FileIds(item, into);
                }
                break;
        }
    }
}
