using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// The published `tessera` (Launcher/tessera, run by the real /bin/sh): it starts the program beside it with the
/// arguments as given, one-shot commands with the runtime's W^X off, `serve` and `worker` as the environment has them.
/// The program here is a stand-in script that prints what it was started with.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LauncherTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _launcher;

    public LauncherTests()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_folder.Path, "install", "bin")).FullName;
        _launcher = Path.Combine(bin, "tessera");
        File.Copy(Path.Combine(Repository.Root, "src", "Tessera.Cli", "Launcher", "tessera"), _launcher);
        var host = Path.Combine(bin, "tessera-host");
        File.WriteAllText(host, "#!/bin/sh\nprintf 'wx=%s\\n' \"${DOTNET_EnableWriteXorExecute-unset}\"\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n");
        File.SetUnixFileMode(_launcher, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.SetUnixFileMode(host, UnixFileMode.UserRead | UnixFileMode.UserExecute);
    }

    public void Dispose() => _folder.Dispose();

    private static string Run(string program, IDictionary<string, string?> environment, params string[] args) =>
        Run(new System.Diagnostics.ProcessStartInfo(program, args), environment);

    private static string Run(System.Diagnostics.ProcessStartInfo start, IDictionary<string, string?> environment)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment.Remove("DOTNET_EnableWriteXorExecute");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "the launcher did not finish");
        Assert.True(process.ExitCode == 0, error);
        return output;
    }

    [Fact]
    public void OneShotCommand_StartsTheProgram_WithItsArguments_AndWriteXorExecuteOff()
    {
        var output = Run(_launcher, new Dictionary<string, string?>(), "index", "ndvi", "--nir", "a b.tif", "-o", "it's \"out\".tif", "");
        Assert.Equal("wx=0\n[index]\n[ndvi]\n[--nir]\n[a b.tif]\n[-o]\n[it's \"out\".tif]\n[]\n", output);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("worker")]
    public void LongRunningCommands_KeepTheEnvironmentsSetting(string command)
    {
        Assert.Equal($"wx=unset\n[{command}]\n[--port]\n[8080]\n", Run(_launcher, new Dictionary<string, string?>(), command, "--port", "8080"));
    }

    [Fact]
    public void TheCallersSetting_Wins()
    {
        var output = Run(_launcher, new Dictionary<string, string?> { ["DOTNET_EnableWriteXorExecute"] = "1" }, "merge", "x.tif");
        Assert.Equal("wx=1\n[merge]\n[x.tif]\n", output);
    }

    [Fact]
    public void ThroughALinkElsewhere_FindsTheProgramBesideTheLauncher()
    {
        var link = Path.Combine(Directory.CreateDirectory(Path.Combine(_folder.Path, "path")).FullName, "tessera");
        File.CreateSymbolicLink(link, _launcher);
        Assert.Equal("wx=0\n[--version]\n", Run(link, new Dictionary<string, string?>(), "--version"));
    }

    [Fact]
    public void RunByTheShellFromItsOwnFolder_FindsTheProgramBesideIt()
    {
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["tessera", "info", "x.tif"]) { WorkingDirectory = Path.GetDirectoryName(_launcher)! };
        Assert.Equal("wx=0\n[info]\n[x.tif]\n", Run(start, new Dictionary<string, string?>()));
    }
}
