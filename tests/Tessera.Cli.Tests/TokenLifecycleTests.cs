using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera token create --expires</c>, <c>token list</c> and <c>token revoke</c> on the data folder of a server
/// that runs meanwhile: each change counts from the server's next request.
/// </summary>
public sealed class TokenLifecycleTests : IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private Microsoft.AspNetCore.Builder.WebApplication? _app;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        Assert.Equal(0, CliRunner.Run("token", "create", "--role", "admin", "--user", "root", "--data", _data.Path).ExitCode);
        _app = await TesseraServer.BuildAsync(new ServerOptions(new ServiceOptions(_data.Path, Workers: 0), _url));
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Detail)> FilesWith(string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var response = await http.GetAsync("/files");
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? "" : JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!);
    }

    private static string IdIn(CliRunner.Result created) =>
        created.Error.Split('\n').Single(l => l.StartsWith("tessera: note: token ", StringComparison.Ordinal)).Split(' ')[3];

    [Fact]
    public async Task TokensAreListed_Revoked_AndExpire_WhileTheServerRuns()
    {
        var before = DateTimeOffset.UtcNow;
        var lasting = CliRunner.Run("token", "create", "--role", "read", "--user", "carol", "--data", _data.Path);
        var brief = CliRunner.Run("token", "create", "--role", "write", "--user", "dora", "--expires", "4s", "--data", _data.Path);
        Assert.Equal(0, lasting.ExitCode);
        Assert.Equal(0, brief.ExitCode);
        var (carol, dora) = (lasting.Out.Trim(), brief.Out.Trim());
        var (carolId, doraId) = (IdIn(lasting), IdIn(brief));
        Assert.Equal((HttpStatusCode.OK, ""), await FilesWith(carol));
        Assert.Equal((HttpStatusCode.OK, ""), await FilesWith(dora));

        // Listed with their ids, owners, roles and expiries; never their secrets.
        var list = CliRunner.Run("token", "list", "--data", _data.Path);
        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain(carol, list.Out);
        Assert.DoesNotContain(dora, list.Out);
        var rows = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(r => r[0]);
        Assert.Equal(3, rows.Count);
        static string[] Shown(string[] row) => [row[1], row[2], row[4], row[5]]; // user, role, expires, state
        Assert.Equal(["carol", "read", "never", "active"], Shown(rows[carolId]));
        Assert.Equal(["dora", "write", rows[doraId][4], "active"], Shown(rows[doraId]));
        var expires = DateTimeOffset.Parse(rows[doraId][4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddSeconds(3), DateTimeOffset.UtcNow.AddSeconds(5));

        // Revoked: refused at the next request, the other still accepted.
        var revoke = CliRunner.Run("token", "revoke", carolId, "--data", _data.Path);
        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "the API token is not valid"), await FilesWith(carol));
        Assert.Equal((HttpStatusCode.OK, ""), await FilesWith(dora));
        Assert.Equal($"no token {carolId} (tessera token list shows them)", CliRunner.Run("token", "revoke", carolId, "--data", _data.Path).ErrorLine);

        // Expired: refused, saying when; listed as expired.
        while (DateTimeOffset.UtcNow <= expires)
        {
            await Task.Delay(200);
        }
        Assert.Equal((HttpStatusCode.Unauthorized, $"the API token expired at {expires.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"), await FilesWith(dora));
        var after = CliRunner.Run("token", "list", "--data", _data.Path).Out;
        Assert.Contains(after.Split('\n'), l => l.StartsWith(doraId, StringComparison.Ordinal) && l.TrimEnd().EndsWith("expired", StringComparison.Ordinal));
        Assert.DoesNotContain(carolId, after);
    }

    [Theory]
    [InlineData("tomorrow", "--expires tomorrow: give a time from now (90m, 12h, 30d, 2w) or a UTC date or time (2027-06-30, 2027-06-30T12:00:00Z)")]
    [InlineData("2001-01-01", "--expires 2001-01-01: that time is already past")]
    public void ABadExpiry_IsBadUsage(string expires, string message)
    {
        var run = CliRunner.Run("token", "create", "--user", "erin", "--expires", expires, "--data", _data.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(message, run.ErrorLine);
    }
}
