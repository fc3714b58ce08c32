using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Catalog;
using Tessera.Tasks;

namespace Tessera.Server.Api;

/// <summary>
/// The one table from exception types to HTTP statuses; every error is an RFC 7807 problem details body
/// whose "detail" is the exception's message. Only 5xx are logged as errors.
/// </summary>
public static class ApiErrors
{
    /// <summary>A request that names a missing or wrong field (400).</summary>
    public sealed class BadRequestException(string message) : Exception(message);

    private static int StatusOf(Exception e) => e switch
    {
        BadRequestException or FileRejectedException or InvalidTransitionException or Tessera.Raster.RasterArgumentException => StatusCodes.Status400BadRequest,
        Tessera.Server.Tiles.TilesBusyException => StatusCodes.Status503ServiceUnavailable,
        Microsoft.AspNetCore.Http.BadHttpRequestException bad => bad.StatusCode,
        TaskNotFoundException or StoredFileNotFoundException or StacNotFoundException => StatusCodes.Status404NotFound,
        TaskException or CatalogException => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static async Task HandleAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = error is null ? 500 : StatusOf(error);
        if (status >= 500)
        {
            context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Tessera.Server").LogError(error, "request failed");
        }
        context.Response.StatusCode = status;
        await Problem(status, status >= 500 ? "internal error; see the server log" : error?.Message ?? ReasonPhrase(status)).ExecuteAsync(context);
    }

    /// <summary>
    /// An error in both shapes at once: the API's envelope (<c>code</c> = the HTTP status, <c>message</c>,
    /// <c>data</c> = null) and RFC 7807 (<c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>).
    /// </summary>
    public static IResult Problem(int status, string message) =>
        Results.Problem(detail: message, statusCode: status, title: ReasonPhrase(status),
            extensions: new Dictionary<string, object?> { ["code"] = status, ["message"] = message, ["data"] = null });

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
