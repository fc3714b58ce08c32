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
/// static catalog) as a task, with the fields of <see cref="HarvestRequest"/>; its progress and end are the task's.
/// What the catalog holds is read through the STAC API (<c>/stac</c>).
/// </summary>
public static class CatalogApi
{
    public static void MapCatalogApi(this WebApplication app)
    {
        app.MapPost("/catalog/harvest", Harvest).RequireRole(Role.Write);
    }

    private static async Task<Ok<ApiResponse<object>>> Harvest(HttpContext context, ITaskStore tasks, TaskSignal signal, CancellationToken cancellationToken)
    {
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: cancellationToken) as JsonObject
                ?? throw new ApiErrors.BadRequestException("send the harvest as a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ApiErrors.BadRequestException($"the harvest is not JSON: {e.Message}");
        }
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
