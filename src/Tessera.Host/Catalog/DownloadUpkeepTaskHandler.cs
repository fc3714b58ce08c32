using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Tessera.Catalog;
using Tessera.Catalog.Downloads;
using Tessera.Catalog.Local;
using Tessera.Catalog.Scenes;
using Tessera.Tasks;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Catalog;

/// <summary>
/// The upkeep of downloads, geospaas_processing's <c>remove_downloaded</c>, <c>archive</c> and <c>cleanup</c>, in the
/// DOWNLOADING stage: removing an item's downloaded files (never files found in a folder of products, nor files
/// delivered elsewhere), packing an item's files on this machine into one tar.gz asset (<c>archive</c>), and removing
/// every download older than a date. The catalog forgets what was removed; an archive removed is no longer an asset.
/// </summary>
public sealed class DownloadUpkeepTaskHandler(ISceneCatalog catalog, CatalogAssets assets, CatalogFolders folders) : ITaskHandler
{
    /// <summary>The key of the asset an archive task adds.</summary>
    public const string ArchiveKey = "archive";

    public IReadOnlyCollection<TaskType> Types { get; } = [CatalogTaskTypes.RemoveDownloaded, CatalogTaskTypes.Archive, CatalogTaskTypes.Cleanup];

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (context.Task.Type == CatalogTaskTypes.Cleanup)
        {
            await CleanupAsync(context, cancellationToken);
            return;
        }
        var parameters = DownloadParameters.FromJson(context.Task.ParametersJson, folders);
        var (collection, id) = parameters.ItemIds();
        var item = await catalog.GetItemAsync(collection, id, null, cancellationToken)
            ?? throw new CatalogException($"item '{id}' is no longer in collection '{collection}'");
        var chosen = item.Assets.Where(a => parameters.Assets is null || parameters.Assets.Contains(a.Key)).ToList();
        if (context.Task.Type == CatalogTaskTypes.Archive)
        {
            await ArchiveAsync(context, item, chosen.Where(a => a.Key != ArchiveKey).ToList(), cancellationToken);
            return;
        }
        var removed = 0;
        foreach (var asset in chosen)
        {
            if (asset.LocalPath is { } path && assets.IsDownload(path))
            {
                assets.RemoveDownload(path);
                await ForgetAsync(item.Collection, item.Id, asset.Key, cancellationToken);
                removed++;
            }
        }
        context.Progress.Report(new TaskProgress($"remove_downloaded: {removed} files removed", removed, removed));
    }

    /// <summary>The item's chosen files on this machine in one tar.gz in its downloads folder, then an asset of the item.</summary>
    private async Task ArchiveAsync(TaskContext context, CatalogItem item, IReadOnlyList<CatalogAsset> chosen, CancellationToken cancellationToken)
    {
        var here = chosen.Select(a => (Asset: a, Path: CatalogAssets.LocalPathOf(a))).Where(p => p.Path is not null).ToList();
        if (here.Count == 0)
        {
            throw new CatalogException($"none of the assets of item '{item.Collection}/{item.Id}' is on this machine: download them first");
        }
        var folder = assets.ItemFolder(item);
        Directory.CreateDirectory(folder);
        var archive = Path.Combine(folder, "archive.tar.gz");
        var part = archive + ".part";
        var names = new HashSet<string>(StringComparer.Ordinal);
        long done = 0, total = here.Sum(p => new FileInfo(p.Path!).Length);
        await using (var output = File.Create(part))
        {
            await using var gzip = new GZipStream(output, CompressionLevel.Fastest);
            await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false);
            foreach (var (asset, path) in here)
            {
                var name = Delivery.FileNameOf(asset, path!);
                if (!names.Add(name))
                {
                    name = asset.Key + "-" + name;
                    names.Add(name);
                }
                await tar.WriteEntryAsync(path!, name, cancellationToken);
                done += new FileInfo(path!).Length;
                context.Progress.Report(new TaskProgress($"archive {asset.Key}", done, total));
            }
        }
        File.Move(part, archive, overwrite: true);
        var checksum = await Tessera.Catalog.Stac.FileChecksum.OfAsync(archive, cancellationToken);
        var entry = new CatalogAsset(ArchiveKey, ProductScanner.AssetHref(item.Collection, item.Id, ArchiveKey),
            "application/gzip", $"The item's files ({here.Count}) as tar.gz", ["archive"], Checksum: checksum, Size: new FileInfo(archive).Length,
            LocalPath: archive);
        await catalog.UpsertItemsAsync([item with { Assets = [.. item.Assets.Where(a => a.Key != ArchiveKey), entry] }], cancellationToken);
        context.Progress.Report(new TaskProgress($"archive: {here.Count} files in {ArchiveKey}", total, total));
    }

    /// <summary>geospaas_processing's cleanup: every download of the service's older than the task's <c>before</c> removed.</summary>
    private async Task CleanupAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var before = JsonNode.Parse(context.Task.ParametersJson)?["before"]?.GetValue<string>() is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var b)
            ? b.UtcDateTime
            : throw new InvalidOperationException("the cleanup's parameters have no time 'before'");
        var removed = 0;
        foreach (var local in await catalog.LocalAssetsAsync(cancellationToken))
        {
            if (assets.IsDownload(local.LocalPath) && (!File.Exists(local.LocalPath) || File.GetLastWriteTimeUtc(local.LocalPath) < before))
            {
                assets.RemoveDownload(local.LocalPath);
                await ForgetAsync(local.Collection, local.Item, local.Asset, cancellationToken);
                removed++;
                context.Progress.Report(new TaskProgress("cleanup", removed, 0));
            }
        }
        context.Progress.Report(new TaskProgress($"cleanup: {removed} downloads removed", removed, removed));
    }

    /// <summary>The catalog no longer has the asset here (an archive or a conversion, which only ever was here, its href
    /// this server's own path, is no longer an asset).</summary>
    private async Task ForgetAsync(string collection, string id, string key, CancellationToken cancellationToken)
    {
        if (await catalog.GetItemAsync(collection, id, null, cancellationToken) is { } item
            && item.Assets.FirstOrDefault(a => a.Key == key) is { } asset && asset.Href.StartsWith('/'))
        {
            await catalog.UpsertItemsAsync([item with { Assets = item.Assets.Where(a => a.Key != key).ToList() }], cancellationToken);
            return;
        }
        await catalog.SetAssetLocalAsync(collection, id, key, null, null, null, cancellationToken);
    }

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);

    public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;
}
