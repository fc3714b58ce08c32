using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>serve and worker stop at start-up on a bad setting, with one line naming it, where it came from and what is allowed.</summary>
public sealed class SettingsCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Worker_WithABadVariable_StopsWithTheSettingNamed_AndExitCode2()
    {
        var result = CliRunner.Run(false, new Dictionary<string, string> { ["TESSERA_LEASE"] = "abc" }, "worker", "--data", _folder.File("data"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("TESSERA_LEASE: 'abc' is not allowed: a number of seconds from 1 to 86400", result.ErrorLine);
        Assert.False(Directory.Exists(_folder.File("data"))); // nothing started
    }

    [Fact]
    public void Serve_WithAnUnknownKeyInItsSettingsFile_OrABadFlag_Stops()
    {
        var config = _folder.File("tessera.json");
        File.WriteAllText(config, """{ "workers": 2, "previewSzie": 512 }""");
        var unknown = CliRunner.Run(false, new Dictionary<string, string>(), "serve", "--config", config, "--data", _folder.File("data"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("tessera.json: 'previewSzie' is not a setting (the settings: data, database, workers, role, lease, maxAttempts, previewSize,", unknown.ErrorLine);
        var flag = CliRunner.Run(false, new Dictionary<string, string>(), "serve", "--port", "0", "--data", _folder.File("data"));
        Assert.Equal((2, "--port: '0' is not allowed: a whole number from 1 to 65535"), (flag.ExitCode, flag.ErrorLine));
        var role = CliRunner.Run(false, new Dictionary<string, string>(), "worker", "--role", "cook", "--data", _folder.File("data"));
        Assert.Equal((2, "--role: 'cook' is not allowed: one of all, download, process"), (role.ExitCode, role.ErrorLine));
        foreach (var basemap in new[] { "ftp://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{y}.png" })
        {
            var bad = CliRunner.Run(false, new Dictionary<string, string>(), "serve", "--basemap-url", basemap, "--data", _folder.File("data"));
            Assert.Equal((2, $"--basemap-url: '{basemap}' is not allowed: an http(s) address with {{z}}, {{x}} and {{y}}"), (bad.ExitCode, bad.ErrorLine));
        }
    }

    public void Dispose() => _folder.Dispose();
}
