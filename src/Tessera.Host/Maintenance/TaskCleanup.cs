using Tessera.Catalog.Scenes;
using Tessera.Tasks.Stores;

namespace Tessera.Host.Maintenance;

/// <summary>
/// Deletes finished tasks (completed or failed) older than a given age, with what is left of their work
/// folders and their items in the results collections; run on request and periodically. Result files stay in the file
/// store: they are files of their own.
/// </summary>
public sealed class TaskCleanup(ITaskStore tasks, ISceneCatalog catalog, string workRoot, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<IReadOnlyList<long>> RunAsync(TimeSpan olderThan, string? owner, CancellationToken cancellationToken)
    {
        var deleted = await tasks.DeleteFinishedAsync(_time.GetUtcNow() - olderThan, owner, cancellationToken);
        foreach (var id in deleted)
        {
            await catalog.DeleteItemsOfTaskAsync(id, cancellationToken);
            var folder = Path.Combine(workRoot, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        return deleted;
    }
}
