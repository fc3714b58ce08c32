using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.OpenEo;

/// <summary>
/// CORS on openEO's routes, as the API requires of back-ends for web clients (the Web Editor): any origin, with
/// credentials (the origin echoed), <c>Location</c>, <c>OpenEO-Identifier</c>, <c>OpenEO-Costs</c> and <c>Link</c>
/// exposed; a preflight (<c>OPTIONS</c>) is answered at once, before authentication.
/// </summary>
public static class OpenEoCors
{
    public static void UseOpenEoCors(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (!OpenEoErrors.IsOpenEo(context))
        {
            await next(context);
            return;
        }
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = context.Request.Headers.Origin.Count > 0 ? context.Request.Headers.Origin.ToString() : "*";
        headers.AccessControlAllowCredentials = "true";
        headers.AccessControlExposeHeaders = "Location, OpenEO-Identifier, OpenEO-Costs, Link";
        headers.Vary = "Origin";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            headers.AccessControlAllowMethods = "OPTIONS, GET, POST, PATCH, PUT, DELETE";
            headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders.Count > 0
                ? context.Request.Headers.AccessControlRequestHeaders.ToString() : "Authorization, Content-Type";
            headers.AccessControlMaxAge = "3600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await next(context);
    });
}
