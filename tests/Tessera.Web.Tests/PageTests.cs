using Microsoft.Playwright;
using Tessera.Server.Tests;

namespace Tessera.Web.Tests;

/// <summary>A class of page tests: each test gets its own <see cref="PageSession"/> (a server and a signed-in page),
/// started before it and ended after it.</summary>
public abstract class PageTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private PageSession? _session;

    protected Browser Browser => browser;

    internal PageSession Session => _session ?? throw new InvalidOperationException("the page session is not started");

    protected IPage Page => Session.Page;

    protected HttpClient Http => Session.Http;

    internal RunningServer Served => Session.Server;

    public async Task InitializeAsync() => _session = await PageSession.StartAsync(browser);

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
    }
}
