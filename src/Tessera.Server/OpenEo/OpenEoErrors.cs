using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.OpenEo;

/// <summary>
/// Errors on openEO's routes in openEO's shape (<c>id</c>: the request's id, <c>code</c>: openEO's error code,
/// <c>message</c>, <c>links</c>), the same errors elsewhere being RFC 7807 problems. A code comes from the exception
/// (<see cref="OpenEoException"/>) or else from the status.
/// </summary>
public static class OpenEoErrors
{
    /// <summary>Whether a request is one of openEO's (its discovery document included).</summary>
    public static bool IsOpenEo(HttpContext context) =>
        context.Request.Path.StartsWithSegments(OpenEoApi.Root) || context.Request.Path.StartsWithSegments("/.well-known/openeo");

    /// <summary>openEO's code for a status when nothing more precise is known.</summary>
    public static string CodeOf(int status, bool tokenPresented = false) => status switch
    {
        StatusCodes.Status400BadRequest => "BadRequest",
        StatusCodes.Status401Unauthorized => tokenPresented ? "TokenInvalid" : "AuthenticationRequired",
        StatusCodes.Status403Forbidden => "PermissionsInsufficient",
        StatusCodes.Status404NotFound => "NotFound",
        StatusCodes.Status405MethodNotAllowed => "MethodNotAllowed",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status413PayloadTooLarge => "PayloadTooLarge",
        StatusCodes.Status415UnsupportedMediaType => "ContentTypeInvalid",
        StatusCodes.Status422UnprocessableEntity => "UnprocessableEntity",
        StatusCodes.Status503ServiceUnavailable => "ServiceUnavailable",
        _ => "Internal",
    };

    /// <summary>Writes the error in openEO's shape.</summary>
    public static Task WriteAsync(HttpContext context, int status, string message, string? code = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject
        {
            ["id"] = context.TraceIdentifier,
            ["code"] = code ?? CodeOf(status, context.Request.Headers.Authorization.Count > 0),
            ["message"] = message,
            ["links"] = new JsonArray(),
        };
        return context.Response.WriteAsync(body.ToJsonString());
    }
}

/// <summary>An error of openEO's with its code (<c>CollectionNotFound</c>, <c>ProcessUnsupported</c>, ...).</summary>
public sealed class OpenEoException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}
