using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.Tasks;
using Tessera.Tasks.Stores;

namespace Tessera.Server.Api;

/// <summary><c>/health</c> (the process answers) and <c>/ready</c> (its database answers too).</summary>
public static class HealthApi
{
    public static void MapHealthApi(this WebApplication app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
        app.MapGet("/ready", Ready);
    }

    private static async Task<IResult> Ready(ITaskStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.ListAsync(new TaskQuery(), 0, 1, cancellationToken);
            return TypedResults.Ok(new { status = "ready" });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ApiErrors.Problem(StatusCodes.Status503ServiceUnavailable, $"database not reachable: {e.Message}");
        }
    }
}
