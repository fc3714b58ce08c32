using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>The thin client against a real running service.</summary>
public sealed class ClientCommandTests : IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private Microsoft.AspNetCore.Builder.WebApplication? _app;
    private string _url = "";
    private string _token = "";

    public async Task InitializeAsync()
    {
        _token = new TokenStore(_data.Path).Create("dora", Role.Write);
        _url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        _app = await TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(_data.Path, PollInterval: TimeSpan.FromSeconds(1)), _url));
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private CliRunner.Result Run(params string[] args) => CliRunner.Run([.. args, "--server", _url, "--token", _token]);

    [SampleDataFact]
    public void UploadSubmitWait_RunsAnNdviTaskOnTheService()
    {
        long Upload(string band)
        {
            var run = Run("files", "upload", SampleData.File($"S2A_29RKH_20200219_L2A_{band}.tif"));
            Assert.True(run.ExitCode == 0, run.Error);
            return JsonDocument.Parse(run.Out).RootElement.GetProperty("id").GetInt64();
        }
        var nir = Upload("B08");
        var red = Upload("B04");

        var submitted = Run("submit", "--type", "ndvi", "-i", $"nir={nir}", "-i", $"red={red}@1", "--output-name", "ndvi.tif", "--wait");
        Assert.True(submitted.ExitCode == 0, submitted.Error);
        var task = JsonDocument.Parse(submitted.Out).RootElement;
        Assert.Equal("PUBLISH_COMPLETED", task.GetProperty("statusName").GetString());

        var shown = Run("tasks", "show", task.GetProperty("id").GetInt64().ToString());
        Assert.Equal(0, shown.ExitCode);
        Assert.Equal(task.GetProperty("result").GetProperty("outputFileId").GetInt64(),
            JsonDocument.Parse(shown.Out).RootElement.GetProperty("result").GetProperty("outputFileId").GetInt64());
        Assert.Equal(3, JsonDocument.Parse(Run("files", "list").Out).RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public void Submit_BadInput_ShowsTheServicesReason()
    {
        var run = Run("submit", "--type", "ndvi", "-i", "nir=41", "-i", "red=42");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("400: inputs.nir.fileId: file 41 does not exist", run.ErrorLine);
        var unknown = Run("submit", "--type", "gndvi", "-i", "nir=1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("--type gndvi: not a task type; known: fusion (1), mosaic (2), cloud_remove (4)", unknown.ErrorLine);
        var typo = Run("submit", "--type", "evi", "-i", "nir=1", "-p", "scael=0.0001");
        Assert.Equal(2, typo.ExitCode);
        Assert.Equal("-p scael: not a parameter of EVI; it takes scale, offset, nodata, resampling, formula and part", typo.ErrorLine);
    }

    [SampleDataFact]
    public void Submit_RunsAnyType_WithWholeFilesAndTypedParameters()
    {
        long Upload(string name)
        {
            var run = Run("files", "upload", SampleData.File(name));
            Assert.True(run.ExitCode == 0, run.Error);
            return JsonDocument.Parse(run.Out).RootElement.GetProperty("id").GetInt64();
        }
        var first = Upload("L8_mosaic_cog1_utm18n.tif");
        var second = Upload("L8_mosaic_cog2_utm18n.tif");

        // A mosaic takes whole files: no band is sent when none is given. Parameters are typed by the definition.
        var submitted = Run("submit", "--type", "mosaic", "-i", $"a={first}", "-i", $"b={second}", "-p", "method=mean", "-p", "harmonize=true",
            "--output-name", "pair.tif", "--wait");
        Assert.True(submitted.ExitCode == 0, submitted.Error);
        var task = JsonDocument.Parse(submitted.Out).RootElement;
        Assert.Equal("PUBLISH_COMPLETED", task.GetProperty("statusName").GetString());
        Assert.Equal("mean", task.GetProperty("parameters").GetProperty("method").GetString());
        Assert.True(task.GetProperty("parameters").GetProperty("harmonize").GetBoolean());
        Assert.Equal(2, task.GetProperty("type").GetInt32());
    }

    [Fact]
    public void UnreachableService_IsAClearError()
    {
        var run = CliRunner.Run("tasks", "list", "--server", "http://127.0.0.1:1", "--token", _token);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("cannot reach the service:", run.ErrorLine);
    }
}
