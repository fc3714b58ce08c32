using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tessera.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Tessera.Web.Tests;

/// <summary>
/// The README's first run, literally: its marked block run by bash on a fresh clone of the repository (the service
/// built and started by <c>scripts/run</c>, the token its first start prints, the samples uploaded, the NDVI task
/// followed to its end); the result equals numpy's NDVI of the samples, and the address the block prints opens the
/// page on which the task's result is on the map.
/// </summary>
public sealed class ReadmeFirstRunTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly TempFolder _folder = new();
    private Process? _run;

    public void Dispose()
    {
        if (_run is { HasExited: false })
        {
            // The block leaves the service running in the background, in the block's process group: stop them all.
            Process.Start("kill", ["-TERM", "--", $"-{_run.Id}"])!.WaitForExit();
            _run.WaitForExit(20_000);
        }
        // And anything of the clone's that outlived its group (the service's worker child).
        Process.Start("pkill", ["-TERM", "-f", _folder.Path + "/clone/out/tessera/"])!.WaitForExit();
        _folder.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tessera.slnx")) && Directory.Exists(Path.Combine(folder.FullName, ".git")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("the test does not run inside a clone of the repository");
    }

    /// <summary>The shell lines of the README's block marked <c>&lt;!-- first-run --&gt;</c>.</summary>
    private static string FirstRunBlock(string readme)
    {
        var text = File.ReadAllText(readme);
        var marker = text.IndexOf("<!-- first-run -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, "the README has no first-run block");
        var start = text.IndexOf("```sh\n", marker, StringComparison.Ordinal) + "```sh\n".Length;
        var end = text.IndexOf("\n```", start, StringComparison.Ordinal);
        return text[start..end] + "\n";
    }

    [SampleDataFact]
    public async Task TheReadmesFirstRun_WorksAsWritten_OnAFreshClone()
    {
        var clone = Path.Combine(_folder.Path, "clone");
        ExternalTool.Run("git", "clone", "--quiet", RepositoryRoot(), clone);
        var script = Path.Combine(_folder.Path, "first-run.sh");
        await File.WriteAllTextAsync(script, "set -e\n" + FirstRunBlock(Path.Combine(clone, "README.md")));

        // As a new user's shell runs it: in the clone, without the test suite's settings.
        var start = new ProcessStartInfo("setsid", ["bash", script]) { WorkingDirectory = clone, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in new[] { "TESSERA_ADMIN_TOKEN", "TESSERA_DATA", "TESSERA_DATABASE" })
        {
            start.Environment.Remove(name);
        }
        _run = Process.Start(start)!;
        var output = _run.StandardOutput.ReadToEndAsync();
        var errors = _run.StandardError.ReadToEndAsync();
        Assert.True(_run.WaitForExit(TimeSpan.FromMinutes(15)), "the first run did not finish in 15 minutes");
        var log = File.Exists(Path.Combine(clone, "tessera.log")) ? await File.ReadAllTextAsync(Path.Combine(clone, "tessera.log")) : "";
        Assert.True(_run.ExitCode == 0, $"the first run failed ({_run.ExitCode}): {await errors}\n{await output}\n{log}");

        // What it printed last: the page's address with the token.
        var address = Regex.Match(await output, @"open (http://127\.0\.0\.1:8080/#token=(tsr_\S+)) and the task 'ndvi'");
        Assert.True(address.Success, await output);
        var token = address.Groups[2].Value;
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:8080") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var result = Path.Combine(_folder.Path, "ndvi.tif");
        var detail = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/processtask/query/task/detail?id=1")).RootElement.GetProperty("data");
        await File.WriteAllBytesAsync(result, await http.GetByteArrayAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString()));
        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "ndvi", output = result, like = result,
            inputs = new Dictionary<string, object>
            {
                ["nir"] = new { path = Path.Combine(clone, "samples", "B08.tif"), scale = 0.0001 },
                ["red"] = new { path = Path.Combine(clone, "samples", "B04.tif"), scale = 0.0001 },
            },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());

        // The address opens the page; the task's result is on the map.
        var context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(address.Groups[1].Value);
        await page.ClickAsync("#tasks >> text=ndvi");
        await Expect(page.Locator("#map .result-tiles img.leaflet-tile-loaded").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "readme-first-run.png"), FullPage = true });
        await context.DisposeAsync();
    }
}
