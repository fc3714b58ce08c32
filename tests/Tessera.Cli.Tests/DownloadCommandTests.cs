using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera download</c> and <c>tessera copy</c> with the seed's flags against a real running service: a static
/// catalog served on loopback is harvested, then scenes selected by time, a WKT geometry and a query are downloaded by
/// the service's worker and delivered to a dated folder of the server with flag files, or linked by a copy. What each
/// selection keeps is worked out here from the catalog's own list of scenes.
/// </summary>
public sealed class DownloadCommandTests : IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private readonly TempFolder _www = new();
    private readonly TempFolder _out = new();
    private StaticStacCatalog? _catalog;
    private StaticHttpServer? _source;
    private Microsoft.AspNetCore.Builder.WebApplication? _app;
    private string _url = "";
    private string _admin = "";
    private string _writer = "";

    // The selection of the tests: July and August 2023, west of 0° (a WKT box), less than 80 % cloud, the Landsat collection.
    private const string Wkt = "POLYGON((-9 37,0 37,0 49,-9 49,-9 37))";
    private const string Query = """{"collections":["landsat-c2-l2"],"query":{"eo:cloud_cover":{"lt":80}}}""";

    public async Task InitializeAsync()
    {
        _catalog = new StaticStacCatalog(_www.Path);
        foreach (var scene in _catalog.Scenes.Where(s => s.Collection == "landsat-c2-l2"))
        {
            await File.WriteAllBytesAsync(Path.Combine(_www.Path, "landsat", "c2", $"{scene.Id}_red.tif"), RandomNumberGenerator.GetBytes(20_000));
        }
        _source = StaticHttpServer.Serve(_www.Path);
        var tokens = new TokenStore(_data.Path);
        _admin = tokens.Create("root", Role.Admin);
        _writer = tokens.Create("dora", Role.Write);
        _url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        _app = await TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(_data.Path, PollInterval: TimeSpan.FromSeconds(1), AllowedHosts: "127.0.0.1",
            CatalogFolders: _out.Path), _url));
        await _app.StartAsync();
        var harvest = Run(_admin, "catalog", "harvest", new Uri(_source.Address, "catalog.json").ToString(), "--collections", "landsat-c2-l2", "--wait");
        Assert.True(harvest.ExitCode == 0, harvest.Error);
    }

    public async Task DisposeAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _source!.Dispose();
        _data.Dispose();
        _www.Dispose();
        _out.Dispose();
    }

    private CliRunner.Result Run(string token, params string[] args) => CliRunner.Run([.. args, "--server", _url, "--token", token]);

    /// <summary>The Landsat scenes of July and August 2023 meeting the WKT box with less than 80 % cloud: squares of 2° from their south-west corner.</summary>
    private List<StaticStacCatalog.Scene> Expected() => _catalog!.Scenes.Where(s => s.Collection == "landsat-c2-l2"
        && s.Time >= new DateTimeOffset(2023, 7, 1, 0, 0, 0, TimeSpan.Zero) && s.Time < new DateTimeOffset(2023, 9, 1, 0, 0, 0, TimeSpan.Zero)
        && s.Cloud < 80 && s.West <= 0 && s.West + s.Size >= -9 && s.South <= 49 && s.South + s.Size >= 37).ToList();

    [Fact]
    public void Download_WithTheSeedsFlags_DeliversTheSelectedScenes_DatedAndFlagged()
    {
        var expected = Expected();
        Assert.True(expected.Count >= 2, $"{expected.Count} scenes selected");

        var download = Run(_admin, "download", "-d", Path.Combine(_out.Path, "%Y"), "-b", "2023-07-01", "-e", "2023-08-31", "-g", Wkt, "-q", Query,
            "-s", expected.Count.ToString(CultureInfo.InvariantCulture), "-f", "-t", "landsat-red");

        Assert.True(download.ExitCode == 0, download.Error);
        Assert.Equal(expected.Count, download.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("\tPUBLISH_COMPLETED\tdownload ")));
        var delivered = Directory.GetDirectories(Path.Combine(_out.Path, "2023")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(expected.Select(s => s.Id).Order(), delivered);
        foreach (var scene in expected)
        {
            var file = Path.Combine(_out.Path, "2023", scene.Id, $"{scene.Id}_red.tif");
            Assert.Equal(File.ReadAllBytes(Path.Combine(_www.Path, "landsat", "c2", $"{scene.Id}_red.tif")), File.ReadAllBytes(file));
            Assert.Equal("type: landsat-red", File.ReadLines(file + ".flag").First());
        }

        // One scene fewer than the selection as the safety limit: refused whole, nothing more started.
        var refused = Run(_admin, "download", "-d", Path.Combine(_out.Path, "again"), "-b", "2023-07-01", "-e", "2023-08-31", "-g", Wkt, "-q", Query,
            "-s", (expected.Count - 1).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"400: {expected.Count} items match, more than max_downloads ({expected.Count - 1}): nothing was started", refused.ErrorLine);
        Assert.False(Directory.Exists(Path.Combine(_out.Path, "again")));

        // copy: the same selection, linked from what the service now has.
        var copy = Run(_admin, "copy", "-d", Path.Combine(_out.Path, "links"), "-b", "2023-07-01", "-e", "2023-08-31", "-g", Wkt, "-q", Query, "-l",
            "-ttl", "30");
        Assert.True(copy.ExitCode == 0, copy.Error);
        foreach (var scene in expected)
        {
            var link = new FileInfo(Path.Combine(_out.Path, "links", scene.Id, $"{scene.Id}_red.tif"));
            Assert.NotNull(link.LinkTarget);
            Assert.Equal(File.ReadAllBytes(Path.Combine(_www.Path, "landsat", "c2", $"{scene.Id}_red.tif")), File.ReadAllBytes(link.FullName));
        }
    }

    [Fact]
    public void Download_RelativeTime_AndBadFlags_SayWhatIsWrong()
    {
        // The catalog's scenes are of 2023: none in the last 24 hours.
        var recent = Run(_admin, "download", "-d", Path.Combine(_out.Path, "recent"), "-r", "-b", "24", "-q", Query);
        Assert.True(recent.ExitCode == 0, recent.Error);
        Assert.Equal("no scene matches", recent.Out.Trim());

        var wkt = Run(_admin, "download", "-d", _out.Path, "-b", "2023-07-01", "-e", "2023-08-31", "-g", "POLYGON((1 2, 3))");
        Assert.Equal((2, "-g/--geometry: not a WKT geometry: 'POLYGON((1 2, 3))'"), (wkt.ExitCode, wkt.ErrorLine));

        var day = Run(_admin, "download", "-d", _out.Path, "-b", "July", "-e", "2023-08-31");
        Assert.Equal((2, "-b/--begin July: expected YYYY-MM-DD"), (day.ExitCode, day.ErrorLine));

        var writer = Run(_writer, "download", "-d", _out.Path, "-b", "2023-07-01", "-e", "2023-08-31", "-q", Query);
        Assert.Equal((1, "403: destination: only administrators may name the server's folders"), (writer.ExitCode, writer.ErrorLine));

        var outside = Run(_admin, "copy", "-d", "/var/tmp", "-b", "2023-07-01", "-e", "2023-08-31");
        Assert.Equal((1, "400: destination: not under a folder this server lets the catalog write (catalogFolders)"), (outside.ExitCode, outside.ErrorLine));
    }
}
