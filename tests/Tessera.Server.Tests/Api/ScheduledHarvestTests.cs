using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.Api;

/// <summary>
/// The harvest configuration's schedule: a harvest of a static catalog on loopback every three seconds is queued by
/// the service itself, again and again, and what it harvests equals an independent filter of the catalog's scenes.
/// </summary>
public sealed class ScheduledHarvestTests : IAsyncLifetime
{
    private readonly TempFolder _www = new();
    private StaticStacCatalog? _catalog;
    private StaticHttpServer? _source;
    private RunningServer? _server;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _catalog = new StaticStacCatalog(_www.Path);
        _source = StaticHttpServer.Serve(_www.Path);
        var harvests = _www.File("harvests.yml");
        await File.WriteAllTextAsync(harvests, $"""
            providers:
              static: '{new Uri(_source.Address, "catalog.json")}'
            schedule:
              - name: s2-clear
                every: 3s
                lookback: 5000d
                cloud: 50
                searches:
                  - provider_name: static
                    collection: sentinel-2-l2a
            """);
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(
            new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1), AllowedHosts: "127.0.0.1", HarvestConfig: harvests), url),
            ("root", "root", Role.Admin));
        _http = _server.Client("root");
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _source!.Dispose();
        _www.Dispose();
    }

    [Fact]
    public async Task AScheduledHarvest_IsQueuedByTheServiceAtItsInterval_AndHarvestsWhatItsFiltersKeep()
    {
        List<JsonElement> scheduled = [];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (scheduled.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            var page = await ApiCalls.Data(await _http.PostAsync("/processtask/query/page",
                new StringContent("""{"pageNum":1,"pageSize":50}""", System.Text.Encoding.UTF8, "application/json")));
            scheduled = page.GetProperty("records").EnumerateArray()
                .Where(t => t.GetProperty("name").GetString()!.EndsWith("(scheduled: s2-clear)", StringComparison.Ordinal))
                .OrderBy(t => t.GetProperty("id").GetInt64()).ToList();
        }

        Assert.True(scheduled.Count >= 2, $"{scheduled.Count} scheduled harvests queued in 60 s");
        Assert.All(scheduled, t => Assert.Equal(("HARVEST", "scheduler"), (t.GetProperty("typeName").GetString(), t.GetProperty("owner").GetString())));
        var gap = scheduled[1].GetProperty("createdAt").GetDateTimeOffset() - scheduled[0].GetProperty("createdAt").GetDateTimeOffset();
        // Runs are claimed at least 3 s apart; a task's creation time is stamped after its run's claim, by a database that may
        // answer the first slower than the second (2.84 s seen on a loaded machine). A schedule that ignored its interval
        // would queue a run at every tick of the scheduler, 0.75 s apart.
        Assert.True(gap >= TimeSpan.FromSeconds(2.5), $"queued {gap.TotalSeconds} s apart, every 3 s asked");
        var first = await _http.WaitToEndAsync(scheduled[0].GetProperty("id").GetInt64());
        Assert.True(first.GetProperty("statusName").GetString() == "PUBLISH_COMPLETED", first.ToString());
        var expected = _catalog!.Scenes.Where(s => s.Collection == "sentinel-2-l2a" && s.Cloud <= 50).Select(s => s.Id).Order(StringComparer.Ordinal);
        var found = JsonDocument.Parse(await _http.GetStringAsync("/stac/collections/sentinel-2-l2a/items?limit=1000")).RootElement;
        Assert.Equal(expected, found.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
    }
}
