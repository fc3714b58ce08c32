using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.Catalog;
using Tessera.Catalog.Harvest;
using Tessera.Host.Catalog;
using Tessera.Server.Access;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;

namespace Tessera.Server.Api;

/// <summary>
/// Filling the catalog over HTTP: <c>POST /catalog/harvest</c> queues a harvest of another catalog (a STAC API or a
/// static catalog) as a task, with the fields of <see cref="HarvestRequest"/>; <c>POST /catalog/add</c> (administrators)
/// queues the addition of the products of a folder of the server; their progress and end are the tasks'.
/// What the catalog holds is read through the STAC API (<c>/stac</c>).
/// </summary>
public static class CatalogApi
{
    public static void MapCatalogApi(this WebApplication app)
    {
        app.MapPost("/catalog/harvest", Harvest).RequireRole(Role.Write);
        app.MapPost("/catalog/add", Add).RequireRole(Role.Admin);
        app.MapPost("/catalog/harvests", StartHarvests).RequireRole(Role.Write);
        app.MapPost("/catalog/harvests/retry", RetryHarvests).RequireRole(Role.Write);
    }

    /// <summary>geospaas_processing's <c>start_harvest</c>: a harvest task per search, its provider named in the harvest configuration.</summary>
    private static async Task<Ok<ApiResponse<object>>> StartHarvests(HttpContext context, ITaskStore tasks, TaskSignal signal,
        Tessera.Catalog.Harvest.HarvestConfiguration configuration, CancellationToken cancellationToken)
    {
        var body = await JsonBodies.ObjectAsync(context, cancellationToken);
        IReadOnlyList<HarvestRequest> requests;
        try
        {
            requests = Tessera.Catalog.Harvest.StartHarvest.Requests(body, configuration);
        }
        catch (CatalogException e)
        {
            throw new ApiErrors.BadRequestException(e.Message);
        }
        var ids = new List<long>();
        foreach (var request in requests)
        {
            ids.Add((await tasks.CreateAsync(new NewTask($"harvest {request.Source}", CatalogTaskTypes.Harvest, Caller.Of(context).User, "{}",
                ParametersJson: request.ToJson().ToJsonString()), cancellationToken)).Id);
        }
        signal.Notify();
        return TypedResults.Ok(ApiResponse<object>.Ok(new { taskIds = ids }));
    }

    /// <summary>geospaas_processing's <c>retry_ingestion</c>: the caller's harvests that failed run again.</summary>
    private static async Task<Ok<ApiResponse<object>>> RetryHarvests(HttpContext context, ITaskStore tasks, TaskSignal signal, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(context);
        var failed = await tasks.ListAsync(new TaskQuery(caller.Visibility, Tessera.Tasks.TaskStatus.DownloadFailed, CatalogTaskTypes.Harvest), 0, 10_000, cancellationToken);
        var ids = new List<long>();
        foreach (var task in failed.Items)
        {
            ids.Add((await tasks.RetryAsync(task.Id, caller.User, cancellationToken)).Id);
        }
        signal.Notify();
        return TypedResults.Ok(ApiResponse<object>.Ok(new { taskIds = ids }));
    }

    /// <summary>Queues the addition of a server folder's products to a local collection (administrators only).</summary>
    private static async Task<Ok<ApiResponse<object>>> Add(HttpContext context, ITaskStore tasks, TaskSignal signal, Tessera.Host.ServiceParts parts,
        CancellationToken cancellationToken)
    {
        var body = await JsonBodies.ObjectAsync(context, cancellationToken);
        Tessera.Catalog.Local.AddRequest request;
        try
        {
            request = Tessera.Catalog.Local.AddRequest.FromJson(body, parts.CatalogFolders);
        }
        catch (CatalogException e)
        {
            throw new ApiErrors.BadRequestException(e.Message);
        }
        if (await parts.Catalog.GetCollectionAsync(request.Collection, cancellationToken) is { Kind: not Tessera.Catalog.Scenes.CollectionKind.Local } other)
        {
            throw new ApiErrors.BadRequestException($"collection: '{other.Id}' holds {other.Kind.ToString().ToLowerInvariant()} scenes, not products of this server's folders");
        }
        var task = await tasks.CreateAsync(IdempotencyKeys.Apply(context.Request, new NewTask($"add {request.Collection}", CatalogTaskTypes.Add,
            Caller.Of(context).User, "{}", ParametersJson: request.ToJson().ToJsonString())), cancellationToken);
        signal.Notify();
        return TypedResults.Ok(ApiResponse<object>.Ok(new { taskId = task.Id }));
    }

    private static async Task<Ok<ApiResponse<object>>> Harvest(HttpContext context, ITaskStore tasks, TaskSignal signal, CancellationToken cancellationToken)
    {
        var body = await JsonBodies.ObjectAsync(context, cancellationToken);
        HarvestRequest request;
        try
        {
            request = HarvestRequest.FromJson(body);
        }
        catch (CatalogException e)
        {
            throw new ApiErrors.BadRequestException(e.Message);
        }
        var task = await tasks.CreateAsync(IdempotencyKeys.Apply(context.Request, new NewTask($"harvest {request.Source}", CatalogTaskTypes.Harvest,
            Caller.Of(context).User, "{}", ParametersJson: request.ToJson().ToJsonString())), cancellationToken);
        signal.Notify();
        return TypedResults.Ok(ApiResponse<object>.Ok(new { taskId = task.Id }));
    }
}
