using Tessera.Catalog;
using Tessera.Catalog.Converters;
using Tessera.Catalog.Local;
using Tessera.Catalog.Scenes;
using Tessera.Tasks;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Catalog;

/// <summary>
/// Runs conversion tasks, one item each, in the DOWNLOADING stage (progress: the assets done): each of the item's
/// chosen assets on this machine goes to the first converter whose selector matches it (<see cref="ConversionManager"/>),
/// which writes its COGs into the task's work folder; once every asset is done, the COGs move into the item's folder of
/// downloads and become assets of the item, keyed by band or variable (a key another asset has already gets
/// <c>_cog</c>; a conversion run again replaces its own). A GeoTIFF already cloud-optimized is kept as it is; assets no
/// converter takes are named in the last progress stage, and the task fails when nothing could be converted. Nothing
/// is published.
/// </summary>
public sealed class ConvertTaskHandler(ISceneCatalog catalog, CatalogAssets assets, CatalogFolders folders, ConversionManager? converters = null)
    : ITaskHandler
{
    private readonly ConversionManager _converters = converters ?? ConversionManager.Default;

    public IReadOnlyCollection<TaskType> Types { get; } = [CatalogTaskTypes.Convert];

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var parameters = DownloadParameters.FromJson(context.Task.ParametersJson, folders);
        var (item, chosen) = await parameters.ItemAndAssetsAsync(catalog, cancellationToken);
        var here = chosen.Select(a => (Asset: a, Path: CatalogAssets.LocalPathOf(a))).Where(p => p.Path is not null).ToList();
        if (here.Count == 0)
        {
            throw new CatalogException($"none of the assets of item '{parameters.Item}' is on this machine: download them first");
        }
        var staging = Path.Combine(context.WorkFolder, "converted");
        var written = new List<ConvertedFile>();
        var kept = new List<string>();
        var unmatched = new List<string>();
        try
        {
            for (var i = 0; i < here.Count; i++)
            {
                var (asset, path) = here[i];
                context.Progress.Report(new TaskProgress($"convert {asset.Key}", i, here.Count));
                var input = new ConversionInput(item, asset, path!);
                if (_converters.Choose(input) is not { } converter)
                {
                    unmatched.Add(asset.Key);
                    continue;
                }
                // A folder per input: two inputs may give files of the same name.
                var folder = Directory.CreateDirectory(Path.Combine(staging, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
                var result = ConversionManager.Run(converter.Converter, input, folder, new NameProgress(context.Progress, asset.Key, i, here.Count), cancellationToken);
                if (result.Kept)
                {
                    kept.Add(asset.Key);
                }
                written.AddRange(result.Files);
            }
            if (written.Count == 0 && kept.Count == 0)
            {
                throw new CatalogException($"no converter takes the assets of item '{parameters.Item}' on this machine ({string.Join(", ", unmatched)}): "
                    + "a Sentinel-2 SAFE zip, a Landsat Collection 2 tar, a NetCDF file or a GeoTIFF is converted");
            }
            var added = await AddAsync(parameters, written, cancellationToken);
            var said = $"convert: {added.Count} COG asset{(added.Count == 1 ? "" : "s")}" + (added.Count > 0 ? $" ({string.Join(", ", added)})" : "");
            if (kept.Count > 0)
            {
                said += $"; already cloud-optimized, kept: {string.Join(", ", kept)}";
            }
            if (unmatched.Count > 0)
            {
                said += $"; no converter for: {string.Join(", ", unmatched)}";
            }
            context.Progress.Report(new TaskProgress(said, here.Count, here.Count));
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The files moved into the item's folder and added to the item as it is now (read again: the conversion took a while); their keys.</summary>
    private async Task<List<string>> AddAsync(DownloadParameters parameters, IReadOnlyList<ConvertedFile> files, CancellationToken cancellationToken)
    {
        var (collection, id) = parameters.ItemIds();
        var item = await catalog.GetItemAsync(collection, id, null, cancellationToken)
            ?? throw new CatalogException($"item '{id}' is no longer in collection '{collection}'");
        var folder = assets.ItemFolder(item);
        Directory.CreateDirectory(folder);
        var added = new Dictionary<string, CatalogAsset>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var key = KeyFor(item, file.Name, folder, added.Keys);
            var target = Path.Combine(folder, OutputNames.FileName(key));
            File.Move(file.Path, target, overwrite: true);
            added[key] = ConvertedAssets.Of(item, key, file, target);
        }
        var assetsNow = item.Assets.Select(a => added.GetValueOrDefault(a.Key) ?? a)
            .Concat(added.Values.Where(a => item.Assets.All(existing => existing.Key != a.Key))).ToList();
        await catalog.UpsertItemsAsync([item with { Assets = assetsNow }], cancellationToken);
        return [.. added.Keys];
    }

    /// <summary>
    /// The key of a converted file: its name, unless another asset of the item has that key or file (then with
    /// <c>_cog</c>, <c>_cog2</c>, ...); an asset of that key whose file is the one it would be written to is an
    /// earlier conversion's, which it replaces.
    /// </summary>
    private static string KeyFor(CatalogItem item, string name, string folder, IEnumerable<string> taken)
    {
        for (var n = 0; ; n++)
        {
            var key = n switch { 0 => name, 1 => name + "_cog", _ => $"{name}_cog{n}" };
            var file = Path.Combine(folder, OutputNames.FileName(key));
            var free = !taken.Any(t => t == key || OutputNames.FileName(t) == OutputNames.FileName(key))
                && item.Assets.All(a => a.Key == key ? a.LocalPath == file : a.LocalPath != file);
            if (free)
            {
                return key;
            }
        }
    }

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);

    public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A converter's progress (the band or variable it writes) as the task's.</summary>
    private sealed class NameProgress(IProgress<TaskProgress> task, string key, int done, int total) : IProgress<string>
    {
        public void Report(string value) => task.Report(new TaskProgress($"convert {key}: {value}", done, total));
    }
}
