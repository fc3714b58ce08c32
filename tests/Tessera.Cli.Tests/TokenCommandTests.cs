using Tessera.Server.Access;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

public class TokenCommandTests
{
    [Fact]
    public void TokenCreate_PrintsATokenTheServerKnows()
    {
        using var data = new TempFolder();
        var run = CliRunner.Run("token", "create", "--role", "read", "--user", "carol", "--data", data.Path);
        Assert.Equal(0, run.ExitCode);
        var token = run.Out.Trim();
        Assert.StartsWith("tsr_", token);
        Assert.Equal(new TokenStore.Identity("carol", Role.Read), new TokenStore(data.Path).Find(token));
    }

    [Fact]
    public void TokenCreate_UnknownRole_IsBadUsage()
    {
        using var data = new TempFolder();
        var run = CliRunner.Run("token", "create", "--role", "owner", "--user", "carol", "--data", data.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--role owner: use read, write or admin", run.ErrorLine);
    }
}
