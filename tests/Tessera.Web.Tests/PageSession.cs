using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Tests;
using Tessera.TestSupport;

namespace Tessera.Web.Tests;

/// <summary>
/// What the page tests share: a real server (embedded worker, SQLite) with a write token for alice, an HTTP client
/// carrying it for the set-up the test does not click through, and a Chromium page of a given width that holds the
/// token as a user's does (taken from the address the server prints).
/// </summary>
internal sealed class PageSession : IAsyncDisposable
{
    private IBrowserContext? _context;

    private PageSession(RunningServer server, HttpClient http)
    {
        Server = server;
        Http = http;
    }

    public RunningServer Server { get; }

    /// <summary>alice's client: uploads and tasks made without the page.</summary>
    public HttpClient Http { get; }

    public IPage Page { get; private set; } = null!;

    public static async Task<PageSession> StartAsync(Browser browser, int width = 1280, Func<ServiceOptions, ServiceOptions>? settings = null)
    {
        var server = await RunningServer.StartAsync(settings ?? (o => o), ("alice", "alice", Role.Write));
        var session = new PageSession(server, server.Client("alice"));
        await session.OpenPageAsync(browser, width);
        return session;
    }

    /// <summary>A new page (of another width, say), signed in with the token in the address, on the task list.</summary>
    public async Task OpenPageAsync(Browser browser, int width)
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
        _context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 1000 } });
        Page = await _context.NewPageAsync();
        Page.SetDefaultTimeout(30_000);
        await Page.GotoAsync($"{Server.Address}#token={Http.DefaultRequestHeaders.Authorization!.Parameter}");
        await Assertions.Expect(Page.Locator("#tasks")).ToBeVisibleAsync();
    }

    public Task GoAsync(string fragment) => Page.GotoAsync($"{Server.Address}{fragment}");

    /// <summary>Uploads a sample under its own name; its file id.</summary>
    public async Task<long> UploadAsync(string sample)
    {
        using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(SampleData.File(sample))), "file", sample } };
        return (await ApiCallsOfPages.Data(await Http.PostAsync("/files", form))).GetProperty("id").GetInt64();
    }

    /// <summary>Adds a task and waits for it to be published (failing the test otherwise); its detail.</summary>
    public async Task<JsonElement> RunAsync(object task) =>
        await EndedAsync((await ApiCallsOfPages.Data(await Http.PostAsJsonAsync("/processtask/addTask", task))).GetProperty("taskId").GetInt64());

    /// <summary>A task's detail once it is published (failing the test if it failed).</summary>
    public async Task<JsonElement> EndedAsync(long id)
    {
        for (var i = 0; i < 600; i++)
        {
            var detail = await ApiCallsOfPages.Data(await Http.GetAsync($"/processtask/query/task/detail?id={id}"));
            if (detail.GetProperty("status").GetInt32() is 7 or 4 or 8 or 9)
            {
                Assert.True(detail.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", detail.ToString());
                return detail;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"task {id} did not end");
    }

    /// <summary>Downloads a published task's result into the data folder; its path.</summary>
    public async Task<string> DownloadAsync(JsonElement detail, string name)
    {
        var path = Server.Data.File(name);
        await File.WriteAllBytesAsync(path, await Http.GetByteArrayAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString()));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
        await Server.DisposeAsync();
    }
}

/// <summary>The envelope's data of a successful answer (the test fails, with the body, on any other).</summary>
internal static class ApiCallsOfPages
{
    public static async Task<JsonElement> Data(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }
}
