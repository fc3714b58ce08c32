using Microsoft.AspNetCore.Http;
using Tessera.Server.Api;

namespace Tessera.Server.Access;

/// <summary>
/// Every request but those of public routes (<see cref="Access.Public"/>: <c>/health</c>, <c>/ready</c>,
/// <c>/openapi.json</c>, <c>/metrics</c>, the web page) carries <c>Authorization: Bearer TOKEN</c> (or basic
/// credentials whose password is the token, for clients that only speak basic; a GET may
/// instead carry <c>?access_token=TOKEN</c>, as map tile requests must): missing or unknown → 401; a known token
/// whose role is too low for the route → 403. openEO clients' <c>Bearer basic//TOKEN</c> is the token too. A route needs the role it declares (<see cref="Access.Needs"/>),
/// else read for GET and write for anything else. Runs after routing, so it knows the route.
/// </summary>
public sealed class TokenAuthentication(RequestDelegate next, TokenStore tokens)
{
    /// <summary>What openEO clients put before a token they got through basic credentials (<c>Bearer basic//TOKEN</c>).</summary>
    private const string OpenEoBasicPrefix = "basic//";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<Access.Public>() is not null)
        {
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim()
            : header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? BasicPassword(header[6..].Trim())
            : null;
        if (presented is not null && presented.StartsWith(OpenEoBasicPrefix, StringComparison.Ordinal))
        {
            presented = presented[OpenEoBasicPrefix.Length..]; // openEO clients say which way they got the token
        }
        var reading = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        if (presented is null && reading && context.Request.Query["access_token"] is { Count: 1 } fromQuery)
        {
            // Reading only: map libraries load tiles and images as plain <img> requests, which carry no header.
            presented = fromQuery.ToString();
        }
        var identity = tokens.Find(presented);
        if (identity is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiErrors.Problem(StatusCodes.Status401Unauthorized,
                presented is null ? "send an API token: Authorization: Bearer TOKEN"
                : tokens.ExpiredAt(presented) is { } expired ? $"the API token expired at {expired.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"
                : "the API token is not valid").ExecuteAsync(context);
            return;
        }
        var needed = endpoint?.Metadata.GetMetadata<Access.Needs>()?.Role ?? (reading ? Role.Read : Role.Write);
        if (identity.Role < needed)
        {
            await ApiErrors.Problem(StatusCodes.Status403Forbidden,
                $"this needs the {needed.ToString().ToLowerInvariant()} role; the token has {identity.Role.ToString().ToLowerInvariant()}").ExecuteAsync(context);
            return;
        }
        new Caller(identity.User, identity.Role).AttachTo(context);
        await next(context);
    }

    /// <summary>The password of HTTP basic credentials ("user:TOKEN", any user name), for clients that only speak basic (GDAL, harvesters).</summary>
    internal static string? BasicPassword(string encoded)
    {
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':');
            return colon < 0 ? null : text[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
