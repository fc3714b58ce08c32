using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Access;

/// <summary>The authenticated caller of a request (set by <see cref="TokenAuthentication"/>).</summary>
public sealed record Caller(string User, Role Role)
{
    private const string Key = "tessera.caller";

    /// <summary>Owner filter for reads: admins see everyone's (null), others their own.</summary>
    public string? Visibility => Role == Role.Admin ? null : User;

    public bool MaySee(string owner) => Role == Role.Admin || owner == User;

    public static Caller Of(HttpContext context) =>
        context.Items[Key] as Caller ?? throw new InvalidOperationException("the request was not authenticated");

    internal void AttachTo(HttpContext context) => context.Items[Key] = this;
}
