namespace Tessera.Server.Api;

/// <summary>Who is asking. Until access tokens exist every request is the local user's.</summary>
internal static class Caller
{
    public const string Local = "local";
}
