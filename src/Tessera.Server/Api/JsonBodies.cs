using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Api;

/// <summary>Request bodies that are one JSON object; anything else is a 400 saying so.</summary>
public static class JsonBodies
{
    public static async Task<JsonObject> ObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: cancellationToken) as JsonObject
                ?? throw new ApiErrors.BadRequestException("send a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ApiErrors.BadRequestException($"the body is not JSON: {e.Message}");
        }
    }
}
