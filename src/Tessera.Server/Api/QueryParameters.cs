using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Api;

/// <summary>A request's query holds only the parameters its endpoint takes (and a token): anything else is refused by name.</summary>
public static class QueryParameters
{
    public static void Only(HttpContext context, params string[] known)
    {
        foreach (var key in context.Request.Query.Keys)
        {
            if (key != "access_token" && !known.Contains(key, StringComparer.Ordinal))
            {
                var shown = key.Length > 40 ? key[..40] + "…" : key;
                throw new ApiErrors.BadRequestException($"{shown}: not a parameter of this request (it takes {string.Join(", ", known)})");
            }
        }
    }
}
