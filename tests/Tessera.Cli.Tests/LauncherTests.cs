using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// The published `tessera` (Launcher/tessera, run by the real /bin/sh): the commands on files start the program
/// compiled ahead of time (native/tessera), the rest the .NET program beside it (tessera-host), with the arguments as
/// given; one-shot commands of the .NET program with the runtime's W^X off, `serve` and `worker` as the environment has
/// them. Both programs here are stand-in scripts that print which they are and what they were started with.
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
        File.SetUnixFileMode(_launcher, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        StandIn(Path.Combine(bin, "tessera-host"), "host");
        StandIn(Path.Combine(Directory.CreateDirectory(Path.Combine(bin, "native")).FullName, "tessera"), "native");
    }

    private static void StandIn(string path, string name)
    {
        File.WriteAllText(path, $"#!/bin/sh\nprintf '{name} wx=%s\\n' \"${{DOTNET_EnableWriteXorExecute-unset}}\"\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
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

    [Theory]
    [InlineData("index")]
    [InlineData("calc")]
    [InlineData("merge")]
    [InlineData("crop")]
    [InlineData("mosaic")]
    [InlineData("zonal")]
    [InlineData("cloud-remove")]
    [InlineData("composite")]
    [InlineData("pansharpen")]
    [InlineData("info")]
    public void ACommandOnFiles_StartsTheNativeProgram_WithItsArguments(string command)
    {
        var output = Run(_launcher, new Dictionary<string, string?>(), command, "ndvi", "--nir", "a b.tif", "-o", "it's \"out\".tif", "");
        Assert.Equal($"native wx=unset\n[{command}]\n[ndvi]\n[--nir]\n[a b.tif]\n[-o]\n[it's \"out\".tif]\n[]\n", output);
    }

    [Theory]
    [InlineData("types")]
    [InlineData("token")]
    [InlineData("--help")]
    public void OtherOneShotCommands_StartTheDotnetProgram_WithWriteXorExecuteOff(string command)
    {
        Assert.Equal($"host wx=0\n[{command}]\n[a b]\n", Run(_launcher, new Dictionary<string, string?>(), command, "a b"));
    }

    [Fact]
    public void WithoutTheNativeProgram_ACommandOnFiles_RunsOnTheDotnetProgram()
    {
        Directory.Delete(Path.Combine(Path.GetDirectoryName(_launcher)!, "native"), recursive: true);
        Assert.Equal("host wx=0\n[index]\n[ndvi]\n", Run(_launcher, new Dictionary<string, string?>(), "index", "ndvi"));
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("worker")]
    public void LongRunningCommands_KeepTheEnvironmentsSetting(string command)
    {
        Assert.Equal($"host wx=unset\n[{command}]\n[--port]\n[8080]\n", Run(_launcher, new Dictionary<string, string?>(), command, "--port", "8080"));
    }

    [Fact]
    public void TheCallersSetting_Wins()
    {
        var output = Run(_launcher, new Dictionary<string, string?> { ["DOTNET_EnableWriteXorExecute"] = "1" }, "catalog", "x");
        Assert.Equal("host wx=1\n[catalog]\n[x]\n", output);
    }

    [Fact]
    public void ThroughALinkElsewhere_FindsThePrograms()
    {
        var link = Path.Combine(Directory.CreateDirectory(Path.Combine(_folder.Path, "path")).FullName, "tessera");
        File.CreateSymbolicLink(link, _launcher);
        Assert.Equal("host wx=0\n[--version]\n", Run(link, new Dictionary<string, string?>(), "--version"));
        Assert.Equal("native wx=unset\n[info]\n", Run(link, new Dictionary<string, string?>(), "info"));
    }

    [Fact]
    public void RunByTheShellFromItsOwnFolder_FindsThePrograms()
    {
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["tessera", "info", "x.tif"]) { WorkingDirectory = Path.GetDirectoryName(_launcher)! };
        Assert.Equal("native wx=unset\n[info]\n[x.tif]\n", Run(start, new Dictionary<string, string?>()));
        start = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["tessera", "tasks"]) { WorkingDirectory = Path.GetDirectoryName(_launcher)! };
        Assert.Equal("host wx=0\n[tasks]\n", Run(start, new Dictionary<string, string?>()));
    }
}
