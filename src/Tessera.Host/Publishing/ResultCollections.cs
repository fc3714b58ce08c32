using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;
using Tessera.Processing.Operations;
using Tessera.Tasks;
using Tessera.Tasks.Stores;

namespace Tessera.Host.Publishing;

/// <summary>
/// The catalog's collections of results: one per task type with a raster result (its definition's name in lower
/// case, e.g. <c>ndvi</c>, <c>mosaic</c>), listed first in the order of the operations; one item per published task
/// (its id), visible to the task's owner, that goes with its result file.
/// </summary>
public static class ResultCollections
{
    /// <summary>(collection id, task type, title) of every results collection.</summary>
    public static IReadOnlyList<(string Id, TaskType Type, string Title)> All { get; } =
        OperationCatalog.All.Where(o => o.Output == OutputKind.Raster)
            .Select(o => (o.Name.ToLowerInvariant(), new TaskType(o.Number), $"{o.Name}: {o.Title}")).ToList();

    public static string? IdOf(TaskType type) => All.FirstOrDefault(c => c.Type == type).Id;

    /// <summary>Adds the results collections the catalog does not have yet, or brings their descriptions up to date.</summary>
    public static async Task RegisterAsync(ISceneCatalog catalog, CancellationToken cancellationToken)
    {
        for (var rank = 0; rank < All.Count; rank++)
        {
            var (id, _, title) = All[rank];
            await catalog.UpsertCollectionAsync(new CatalogCollection(id, title, $"Results of {title} tasks.", "proprietary", CollectionKind.Results,
                [], [], Rank: rank), cancellationToken);
        }
    }

    /// <summary>The item of a published task, or null when its result is not a georeferenced raster (a table, no CRS).</summary>
    public static CatalogItem? ItemOf(ProcessingTask task, StoredFile file, DateTimeOffset published)
    {
        if (IdOf(task.Type) is not { } collection || file.Raster is null || file.LonLatBounds is null)
        {
            return null;
        }
        return StacItems.ResultItem(collection, task.Id.ToString(CultureInfo.InvariantCulture), task.Name, published, task.CreatedAt, file,
            task.Owner, task.Id, new Dictionary<string, JsonNode?>
            {
                ["tessera:task_id"] = task.Id,
                ["tessera:task_type"] = (int)task.Type,
                ["tessera:file_id"] = file.Id,
            });
    }

    /// <summary>
    /// Registers the published tasks of every results collection that have no item yet (tasks published before the
    /// catalog held them); how many were added.
    /// </summary>
    public static async Task<int> BackfillAsync(ISceneCatalog catalog, ITaskStore tasks, FileStore files, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var (id, type, _) in All)
        {
            const int page = 500;
            for (var offset = 0; ; offset += page)
            {
                var published = await tasks.ListAsync(new TaskQuery(null, Tessera.Tasks.TaskStatus.PublishCompleted, type, Sort: TaskSort.CreatedAscending),
                    offset, page, cancellationToken);
                var items = new List<CatalogItem>();
                foreach (var task in published.Items)
                {
                    if (task.Result is not null && await files.GetAsync(task.Result.OutputFileId, owner: null, cancellationToken) is { } file
                        && ItemOf(task, file, task.UpdatedAt) is { } item
                        && await catalog.GetItemAsync(id, item.Id, null, cancellationToken) is null)
                    {
                        items.Add(item);
                    }
                }
                await catalog.UpsertItemsAsync(items, cancellationToken);
                added += items.Count;
                if (published.Items.Count < page)
                {
                    break;
                }
            }
        }
        return added;
    }
}
