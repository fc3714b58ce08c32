using Tessera.Catalog;
using Tessera.Catalog.Local;
using Tessera.Catalog.Providers;
using Tessera.Catalog.Scenes;
using Tessera.Tasks;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Catalog;

/// <summary>
/// Runs download and copy tasks, one item each, in the DOWNLOADING stage (progress in bytes, with the rate): a
/// download brings the item's remote assets to this machine (<see cref="CatalogAssets.EnsureLocalAsync"/>: resumable,
/// provider slots and credentials, "not available yet" retried later), a copy takes those already here; both then
/// deliver them where the task says (<see cref="Tessera.Catalog.Downloads.Delivery"/>). Nothing is published.
/// </summary>
public sealed class DownloadTaskHandler(ISceneCatalog catalog, CatalogAssets assets, CatalogFolders folders) : ITaskHandler
{
    public IReadOnlyCollection<TaskType> Types { get; } = [CatalogTaskTypes.Download, CatalogTaskTypes.Copy];

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var parameters = DownloadParameters.FromJson(context.Task.ParametersJson, folders);
        var (item, chosen) = await parameters.ItemAndAssetsAsync(catalog, cancellationToken);
        var copying = context.Task.Type == CatalogTaskTypes.Copy;
        using var withProviders = parameters.ProviderSettings is { } path ? assets.WithProviders(ProviderSettingsFile.Load(path))
            : parameters.Credentials is { } kept ? assets.WithCredentials(assets.KeptCredentials(kept).Providers) : null;
        var source = withProviders ?? assets;
        parameters.Delivery?.RemoveExpired(DateTime.UtcNow);
        var delivered = 0;
        var missing = new List<string>();
        long bytes = 0;
        foreach (var asset in chosen)
        {
            string? local;
            if (copying)
            {
                local = CatalogAssets.LocalPathOf(asset);
                if (local is null)
                {
                    missing.Add(asset.Key);
                    continue;
                }
            }
            else
            {
                local = await source.EnsureLocalAsync(item, asset, context.Progress, cancellationToken);
            }
            bytes += new FileInfo(local).Length;
            if (parameters.Delivery is { } delivery && delivery.Deliver(item, asset, local) is { } target)
            {
                delivered++;
                if (delivery.SavePath)
                {
                    await catalog.SetAssetLocalAsync(item.Collection, item.Id, asset.Key, target, new FileInfo(target).Length, null, cancellationToken);
                    assets.RemoveDownload(local);
                }
            }
        }
        if (copying && missing.Count == chosen.Count)
        {
            throw new CatalogException($"none of the assets of item '{parameters.Item}' is on this machine ({string.Join(", ", missing)}): download them first");
        }
        var stage = copying ? "copy" : "download";
        var said = parameters.Delivery is null ? $"{stage}: {chosen.Count - missing.Count} assets here"
            : $"{stage}: {delivered} of {chosen.Count - missing.Count} assets delivered" + (delivered < chosen.Count - missing.Count ? " (the others were there already)" : "");
        if (missing.Count > 0)
        {
            said += $"; not on this machine: {string.Join(", ", missing)}";
        }
        context.Progress.Report(new TaskProgress(said, bytes, bytes));
    }

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);

    public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;
}
