using System.Security.Cryptography;
using System.Text;
using Tessera.Catalog;
using Tessera.Catalog.Downloads;
using Tessera.Catalog.Providers;
using Tessera.Catalog.Remote;
using Tessera.Catalog.Scenes;
using Tessera.Tasks;

namespace Tessera.Host.Catalog;

/// <summary>
/// The files of the catalog's items on this machine: an asset already here (found in a folder, or downloaded before)
/// is used where it lies; a remote one is downloaded from its href or, when that provider cannot give it, from its STAC
/// <c>alternate</c> hrefs in order (resumably, with its provider's credentials) into the data
/// folder's <c>downloads/</c>, under names made from hashes of its collection, item and key (never the remote text
/// itself), holding one of its provider's download slots when the provider limits them, and the catalog records where
/// it now lies.
/// </summary>
public sealed class CatalogAssets(ISceneCatalog catalog, string dataFolder, AllowedHosts allowedHosts, ProviderSettingsFile providers,
    DownloadSlots? slots = null, TimeSpan? retryDelay = null) : IDisposable
{
    private readonly HttpClient _http = RemoteHttp.Client(allowedHosts, TimeSpan.FromMinutes(10), providers);

    /// <summary>An item and asset named as a task's input names them ("COLLECTION/ITEM" and a key), visible to <paramref name="owner"/>.</summary>
    public async Task<(CatalogItem Item, CatalogAsset Asset)> FindAsync(string itemRef, string key, string owner, CancellationToken cancellationToken)
    {
        var slash = itemRef.IndexOf('/');
        if (slash <= 0 || slash == itemRef.Length - 1)
        {
            throw new CatalogException($"'{itemRef}' is not COLLECTION/ITEM");
        }
        var item = await catalog.GetItemAsync(itemRef[..slash], itemRef[(slash + 1)..], owner, cancellationToken)
            ?? throw new CatalogException($"item '{itemRef[(slash + 1)..]}' does not exist in collection '{itemRef[..slash]}'");
        var asset = item.Assets.FirstOrDefault(a => a.Key == key)
            ?? throw new CatalogException($"item '{itemRef}' has no asset '{key}' (it has {string.Join(", ", item.Assets.Select(a => a.Key))})");
        return (item, asset);
    }

    /// <summary>A JSON document of the web (a STAC document), read as the service reads remote catalogs: only hosts it may reach.</summary>
    public Task<(System.Text.Json.Nodes.JsonObject Document, Uri Address)> ReadJsonAsync(Uri url, CancellationToken cancellationToken) =>
        RemoteHttp.JsonAsync(_http, url, null, cancellationToken);

    /// <summary>The same, with other provider settings (a download's own): dispose it after use.</summary>
    public CatalogAssets WithProviders(ProviderSettingsFile other) => new(catalog, dataFolder, allowedHosts, other, slots, retryDelay);

    /// <summary>The same, with <paramref name="extra"/> settings before the service's own (a request's credentials for its catalog).</summary>
    public CatalogAssets WithCredentials(IEnumerable<ProviderSettings> extra) => new(catalog, dataFolder, allowedHosts, providers.With(extra), slots, retryDelay);

    /// <summary>
    /// Keeps credentials a request gave (a collection builder's <c>catalog_args</c>) for the tasks it makes, in the data
    /// folder, readable by the service alone; returns the name tasks carry instead of the secrets.
    /// </summary>
    public string KeepCredentials(ProviderSettings basic)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dataFolder, "credentials")).FullName;
        var name = "radcor-" + Guid.NewGuid().ToString("N");
        var file = Path.Combine(folder, name + ".yml");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the service's alone
        }
        using (var stream = new FileStream(file, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(ProviderSettingsFile.Yaml(basic));
        }
        return name;
    }

    /// <summary>The credentials kept under <paramref name="name"/> (<see cref="KeepCredentials"/>).</summary>
    public ProviderSettingsFile KeptCredentials(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^radcor-[0-9a-f]{32}$")
            ? ProviderSettingsFile.Load(Path.Combine(dataFolder, "credentials", name + ".yml"))
            : throw new CatalogException($"'{name}' names no kept credentials");

    /// <summary>Whether <paramref name="path"/> is a download of the service's (in the data folder's <c>downloads/</c>), which it may remove.</summary>
    public bool IsDownload(string path)
    {
        var root = Path.Combine(Path.GetFullPath(dataFolder), "downloads") + Path.DirectorySeparatorChar;
        return Path.IsPathFullyQualified(path) && Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal);
    }

    /// <summary>Removes a download of the service's (never a file found in a folder of products), and its item's folder once empty.</summary>
    public bool RemoveDownload(string path)
    {
        if (!IsDownload(path))
        {
            return false;
        }
        File.Delete(path);
        File.Delete(path + ".part");
        var folder = Path.GetDirectoryName(path)!;
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
        return true;
    }

    /// <summary>Where the asset lies on this machine, when it does.</summary>
    public static string? LocalPathOf(CatalogAsset asset) => asset.LocalPath is { } path && File.Exists(path) ? path : null;

    /// <summary>The asset on this machine: where it lies, or downloaded first (progress as the task's, in bytes).</summary>
    public async Task<string> EnsureLocalAsync(CatalogItem item, CatalogAsset asset, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        if (LocalPathOf(asset) is { } here)
        {
            return here;
        }
        var sources = Sources(asset);
        if (sources.Count == 0)
        {
            throw new CatalogException($"asset '{asset.Key}' of item '{item.Collection}/{item.Id}' is neither on this machine nor at an http(s) address");
        }
        // The asset's own address first, then its alternates (other providers of the same file) in order, until one has it.
        NotAvailableYetException? notYet = null;
        for (var i = 0; ; i++)
        {
            try
            {
                return await DownloadFromAsync(item, asset, sources[i], progress, cancellationToken);
            }
            catch (RemoteAccessException e) when (i < sources.Count - 1)
            {
                notYet ??= e as NotAvailableYetException;
                progress?.Report(new TaskProgress($"download {asset.Key}: trying {sources[i + 1].Host}", 0, 0));
            }
            catch (RemoteAccessException e) when ((notYet ?? e as NotAvailableYetException) is { } later)
            {
                // Not a failure when a provider said "not yet": the task waits (its attempt not counted) and tries again
                // after the retry delay, or the provider's Retry-After when that is later.
                var wait = retryDelay ?? TimeSpan.FromHours(1);
                if (later.RetryAfter is { } after && after > wait)
                {
                    wait = after;
                }
                throw new Tessera.Tasks.Workers.RetryLaterException($"{later.Message}; tried again in {wait.TotalSeconds:0} s", wait);
            }
        }
    }

    /// <summary>The http(s) addresses of an asset: its href, then those of STAC's <c>alternate</c> entries, in order.</summary>
    private static List<Uri> Sources(CatalogAsset asset)
    {
        var hrefs = new List<string> { asset.Href };
        if (asset.Extra?["alternate"] is System.Text.Json.Nodes.JsonObject alternates)
        {
            hrefs.AddRange(alternates.Select(a => a.Value?["href"]?.ToString()).OfType<string>());
        }
        return hrefs.Where(h => !h.StartsWith('/')).Select(h => Uri.TryCreate(h, UriKind.Absolute, out var u) ? u : null).OfType<Uri>()
            .Where(u => u.Scheme is "http" or "https").ToList();
    }

    private async Task<string> DownloadFromAsync(CatalogItem item, CatalogAsset asset, Uri url, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        var destination = DownloadPath(item, asset, url);
        // The seed's lock_dataset_files: one download of a file at a time across every worker on every host (a slot of
        // one, named after the file); the next finds it done.
        await using var file = slots is null ? null : await slots.AcquireAsync("file:" + Path.GetRelativePath(dataFolder, destination), 1,
            () => progress?.Report(new TaskProgress($"download {asset.Key}: another task is downloading it", 0, 0)), cancellationToken);
        var started = DateTime.UtcNow;
        var reporter = progress is null ? null : new Progress<AssetDownloader.Progress>(p =>
        {
            var seconds = Math.Max((DateTime.UtcNow - started).TotalSeconds, 0.001);
            progress.Report(new TaskProgress($"download {asset.Key} ({p.Done / seconds / 1e6:0.0} MB/s)", p.Done, p.Total ?? 0));
        });
        // A provider with max_parallel_downloads: one of its slots is held (across every worker) while the file downloads.
        await using var slot = slots is not null && providers.For(url) is { MaxParallelDownloads: { } max } provider
            ? await slots.AcquireAsync(provider.Prefix, max,
                () => progress?.Report(new TaskProgress($"download {asset.Key}: waiting for one of the {max} downloads {provider} allows at once", 0, 0)),
                cancellationToken)
            : null;
        var size = await DownloadResumingAsync(url, destination, asset, reporter, cancellationToken);
        await catalog.SetAssetLocalAsync(item.Collection, item.Id, asset.Key, destination, size, null, cancellationToken);
        return destination;
    }

    /// <summary>A download that breaks midway is continued at once from where it stopped (a Range request), a few times.</summary>
    private async Task<long> DownloadResumingAsync(Uri url, string destination, CatalogAsset asset, IProgress<AssetDownloader.Progress>? progress,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await new AssetDownloader(_http).DownloadAsync(url, destination, asset.Size, asset.Checksum, progress, cancellationToken);
            }
            catch (DownloadBrokenException) when (attempt < 4)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    private string DownloadPath(CatalogItem item, CatalogAsset asset, Uri url)
    {
        var extension = Path.GetExtension(url.AbsolutePath).ToLowerInvariant();
        if (extension.Length is < 2 or > 6 || !extension[1..].All(char.IsAsciiLetterOrDigit))
        {
            extension = "";
        }
        return Path.Combine(ItemFolder(item), Hash(asset.Key) + extension);
    }

    /// <summary>The item's folder of downloads (named by a hash of its collection and id).</summary>
    public string ItemFolder(CatalogItem item) => Path.Combine(dataFolder, "downloads", Hash(item.Collection + "\n" + item.Id));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];

    public void Dispose() => _http.Dispose();
}
