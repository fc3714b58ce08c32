namespace Tessera.Cli.Tests;

/// <summary>A run builds only the command it names: the table's names must be the commands' own, and help still lists
/// every command.</summary>
public class CommandTableTests
{
    [Fact]
    public void EachNameIsItsCommandsName()
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, false, CancellationToken.None);
        foreach (var (name, create) in Cli.Commands)
        {
            Assert.Equal(name, create(context).Name);
        }
        Assert.Equal(Cli.Commands.Length, Cli.Commands.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void HelpListsEveryCommand()
    {
        var run = CliRunner.Run("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var (name, _) in Cli.Commands)
        {
            Assert.Matches($"(?m)^  {System.Text.RegularExpressions.Regex.Escape(name)}\\b", run.Out);
        }
    }

    [Fact]
    public void AnUnknownCommandIsAUsageError()
    {
        var run = CliRunner.Run("indx", "ndvi");
        Assert.Equal(2, run.ExitCode);
        Assert.NotEmpty(run.ErrorLine);
        Assert.Contains("tessera --help", run.Error);
    }

    [Fact]
    public void ACommandsOwnHelpNamesItsOptions()
    {
        var run = CliRunner.Run("index", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--nir", run.Out);
        Assert.DoesNotContain("serve", run.Out);
    }
}
