using Microsoft.AspNetCore.Builder;

namespace Tessera.Server.Access;

/// <summary>
/// Who may call a route, as endpoint metadata read by <see cref="TokenAuthentication"/>: a public route needs no
/// token; otherwise a GET needs the read role and anything else the write role, unless the route says otherwise
/// (a query sent as POST needs only read; cleaning up needs admin).
/// </summary>
public static class Access
{
    /// <summary>The role a route needs, when it is not the one its method implies.</summary>
    public sealed record Needs(Role Role);

    /// <summary>A route anyone may call, without a token (health, readiness, metrics, the page, the API's description).</summary>
    public sealed record Public;

    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Needs(role));

    public static TBuilder AllowAnyone<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Public());
}
