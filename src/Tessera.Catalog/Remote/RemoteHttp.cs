using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Catalog.Remote;

/// <summary>
/// HTTP to other people's servers (remote catalogs, providers), with each provider's credentials
/// (<see cref="Providers.ProviderAuthentication"/>, which follows redirects): every connection, redirects included, goes only to
/// addresses <see cref="AllowedHosts"/> allows (checked on the address the name resolved to, so a name cannot be made
/// to point inside later); JSON documents are read with a size limit; failures name the URL and what went wrong.
/// </summary>
public static class RemoteHttp
{
    /// <summary>The largest JSON document read (a page of a search, a catalog).</summary>
    public const int MaxDocumentBytes = 32 << 20;

    /// <param name="providers">Credentials by URL prefix (none when null): redirects are then followed hop by hop, each
    /// with its own provider's credentials only.</param>
    public static HttpClient Client(AllowedHosts allowed, TimeSpan? timeout = null, Providers.ProviderSettingsFile? providers = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
                var refused = addresses.FirstOrDefault(a => !allowed.Allows(host, a));
                if (refused is not null)
                {
                    throw new RemoteAccessException($"{host} is at {refused}, a private, loopback or link-local address: not reached unless TESSERA_ALLOWED_HOSTS allows it");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(new Providers.ProviderAuthentication(providers ?? Providers.ProviderSettingsFile.Empty) { InnerHandler = handler })
        {
            Timeout = timeout ?? TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Tessera");
        client.DefaultRequestHeaders.Accept.ParseAdd("application/geo+json, application/json;q=0.9");
        return client;
    }

    /// <summary>Sends a request, answering as soon as the headers arrive; <see cref="RemoteAccessException"/> naming the URL
    /// when there is no answer (refused, unreachable, not allowed, timed out).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteAccessException($"{request.RequestUri}: {(e.InnerException as RemoteAccessException)?.Message ?? e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RemoteAccessException($"{request.RequestUri}: no answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>GETs (or POSTs <paramref name="body"/>) a JSON object; <see cref="RemoteAccessException"/> naming the URL when it fails.</summary>
    public static async Task<(JsonObject Document, Uri Address)> JsonAsync(HttpClient http, Uri url, JsonObject? body, CancellationToken cancellationToken)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            throw new RemoteAccessException($"{url}: only http and https addresses are read");
        }
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, url);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }
        using (var response = await SendAsync(http, request, cancellationToken))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new RemoteAccessException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
            {
                throw new RemoteAccessException($"{url}: a document of {response.Content.Headers.ContentLength} bytes is larger than {MaxDocumentBytes} bytes");
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var limited = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (limited.Length + read > MaxDocumentBytes)
                {
                    throw new RemoteAccessException($"{url}: the document is larger than {MaxDocumentBytes} bytes");
                }
                limited.Write(buffer, 0, read);
            }
            try
            {
                return (JsonNode.Parse(limited.ToArray()) as JsonObject ?? throw new RemoteAccessException($"{url}: not a JSON object"),
                    response.RequestMessage?.RequestUri ?? url);
            }
            catch (JsonException e)
            {
                throw new RemoteAccessException($"{url}: not JSON ({e.Message})");
            }
        }
    }
}

/// <summary>A remote server could not be read, or may not be reached; the message names the URL.</summary>
public class RemoteAccessException(string message) : CatalogException(message);
