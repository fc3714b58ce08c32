using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tessera.Catalog.Providers;

/// <summary>
/// Sends each request with the credentials of the provider its URL falls under (basic authentication, or an OAuth2
/// bearer token asked at the provider's token URL and kept until shortly before it expires), and follows redirects
/// itself, choosing the credentials again for every hop: a provider's credentials never go to another host (or
/// another provider's prefix) after a redirect. The inner handler must not follow redirects.
/// </summary>
public sealed class ProviderAuthentication(ProviderSettingsFile providers, TimeProvider? time = null) : DelegatingHandler
{
    private const int MaxRedirects = 5;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, (string Token, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _tokenGate = new(1, 1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var mediaType = request.Content?.Headers.ContentType;
        for (var hop = 0; ; hop++)
        {
            await AuthorizeAsync(request, cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                    or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect) || response.Headers.Location is not { } location)
            {
                return response;
            }
            if (hop == MaxRedirects)
            {
                response.Dispose();
                throw new HttpRequestException($"more than {MaxRedirects} redirects");
            }
            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            var keepsMethod = response.StatusCode is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
            response.Dispose();
            var next = new HttpRequestMessage(keepsMethod ? request.Method : HttpMethod.Get, target);
            foreach (var header in request.Headers.Where(h => h.Key != "Authorization"))
            {
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            if (keepsMethod && body is not null)
            {
                next.Content = new ByteArrayContent(body);
                next.Content.Headers.ContentType = mediaType;
            }
            request = next;
        }
    }

    private async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = null;
        if (providers.For(request.RequestUri!) is not { } provider)
        {
            return;
        }
        if (provider.OAuth2)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(provider, cancellationToken));
        }
        else if (provider.Username is not null || provider.Password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{provider.Username}:{provider.Password}")));
        }
    }

    /// <summary>An OAuth2 access token of the provider: the password grant when it has a username, else client credentials.</summary>
    private async Task<string> TokenAsync(ProviderSettings provider, CancellationToken cancellationToken)
    {
        await _tokenGate.WaitAsync(cancellationToken);
        try
        {
            if (_tokens.TryGetValue(provider.Prefix, out var kept) && kept.Until > _time.GetUtcNow())
            {
                return kept.Token;
            }
            var form = new Dictionary<string, string> { ["client_id"] = provider.ClientId! };
            if (provider.Username is not null)
            {
                form["grant_type"] = "password";
                form["username"] = provider.Username;
                form["password"] = provider.Password ?? "";
            }
            else
            {
                form["grant_type"] = "client_credentials";
            }
            if (provider.ClientSecret is not null)
            {
                form["client_secret"] = provider.ClientSecret;
            }
            using var ask = new HttpRequestMessage(HttpMethod.Post, provider.TokenUrl) { Content = new FormUrlEncodedContent(form) };
            using var answer = await base.SendAsync(ask, cancellationToken);
            var text = await answer.Content.ReadAsStringAsync(cancellationToken);
            if (!answer.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{provider}: the token URL {provider.TokenUrl} answered HTTP {(int)answer.StatusCode}");
            }
            string token;
            double lifetime;
            try
            {
                using var document = JsonDocument.Parse(text);
                token = document.RootElement.GetProperty("access_token").GetString() ?? throw new KeyNotFoundException();
                lifetime = document.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetDouble(out var seconds) ? seconds : 300;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new HttpRequestException($"{provider}: the token URL {provider.TokenUrl} did not answer an access_token");
            }
            // Asked again a little before it expires, so that a request never leaves with a token about to lapse.
            _tokens[provider.Prefix] = (token, _time.GetUtcNow().AddSeconds(Math.Max(0, lifetime - 30)));
            return token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tokenGate.Dispose();
        }
        base.Dispose(disposing);
    }
}
