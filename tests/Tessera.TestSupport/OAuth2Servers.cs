using System.Diagnostics;
using System.Text.Json;

namespace Tessera.TestSupport;

/// <summary>
/// A real OAuth2 authorization server (npm's oauth2-mock-server: signed JWTs; the client credentials and password
/// grants, refusing other client credentials than the ones given) and a file server that serves a folder only to
/// requests bearing one of its tokens, verified against its keys (<c>tests/reference/oauth2/serve.mjs</c>).
/// </summary>
public sealed class OAuth2Servers : IDisposable
{
    private readonly Process _process;

    private OAuth2Servers(Process process, Uri issuer, Uri resource)
    {
        _process = process;
        Issuer = issuer;
        Resource = resource;
    }

    /// <summary>The authorization server, ending with '/'; tokens are asked at <c>{Issuer}token</c>.</summary>
    public Uri Issuer { get; }

    /// <summary>The folder's server, ending with '/'.</summary>
    public Uri Resource { get; }

    public static OAuth2Servers Start(string folder, string clientId, string clientSecret)
    {
        var script = Path.Combine(NodeTools.Folder("oauth2"), "serve.mjs");
        var process = NodeProcesses.Start([script, folder, clientId, clientSecret]);
        using var started = NodeProcesses.Started(process, "the OAuth2 servers");
        return new OAuth2Servers(process, new Uri(started.RootElement.GetProperty("issuer").GetString()!),
            new Uri(started.RootElement.GetProperty("resource").GetString()!));
    }

    /// <summary>What the servers counted: tokens issued and refused, files served, requests refused without a valid token.</summary>
    public (int Tokens, int RefusedTokens, int Files, int Unauthorized) Stats()
    {
        using var http = new HttpClient();
        using var stats = JsonDocument.Parse(http.GetStringAsync(new Uri(Resource, "_stats")).GetAwaiter().GetResult());
        var r = stats.RootElement;
        return (r.GetProperty("tokens").GetInt32(), r.GetProperty("refused_tokens").GetInt32(), r.GetProperty("files").GetInt32(), r.GetProperty("unauthorized").GetInt32());
    }

    public void Dispose() => NodeProcesses.Stop(_process);
}
