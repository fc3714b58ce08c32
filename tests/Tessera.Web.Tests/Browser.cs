using Microsoft.Playwright;
using Tessera.TestSupport;

namespace Tessera.Web.Tests;

/// <summary>
/// One real headless Chromium for a test class, driven by Playwright: Debian's <c>/usr/bin/chromium</c>
/// (or <c>TESSERA_TEST_CHROMIUM</c>), no browser download.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Instance { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("TESSERA_TEST_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is needed by the web page's tests: install Debian's chromium package (scripts/test does) or set TESSERA_TEST_CHROMIUM; {executable} does not exist");
        }
        _playwright = await Playwright.CreateAsync();
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        await Instance.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>Where screenshots are kept: TESSERA_TEST_ARTIFACTS/browser, else artifacts/browser in the repository.</summary>
    public static string ArtifactsFolder() => Artifacts.Folder("browser");
}
