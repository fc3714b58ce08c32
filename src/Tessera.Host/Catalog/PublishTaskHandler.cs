using System.Text.Json.Nodes;
using Tessera.Catalog;
using Tessera.Catalog.Downloads;
using Tessera.Catalog.Local;
using Tessera.Catalog.Remote;
using Tessera.Catalog.Scenes;
using Tessera.Tasks;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Catalog;

/// <summary>
/// Runs publish tasks, geospaas_processing's <c>publish</c>, one item each, in the DOWNLOADING stage (progress in
/// bytes): the item's files on this machine (all its assets, or those the task names) are copied to the publishing
/// server (<see cref="PublishTarget"/>, over SFTP) as <c>publishRoot/publishPath/COLLECTION/ITEM/NAME</c>, and each
/// asset copied gets the public address of its copy as a STAC <c>alternate</c> named "published". Without a
/// publishing server the task fails saying so.
/// </summary>
public sealed class PublishTaskHandler(ISceneCatalog catalog, PublishTarget? target, CatalogFolders folders) : ITaskHandler
{
    /// <summary>The name of the <c>alternate</c> entry that holds the address of an asset's published copy.</summary>
    public const string Alternate = "published";

    public IReadOnlyCollection<TaskType> Types { get; } = [CatalogTaskTypes.Publish];

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var server = target ?? throw new CatalogException(PublishTarget.NotConfigured);
        var parameters = DownloadParameters.FromJson(context.Task.ParametersJson, folders);
        var (item, chosen) = await parameters.ItemAndAssetsAsync(catalog, cancellationToken);
        var here = chosen.Select(a => (Asset: a, Path: CatalogAssets.LocalPathOf(a))).Where(p => p.Path is not null).ToList();
        var missing = chosen.Where(a => here.All(h => h.Asset.Key != a.Key)).Select(a => a.Key).ToList();
        if (here.Count == 0)
        {
            throw new CatalogException($"none of the assets of item '{parameters.Item}' is on this machine ({string.Join(", ", missing)}): download them first");
        }
        var folder = Delivery.SafeName(item.Collection, "collection") + "/" + Delivery.SafeName(item.Id, "item");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var uploads = new List<SftpUpload.Upload>();
        foreach (var (asset, path) in here)
        {
            var name = Delivery.FileNameOf(asset, path!);
            if (!names.Add(name))
            {
                name = asset.Key + "-" + name;
                names.Add(name);
            }
            uploads.Add(new SftpUpload.Upload(path!, $"{folder}/{name}"));
        }
        var sizes = uploads.Select(u => new FileInfo(u.LocalPath).Length).ToList();
        var total = sizes.Sum();
        context.Progress.Report(new TaskProgress($"publish to {server.Address}", 0, total));
        await new SftpUpload(server).RunAsync(uploads, context.WorkFolder, new Copied(context.Progress, server.Address, sizes), cancellationToken);

        // The item as it is now (another task may have changed it meanwhile), each asset copied with its address.
        var urls = here.Select((h, i) => (h.Asset.Key, Url: server.UrlOf(uploads[i].Relative))).ToDictionary(p => p.Key, p => p.Url);
        var (current, _) = await parameters.ItemAndAssetsAsync(catalog, cancellationToken);
        await catalog.UpsertItemsAsync([current with
        {
            Assets = current.Assets.Select(a => urls.TryGetValue(a.Key, out var url) ? a with { Extra = Published(a.Extra, url) } : a).ToList(),
        }], cancellationToken);
        var said = $"publish: {here.Count} files to {server.Address}";
        if (missing.Count > 0)
        {
            said += $"; not on this machine: {string.Join(", ", missing)}";
        }
        context.Progress.Report(new TaskProgress(said, total, total));
    }

    /// <summary>The asset's other fields with the published copy among its STAC <c>alternate</c> entries (the alternate-assets extension).</summary>
    private static JsonObject Published(JsonObject? extra, string url)
    {
        var fields = extra is null ? new JsonObject() : (JsonObject)extra.DeepClone();
        if (fields["alternate"] is not JsonObject alternates)
        {
            alternates = new JsonObject();
            fields["alternate"] = alternates;
        }
        alternates[Alternate] = new JsonObject { ["href"] = url, ["title"] = "Published copy" };
        return fields;
    }

    /// <summary>Files in place as the task's progress in bytes, said at once (never after the task's last word).</summary>
    private sealed class Copied(IProgress<TaskProgress> task, string address, IReadOnlyList<long> sizes) : IProgress<int>
    {
        public void Report(int value) => task.Report(new TaskProgress($"publish to {address}", sizes.Take(value).Sum(), sizes.Sum()));
    }

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);

    public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;
}
