using System.Text.Json.Nodes;
using Tessera.Catalog.Harvest;
using Tessera.Catalog.Providers;
using Tessera.Catalog.Remote;
using Tessera.Catalog.Scenes;
using Tessera.Tasks;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Catalog;

/// <summary>
/// Runs harvest tasks: the harvest is the DOWNLOADING stage (its progress: items registered so far), processing and
/// publishing have nothing to do (the items are in the catalog as soon as each page is written; a harvest run again
/// updates them). The task's parameters are the harvest request.
/// </summary>
public sealed class HarvestTaskHandler(ISceneCatalog catalog, AllowedHosts allowedHosts, ProviderSettingsFile providers) : ITaskHandler
{
    public IReadOnlyCollection<TaskType> Types { get; } = [CatalogTaskTypes.Harvest];

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var request = HarvestRequest.FromJson(JsonNode.Parse(context.Task.ParametersJson) as JsonObject
            ?? throw new InvalidOperationException("the harvest's parameters are not a JSON object"));
        using var http = RemoteHttp.Client(allowedHosts, providers: providers);
        var total = request.MaxItems ?? 0;
        var result = await new StacHarvester(http, catalog).RunAsync(request,
            new Progress(context.Progress, total), cancellationToken);
        context.Progress.Report(new TaskProgress("harvest", result.Items, Math.Max(total, result.Items)));
    }

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);

    public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class Progress(IProgress<TaskProgress> task, int total) : IProgress<int>
    {
        public void Report(int value) => task.Report(new TaskProgress("harvest", value, Math.Max(total, value)));
    }
}
