using Tessera.Host.Configuration;
using Tessera.TestSupport;

namespace Tessera.Host.Tests.Configuration;

/// <summary>Settings from flags, TESSERA_* variables and the settings file, in that order; every bad value stops start-up naming where it came from.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string File(string json)
    {
        var path = _folder.File($"{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void EachSetting_ComesFromTheFlag_ElseTheVariable_ElseTheFile_ElseItsDefault()
    {
        var file = File("""{ "lease": 5, "maxAttempts": 4, "previewSize": "512", "data": "from-file", "giveUpAfter": 9 }""");
        var settings = Settings.Load(new Dictionary<string, string> { ["--config"] = file, ["--lease"] = "30" },
            Environment(("TESSERA_LEASE", "20"), ("TESSERA_MAX_ATTEMPTS", "7"), ("TESSERA_GIVE_UP_AFTER", "11")));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Get(Settings.Lease));        // flag over variable over file
        Assert.Equal(7, settings.Get(Settings.MaxAttempts));                          // variable over file
        Assert.Equal(512, settings.Get(Settings.PreviewSize));                        // file
        Assert.Equal(TimeSpan.FromSeconds(11), settings.Get(Settings.GiveUpAfter));
        Assert.Equal(TimeSpan.FromSeconds(3600), settings.Get(Settings.LeftoverAge)); // default
        var service = settings.Service();
        Assert.Equal(Path.GetFullPath("from-file"), service.DataFolder);
        Assert.Equal((TimeSpan.FromSeconds(30), 7, 512, 8L << 30, 16L << 20), (service.Lease, service.MaxAttempts, service.PreviewSize, service.MaxUploadBytes, service.MinFreeBytes));
        Assert.Equal("TESSERA_MAX_UPLOAD_MEGABYTES", Settings.MaxUploadMegabytes.Environment);
        Assert.Equal("TESSERA_ADMIN_TOKEN", Settings.AdminToken.Environment);
    }

    [Fact]
    public void ABadValue_IsOneLineNamingTheSettingItsSourceAndWhatIsAllowed()
    {
        string Refused(IReadOnlyDictionary<string, string> flags, Func<string, string?> environment, Func<Settings, object?> read) =>
            Assert.Throws<SettingException>(() => read(Settings.Load(flags, environment))).Message;
        var none = new Dictionary<string, string>();
        Assert.Equal("TESSERA_LEASE: 'abc' is not allowed: a number of seconds from 1 to 86400",
            Refused(none, Environment(("TESSERA_LEASE", "abc")), s => s.Get(Settings.Lease)));
        Assert.Equal("--max-attempts: '0' is not allowed: a whole number from 1 to 100",
            Refused(new Dictionary<string, string> { ["--max-attempts"] = "0" }, Environment(), s => s.Get(Settings.MaxAttempts)));
        var file = File("""{ "port": 70000 }""");
        Assert.Equal($"{Path.GetFileName(file)}: port: '70000' is not allowed: a whole number from 1 to 65535",
            Refused(new Dictionary<string, string> { ["--config"] = file }, Environment(), s => s.Get(Settings.Port)));
        Assert.Equal("TESSERA_WORKERS: ' ' is not allowed: a whole number from 0 to 64",
            Refused(none, Environment(("TESSERA_WORKERS", " ")), s => s.Service()));
    }

    [Fact]
    public void TheSettingsFile_IsRefusedWithAnUnknownKey_BadJson_OrWhenItIsMissing()
    {
        var typo = File("""{ "leese": 30 }""");
        var unknown = Assert.Throws<SettingException>(() => Settings.Load(new Dictionary<string, string> { ["--config"] = typo }, Environment())).Message;
        Assert.StartsWith($"{Path.GetFileName(typo)}: 'leese' is not a setting (the settings: data, database, workers, role, lease,", unknown);
        var broken = File("""{ "lease": 30, """ + "\n" + """ "workers": }""");
        Assert.StartsWith($"{Path.GetFileName(broken)}: not valid JSON (line 2)",
            Assert.Throws<SettingException>(() => Settings.Load(new Dictionary<string, string> { ["--config"] = broken }, Environment())).Message);
        Assert.Equal("TESSERA_CONFIG: the settings file 'nowhere.json' does not exist",
            Assert.Throws<SettingException>(() => Settings.Load(new Dictionary<string, string>(), Environment(("TESSERA_CONFIG", "nowhere.json")))).Message);
        var array = File("[1, 2]");
        Assert.Equal($"{Path.GetFileName(array)}: an object of settings, such as {{\"lease\": 30}}",
            Assert.Throws<SettingException>(() => Settings.Load(new Dictionary<string, string> { ["--config"] = array }, Environment())).Message);
    }

    public void Dispose() => _folder.Dispose();
}
