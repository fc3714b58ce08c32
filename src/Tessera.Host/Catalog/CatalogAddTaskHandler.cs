using System.Text.Json.Nodes;
using Tessera.Catalog;
using Tessera.Catalog.Local;
using Tessera.Catalog.Scenes;
using Tessera.Raster;
using Tessera.Tasks;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Catalog;

/// <summary>
/// Runs additions of a folder's products to a local collection: the scan is the DOWNLOADING stage (its progress: the
/// products registered); the collection is made (or its bands completed) and the products become its items, their
/// assets lying where they were found. How many files were no product's band is said in the last progress stage.
/// </summary>
public sealed class CatalogAddTaskHandler(ISceneCatalog catalog, CatalogFolders folders) : ITaskHandler
{
    public IReadOnlyCollection<TaskType> Types { get; } = [CatalogTaskTypes.Add];

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var request = AddRequest.FromJson(JsonNode.Parse(context.Task.ParametersJson) as JsonObject
            ?? throw new InvalidOperationException("the addition's parameters are not a JSON object"), folders);
        if (await catalog.GetCollectionAsync(request.Collection, cancellationToken) is { Kind: not CollectionKind.Local } other)
        {
            throw new CatalogException($"collection '{other.Id}' holds {other.Kind.ToString().ToLowerInvariant()} scenes, not products of this machine's folders");
        }
        ProductScanner.Result result;
        var previous = RasterFilePolicy.Current;
        RasterFilePolicy.Apply(RasterFilePolicy.Service);
        try
        {
            result = ProductScanner.Scan(request.Folder, request.Collection,
                new Progress<int>(n => context.Progress.Report(new TaskProgress("scan", n, 0))), cancellationToken);
        }
        finally
        {
            RasterFilePolicy.Apply(previous);
        }
        var existing = await catalog.GetCollectionAsync(request.Collection, cancellationToken);
        var bands = (existing?.Bands ?? []).Concat(result.Bands).GroupBy(b => b.Name).Select(g => g.First()).ToList();
        await catalog.UpsertCollectionAsync(new CatalogCollection(request.Collection, request.Title ?? existing?.Title ?? request.Collection,
            existing?.Description ?? "Products found in folders of this server", existing?.License ?? "other", CollectionKind.Local, bands,
            existing?.Summaries ?? [], Source: request.Folder), cancellationToken);
        await catalog.UpsertItemsAsync(result.Items, cancellationToken);
        context.Progress.Report(new TaskProgress(result.Skipped.Count == 0 ? "scan" : $"scan ({result.Skipped.Count} files skipped)",
            result.Items.Count, result.Items.Count));
    }

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);

    public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;
}
