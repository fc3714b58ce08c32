using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Tessera.Server.Access;

namespace Tessera.Server.Api;

/// <summary><c>/health</c> (the process answers) and <c>/ready</c> (its database answers and its disk takes files).</summary>
public static class HealthApi
{
    public static void MapHealthApi(this WebApplication app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).AllowAnyone();
        app.MapGet("/ready", Ready).AllowAnyone();
    }

    private static async Task<IResult> Ready(Tessera.Host.Maintenance.Readiness readiness, CancellationToken cancellationToken) =>
        await readiness.ProblemAsync(cancellationToken) is { } problem
            ? ApiErrors.Problem(StatusCodes.Status503ServiceUnavailable, problem)
            : TypedResults.Ok(new { status = "ready" });
}
