using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Catalog;
using Tessera.Raster;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Server.Api;

/// <summary>
/// The one table from exception types to HTTP statuses; every error is an RFC 7807 problem details body
/// whose "detail" says what is wrong, naming the field or file, never a path on the server. An outage of the
/// database or of the disk is 503 (try again later), not 500. Only 5xx are logged as errors.
/// </summary>
public static class ApiErrors
{
    /// <summary>A request that names a missing or wrong field (400).</summary>
    public sealed class BadRequestException(string message) : Exception(message);

    /// <summary>Something the request names that does not exist, or that the caller may not see (404).</summary>
    public sealed class NotFoundException(string message) : Exception(message);

    private static int StatusOf(Exception e) => e switch
    {
        Tessera.Server.OpenEo.OpenEoException openEo => openEo.Status,
        Tessera.Processing.Graphs.GraphException graph => graph.IsClientError ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError,
        BadRequestException or Tessera.Host.Requests.TaskRequestException or Tessera.Processing.Operations.OperationRequestException or FileRejectedException or InvalidTransitionException or RasterArgumentException
            or GridAlignmentException
            or System.Text.Json.JsonException => StatusCodes.Status400BadRequest,
        // A stored file whose bytes cannot be read (it was stored before the checks that refuse such files).
        RasterOpenException or RasterIOException => StatusCodes.Status422UnprocessableEntity,
        Tessera.Server.Tiles.TilesBusyException => StatusCodes.Status503ServiceUnavailable,
        BadHttpRequestException bad => bad.StatusCode,
        TaskNotFoundException or StoredFileNotFoundException or StacNotFoundException or NotFoundException => StatusCodes.Status404NotFound,
        _ when Outages.IsOutage(e) => StatusCodes.Status503ServiceUnavailable,
        TaskException or CatalogException => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static async Task HandleAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = error is null ? 500 : StatusOf(error);
        var log = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Tessera.Server");
        string message;
        if (status == StatusCodes.Status503ServiceUnavailable && error is not null && Outages.Kind(error) is { } outage)
        {
            log?.LogError(error, "request failed: {Outage} is not available", outage);
            context.Response.Headers.RetryAfter = "5";
            // Say what is wrong as the readiness check sees it (a database error may be a full disk underneath).
            var problem = context.RequestServices.GetService<Tessera.Host.Maintenance.Readiness>() is { } readiness
                ? await readiness.ProblemAsync(CancellationToken.None)
                : null;
            message = $"the service cannot do this just now: {problem ?? (outage == "the disk" ? "its disk is full or failing" : "its database does not answer")}; try again later";
        }
        else if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable)
        {
            log?.LogError(error, "request failed");
            message = "internal error; see the server log";
        }
        else
        {
            message = error switch
            {
                BadHttpRequestException bad => BindingErrors.Describe(bad, context),
                System.Text.Json.JsonException json => BindingErrors.Json(json),
                null => ReasonPhrase(status),
                // openEO's own refusals are worded here, naming routes (/jobs/{id}/results), never files.
                Tessera.Server.OpenEo.OpenEoException openEo => openEo.Message,
                // Messages of the layers below may name files by their paths on this machine (GDAL's do).
                _ => ErrorText.ForCaller(error.Message),
            };
        }
        context.Response.StatusCode = status;
        await Problem(status, message, (error as Tessera.Server.OpenEo.OpenEoException)?.Code ?? (error as Tessera.Processing.Graphs.GraphException)?.Code)
            .ExecuteAsync(context);
    }

    /// <summary>
    /// Answers the framework leaves without a body (no route: 404, a method the route does not take: 405, a body of
    /// another media type: 415) in the documented shape, saying what was asked for.
    /// </summary>
    public static void UseProblemBodies(this WebApplication app) => app.UseStatusCodePages(async pages =>
    {
        var context = pages.HttpContext;
        var request = $"{context.Request.Method} {Shorten(context.Request.Path.Value ?? "/")}";
        var message = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"there is no {request} in this API",
            StatusCodes.Status405MethodNotAllowed => $"{Shorten(context.Request.Path.Value ?? "/")} does not take {context.Request.Method}",
            StatusCodes.Status413PayloadTooLarge => BodyLimits.TooLarge(context),
            StatusCodes.Status415UnsupportedMediaType => $"send the body as application/json (it was {(string.IsNullOrEmpty(context.Request.ContentType) ? "sent without a content type" : $"'{context.Request.ContentType}'")})",
            var status => ReasonPhrase(status),
        };
        await Problem(context.Response.StatusCode, message).ExecuteAsync(context);
    });

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;

    /// <summary>
    /// An error in both shapes at once: the API's envelope (<c>code</c> = the HTTP status, <c>message</c>,
    /// <c>data</c> = null) and RFC 7807 (<c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>).
    /// </summary>
    /// On openEO's routes, openEO's error shape instead (<see cref="Tessera.Server.OpenEo.OpenEoErrors"/>).
    public static IResult Problem(int status, string message, string? openEoCode = null) => new ErrorResult(status, message, openEoCode);

    private sealed class ErrorResult(int status, string message, string? openEoCode) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => Tessera.Server.OpenEo.OpenEoErrors.IsOpenEo(context)
            ? Tessera.Server.OpenEo.OpenEoErrors.WriteAsync(context, status, message, openEoCode)
            : Results.Problem(detail: message, statusCode: status, title: ReasonPhrase(status),
                extensions: new Dictionary<string, object?> { ["code"] = status, ["message"] = message, ["data"] = null }).ExecuteAsync(context);
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
