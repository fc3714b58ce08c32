using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Catalog.Stac;
using Tessera.Tasks;
using Tessera.Tasks.Stores;

namespace Tessera.Server.Publishing;

/// <summary>
/// Published results as a STAC catalog: one Collection per task type with a raster result (its definition's name in
/// lower case, e.g. <c>ndvi</c>, <c>mosaic</c>), one Item per task
/// that reached PUBLISH_COMPLETED (its result file: footprint, projection, bands, the COG and its preview).
/// </summary>
public sealed class StacCatalog(ITaskStore tasks, FileStore files)
{
    /// <summary>The collections: (id, task type, title).</summary>
    public static IReadOnlyList<(string Id, TaskType Type, string Title)> Collections { get; } =
        Tessera.Processing.Operations.OperationCatalog.All.Where(o => o.Output == Tessera.Processing.Operations.OutputKind.Raster)
            .Select(o => (o.Name.ToLowerInvariant(), new TaskType(o.Number), $"{o.Name}: {o.Title}")).ToList();

    public static (string Id, TaskType Type, string Title)? Find(string id) =>
        Collections.FirstOrDefault(c => c.Id == id) is { Id: not null } found ? found : null;

    /// <summary>Items of the caller's published tasks in <paramref name="collections"/> (all when null), oldest first.</summary>
    public async IAsyncEnumerable<JsonObject> ItemsAsync(string? owner, IReadOnlyCollection<string>? collections, string baseUrl,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var collection in Collections.Where(c => collections is null || collections.Contains(c.Id)))
        {
            const int page = 500;
            for (var offset = 0; ; offset += page)
            {
                var tasksPage = await tasks.ListAsync(new TaskQuery(owner, Tessera.Tasks.TaskStatus.PublishCompleted, collection.Type, Sort: TaskSort.CreatedAscending),
                    offset, page, cancellationToken);
                foreach (var task in tasksPage.Items)
                {
                    if (task.Result is null || await files.GetAsync(task.Result.OutputFileId, owner: null, cancellationToken) is not { LonLatBounds: not null } file)
                    {
                        continue; // the result file was deleted, or has no georeference
                    }
                    var id = task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    yield return StacItems.Item(new StacItems.ItemSource(id, collection.Id, task.Name, task.UpdatedAt, task.CreatedAt, file,
                        $"{baseUrl}/files/{file.Id}/download", $"{baseUrl}/files/{file.Id}/preview.png",
                        new Dictionary<string, JsonNode?>
                        {
                            ["tessera:task_id"] = task.Id,
                            ["tessera:task_type"] = (int)task.Type,
                            ["tessera:file_id"] = file.Id,
                        }), baseUrl);
                }
                if (tasksPage.Items.Count < page)
                {
                    break;
                }
            }
        }
    }
}
