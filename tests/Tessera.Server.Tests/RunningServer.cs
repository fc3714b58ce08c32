using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests;

/// <summary>
/// A real server (Kestrel on a free loopback port) on a data folder of its own, with API tokens made before
/// it starts, and HTTP clients that carry them. Disposing stops the server and removes the folder.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _tokens;
    private readonly List<HttpClient> _clients = [];

    private RunningServer(TempFolder data, WebApplication app, Uri address, Dictionary<string, string> tokens)
    {
        Data = data;
        App = app;
        Address = address;
        _tokens = tokens;
    }

    public TempFolder Data { get; }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>A service of the running server (its task store, say), to play a worker or look behind the API.</summary>
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="options">The server's options, given its data folder and URL.</param>
    /// <param name="tokens">Tokens to create first, by name: (name, user, role).</param>
    public static async Task<RunningServer> StartAsync(Func<string, string, ServerOptions> options, params (string Name, string User, Role Role)[] tokens)
    {
        var data = new TempFolder();
        var store = new TokenStore(data.Path);
        var secrets = tokens.ToDictionary(t => t.Name, t => store.Create(t.User, t.Role)); // before the server reads the file
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var app = await TesseraServer.BuildAsync(options(data.Path, url));
        await app.StartAsync();
        return new RunningServer(data, app, new Uri(url), secrets);
    }

    /// <summary>A server on the defaults but for a worker that polls every second (a task starts at once), with the
    /// given tokens.</summary>
    public static Task<RunningServer> StartAsync(params (string Name, string User, Role Role)[] tokens) => StartAsync(o => o, tokens);

    /// <summary>As <see cref="StartAsync((string Name, string User, Role Role)[])"/>, with <paramref name="settings"/>
    /// applied to the service's options.</summary>
    public static Task<RunningServer> StartAsync(Func<ServiceOptions, ServiceOptions> settings, params (string Name, string User, Role Role)[] tokens) =>
        StartAsync((data, url) => new ServerOptions(settings(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1))), url), tokens);

    /// <summary>The secret of a token made at start, by name.</summary>
    public string Token(string name) => _tokens[name];

    /// <summary>A client sending the named token, a raw token string, or (null) none.</summary>
    public HttpClient Client(string? token)
    {
        // A client that sends "Expect: 100-continue" waits for the server's answer before sending its body (by
        // default for 1 s only, which a loaded machine can exceed).
        var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.GetValueOrDefault(token, token));
        }
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Data.Dispose();
    }
}
