using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tessera.Server.Api;

/// <summary>
/// How large a request body each route accepts: uploads up to the store's limit, a new task up to
/// <see cref="Task"/> (its GeoJSON zones or cutline), everything else <see cref="Default"/>. A body declared
/// larger is refused before it is read (413 naming the route and the limit); one that grows past the limit while
/// it is read stops there with the same answer.
/// </summary>
public static class BodyLimits
{
    /// <summary>A route's limit, as endpoint metadata.</summary>
    public sealed record Limit(long Bytes);

    public const long Default = 64 << 10;

    public const long Task = 16 << 20;

    private const string Key = "tessera.body-limit";

    /// <summary>Gives the route(s) a body limit of their own.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Limit(bytes));

    /// <summary>Applies the matched route's limit; runs after routing, before the endpoint reads anything.</summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Limit>()?.Bytes ?? Default;
        context.Items[Key] = limit;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        if (context.Request.ContentLength > limit)
        {
            // The body stays unread: the connection cannot carry another request, and the client is told so.
            context.Response.Headers.Connection = "close";
            await ApiErrors.Problem(StatusCodes.Status413PayloadTooLarge, TooLarge(context)).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>The message of a body over the limit of the request's route.</summary>
    public static string TooLarge(HttpContext context)
    {
        var limit = context.Items[Key] as long? ?? Default;
        return $"the request body is larger than the {Describe(limit)} that {context.Request.Method} {context.Request.Path} accepts";
    }

    private static string Describe(long bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.##} GiB"
        : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MiB"
        : $"{bytes >> 10} KiB";
}
