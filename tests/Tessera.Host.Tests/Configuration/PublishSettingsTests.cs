using Tessera.Host.Configuration;
using Tessera.TestSupport;

namespace Tessera.Host.Tests.Configuration;

/// <summary>The publishing server's settings: each from its flag, TESSERA_* variable or file key, else the seed's GEOSPAAS_PROCESSING_FTP_* variable; checked together.</summary>
public sealed class PublishSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static Settings Load(params (string Name, string Value)[] variables) => Settings.Load(new Dictionary<string, string>(), Environment(variables));

    private string Key()
    {
        var path = _folder.File("id_ed25519");
        File.WriteAllText(path, "not read before a publish\n");
        return path;
    }

    [Fact]
    public void TheSettings_MakeTheTarget_WithTheSeedsVariables_AndTheFtpAddressByDefault()
    {
        var key = Key();
        var target = Load(("TESSERA_PUBLISH_HOST", "me@files.example.org:2222"), ("GEOSPAAS_PROCESSING_FTP_HOST", "ignored.example.org"),
            ("GEOSPAAS_PROCESSING_FTP_ROOT", "/srv/ftp/"), ("GEOSPAAS_PROCESSING_FTP_PATH", "project"), ("TESSERA_PUBLISH_KEY", key)).Service().Publish!;

        Assert.Equal(("me", "files.example.org", (int?)2222, "/srv/ftp", "project"), (target.User, target.Host, target.Port, target.Root, target.PathUnderRoot));
        Assert.Equal((Path.GetFullPath(key), (string?)null), (target.Key, target.KnownHosts));
        Assert.Equal("/srv/ftp/project/scenes/s1/a.tif", target.RemotePath("scenes/s1/a.tif"));
        Assert.Equal("ftp://files.example.org/project/scenes/s1/a.tif", target.UrlOf("scenes/s1/a.tif"));
        Assert.Equal(("files.example.org:2222", "me@files.example.org:2222"), (target.Address, target.HostSetting));
        Assert.Equal(("TESSERA_PUBLISH_HOST", "TESSERA_PUBLISH_KNOWN_HOSTS", "TESSERA_PUBLISH_URL"),
            (Settings.PublishHost.Environment, Settings.PublishKnownHosts.Environment, Settings.PublishUrl.Environment));
    }

    [Fact]
    public void AnIpv6Host_ARootOfTheHome_AndAnAddressOfItsOwn_AreTakenAsGiven()
    {
        var target = Load(("TESSERA_PUBLISH_HOST", "[::1]"), ("TESSERA_PUBLISH_ROOT", "."), ("TESSERA_PUBLISH_KEY", Key()),
            ("TESSERA_PUBLISH_URL", "https://data.example.org/pub/")).Service().Publish!;

        Assert.Equal((null, "::1", (int?)null, "[::1]"), (target.User, target.Host, target.Port, target.Address));
        Assert.Equal("./c/i/f.tif", target.RemotePath("c/i/f.tif"));
        Assert.Equal("https://data.example.org/pub/c/i/f.tif", target.UrlOf("c/i/f.tif"));
    }

    [Fact]
    public void NoPublishSetting_IsNoTarget()
    {
        Assert.Null(Load().Service().Publish);
    }

    [Fact]
    public void AMissingOrBadValue_StopsStartUp_NamingTheSetting()
    {
        var key = Key();
        string Refused(params (string Name, string Value)[] variables) => Assert.Throws<SettingException>(() => Load(variables).Service()).Message;

        Assert.Equal("publishRoot: needed when publishHost is given", Refused(("TESSERA_PUBLISH_HOST", "files.example.org"), ("TESSERA_PUBLISH_KEY", key)));
        Assert.Equal("publishKey: needed when publishHost is given", Refused(("TESSERA_PUBLISH_HOST", "files.example.org"), ("TESSERA_PUBLISH_ROOT", "/srv")));
        Assert.Equal("publishHost: needed when the other publish settings are given", Refused(("GEOSPAAS_PROCESSING_FTP_ROOT", "/srv")));
        Assert.Equal("publishHost: give [user@]host[:port] (a host name or an IP address, an IPv6 address in brackets)",
            Refused(("TESSERA_PUBLISH_HOST", "-oProxyCommand=x"), ("TESSERA_PUBLISH_ROOT", "/srv"), ("TESSERA_PUBLISH_KEY", key)));
        Assert.Equal("publishHost: give [user@]host[:port] (a host name or an IP address, an IPv6 address in brackets)",
            Refused(("TESSERA_PUBLISH_HOST", "files.example.org:70000"), ("TESSERA_PUBLISH_ROOT", "/srv"), ("TESSERA_PUBLISH_KEY", key)));
        Assert.Equal("publishRoot: give the root folder on the server, such as /srv/ftp (names of letters, digits, '.', '-' and '_')",
            Refused(("TESSERA_PUBLISH_HOST", "h"), ("TESSERA_PUBLISH_ROOT", "/srv/ftp data"), ("TESSERA_PUBLISH_KEY", key)));
        Assert.Equal("publishPath: give the folders under publishRoot, such as project/results (names of letters, digits, '.', '-' and '_')",
            Refused(("TESSERA_PUBLISH_HOST", "h"), ("TESSERA_PUBLISH_ROOT", "/srv"), ("TESSERA_PUBLISH_PATH", "../etc"), ("TESSERA_PUBLISH_KEY", key)));
        Assert.Equal("publishKey: the key file 'nowhere' does not exist",
            Refused(("TESSERA_PUBLISH_HOST", "h"), ("TESSERA_PUBLISH_ROOT", "/srv"), ("TESSERA_PUBLISH_KEY", "nowhere")));
        Assert.Equal("publishUrl: give the address at which publishRoot/publishPath is seen, such as https://data.example.org/project",
            Refused(("TESSERA_PUBLISH_HOST", "h"), ("TESSERA_PUBLISH_ROOT", "/srv"), ("TESSERA_PUBLISH_KEY", key), ("TESSERA_PUBLISH_URL", "data.example.org")));
    }

    public void Dispose() => _folder.Dispose();
}
