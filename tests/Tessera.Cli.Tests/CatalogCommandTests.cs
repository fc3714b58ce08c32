using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera catalog</c> against a real running service harvesting a static catalog served on loopback.</summary>
public sealed class CatalogCommandTests : IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private readonly TempFolder _www = new();
    private StaticStacCatalog? _catalog;
    private StaticHttpServer? _source;
    private Microsoft.AspNetCore.Builder.WebApplication? _app;
    private string _url = "";
    private string _token = "";
    private string _admin = "";

    public async Task InitializeAsync()
    {
        _catalog = new StaticStacCatalog(_www.Path);
        _source = StaticHttpServer.Serve(_www.Path);
        var tokens = new TokenStore(_data.Path);
        _token = tokens.Create("dora", Role.Write);
        _admin = tokens.Create("root", Role.Admin);
        _url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        _app = await TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(_data.Path, PollInterval: TimeSpan.FromSeconds(1), AllowedHosts: "127.0.0.1",
            CatalogFolders: SampleData.Directory), _url));
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _source!.Dispose();
        _data.Dispose();
        _www.Dispose();
    }

    private CliRunner.Result Run(params string[] args) => CliRunner.Run([.. args, "--server", _url, "--token", _token]);

    [Fact]
    public void Harvest_Waits_ThenListAndShowCountWhatTheFiltersKept()
    {
        var expected = _catalog!.Scenes.Count(s => s.Collection == "sentinel-2-l2a" && s.Cloud <= 50);

        var harvest = Run("catalog", "harvest", new Uri(_source!.Address, "catalog.json").ToString(), "--collections", "sentinel-2-l2a", "--cloud", "50", "--wait");

        Assert.True(harvest.ExitCode == 0, harvest.Error);
        var task = JsonDocument.Parse(harvest.Out).RootElement;
        Assert.Equal(("HARVEST", "PUBLISH_COMPLETED"), (task.GetProperty("typeName").GetString(), task.GetProperty("statusName").GetString()));
        var list = Run("catalog", "list");
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains(list.Out.Split('\n'), line => line.StartsWith($"sentinel-2-l2a\t{expected} items\t", StringComparison.Ordinal));
        Assert.Contains(list.Out.Split('\n'), line => line.StartsWith("ndvi\t0 items\t", StringComparison.Ordinal));
        var show = Run("catalog", "show", "sentinel-2-l2a");
        Assert.True(show.ExitCode == 0, show.Error);
        var collection = JsonDocument.Parse(show.Out).RootElement;
        Assert.Equal((expected, "CC-BY-4.0"), (collection.GetProperty("numberMatched").GetInt32(), collection.GetProperty("license").GetString()));
    }

    [Fact]
    public void BadHarvests_SayWhy()
    {
        var refused = Run("catalog", "harvest", "ftp://example.org/catalog.json");
        Assert.Equal((1, "400: source: 'ftp://example.org/catalog.json' is not an http or https URL"), (refused.ExitCode, refused.ErrorLine));
        var box = Run("catalog", "harvest", "http://example.org/catalog.json", "--bbox", "1,2");
        Assert.Equal((2, "--bbox 1,2: expected west,south,east,north in degrees"), (box.ExitCode, box.ErrorLine));
        var missing = Run("catalog", "show", "sentinel-3");
        Assert.Equal((1, "404: collection 'sentinel-3' does not exist"), (missing.ExitCode, missing.ErrorLine));
    }

    [SampleDataFact]
    public void Add_PutsTheProductsOfAServerFolder_InALocalCollection()
    {
        var add = CliRunner.Run(["catalog", "add", SampleData.Directory!, "--collection", "samples", "--wait", "--server", _url, "--token", _admin]);

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Equal("CATALOG_ADD", JsonDocument.Parse(add.Out).RootElement.GetProperty("typeName").GetString());
        var show = Run("catalog", "show", "samples");
        Assert.Equal(3, JsonDocument.Parse(show.Out).RootElement.GetProperty("numberMatched").GetInt32()); // two Landsat products and one Sentinel-2
        var refused = Run("catalog", "add", SampleData.Directory!, "--collection", "samples");
        Assert.Equal((1, "403: this needs the admin role; the token has write"), (refused.ExitCode, refused.ErrorLine));
    }
}
