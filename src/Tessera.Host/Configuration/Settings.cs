using System.Text.Json;

namespace Tessera.Host.Configuration;

/// <summary>
/// The settings of <c>tessera serve</c> and <c>tessera worker</c>, each from the first place that gives it: a
/// command-line flag, a <c>TESSERA_*</c> environment variable, the settings file (<c>--config</c>,
/// <c>TESSERA_CONFIG</c>, or <c>tessera.json</c> in the current folder when there is one), else its default. Every
/// value is checked when it is read: a bad one stops start-up with one line naming the setting, where it came from
/// and what is allowed. A key of the file that is no setting is an error too.
/// </summary>
public sealed class Settings
{
    public static readonly Setting<string?> Data = SettingKinds.Text("data", "--data", "data folder (database, files, work)", "tessera-data");
    public static readonly Setting<string?> Database = SettingKinds.Text("database", "--db",
        "PostgreSQL for scale-out (postgres://user:password@host:port/db); none: SQLite in the data folder");
    public static readonly Setting<int> Workers = SettingKinds.Whole("workers", "--workers", "tasks run at once (serve: 0 runs none)", 1, 0, 64);
    public static readonly Setting<string> Role = SettingKinds.Choice("role", "--role",
        "stages a worker runs: download (inputs, network-bound), process (computing and publishing, CPU-bound) or all", "all",
        Tessera.Tasks.Workers.WorkerRoles.Names);
    public static readonly Setting<TimeSpan> Lease = SettingKinds.Seconds("lease", "--lease",
        "seconds a worker's claim lasts without a heartbeat; a dead worker's task is taken back after this", 60, 1, 86400);
    public static readonly Setting<int> MaxAttempts = SettingKinds.Whole("maxAttempts", "--max-attempts",
        "claims after which a task whose worker keeps dying is failed", 3, 1, 100);
    public static readonly Setting<int> PreviewSize = SettingKinds.Whole("previewSize", "--preview-size", "longest side of result previews, in pixels", 1024, 16, 8192);
    public static readonly Setting<TimeSpan> LeftoverAge = SettingKinds.Seconds("leftoverAge", "--leftover-age",
        "seconds an unfinished upload or an unused work folder stays unchanged before it is removed", 3600, 1, 30 * 86400);
    public static readonly Setting<TimeSpan> GiveUpAfter = SettingKinds.Seconds("giveUpAfter", "--give-up-after",
        "seconds a worker keeps trying while its database or disk fails before its process exits with an error", 300, 1, 7 * 86400);
    public static readonly Setting<int> MaxUploadMegabytes = SettingKinds.Whole("maxUploadMegabytes", "--max-upload-mb",
        "largest upload accepted, in MiB", 8192, 1, 1 << 20);
    public static readonly Setting<int> KeepFinishedDays = SettingKinds.Whole("keepFinishedDays", "--keep-finished-days",
        "finished and failed tasks are deleted this many days after their last change", 30, 1, 3650);
    public static readonly Setting<int> MinFreeMegabytes = SettingKinds.Whole("minFreeMegabytes", "--min-free-mb",
        "free space the data folder needs to be ready, in MiB", 16, 0, 1 << 20);
    public static readonly Setting<int> Port = SettingKinds.Whole("port", "--port", "serve: port on 127.0.0.1", 8080, 1, 65535);
    public static readonly Setting<string?> Listen = SettingKinds.Text("listen", "--url",
        "serve: full address to listen on, instead of the port on loopback (beyond loopback it needs API tokens)");
    public static readonly Setting<string?> AllowedHosts = SettingKinds.Text("allowedHosts", "--allowed-hosts",
        "hosts on private, loopback or link-local addresses that harvests and downloads may reach: host names and CIDR ranges, comma-separated");
    public static readonly Setting<string?> ProviderSettings = SettingKinds.Text("providerSettings", "--provider-settings",
        "provider settings file (YAML, geospaas format): credentials and download limits by URL prefix");
    public static readonly Setting<string?> CatalogFolders = SettingKinds.Text("catalogFolders", "--catalog-folders",
        "folders of this machine whose products administrators may add to the catalog: absolute paths, comma-separated");
    public static readonly Setting<string?> HarvestConfig = SettingKinds.Text("harvestConfig", "--harvest-config",
        "serve: harvest configuration file (YAML): the providers start_harvest names, each a STAC API or static catalog URL");
    public static readonly Setting<TimeSpan> TaskRetryDelay = SettingKinds.Seconds("taskRetryDelay", "--task-retry-delay",
        "seconds a task waits when a provider says its input is not available yet (also $TASK_RETRY_DELAY)", 3600, 1, 30 * 86400);
    public static readonly Setting<int> OpenEoSyncMegapixels = SettingKinds.Whole("openEoSyncMegapixels", "--openeo-sync-megapixels",
        "serve: most band pixels (millions) a synchronous openEO request may read; larger graphs are refused with their estimate: run them as batch jobs",
        500, 1, 1_000_000);
    public static readonly Setting<int> SplitTile = SettingKinds.Whole("splitTile", "--split-tile",
        "a task whose result (an index, band math, a mosaic, an openEO batch job's GeoTIFF) is wider or taller than this many pixels is split into tiles of this side, taken by any worker, and stitched into one COG; 0: never",
        16384, 0, 1_000_000);
    public static readonly Setting<string?> BasemapUrl = new("basemapUrl", "--basemap-url",
        "serve: an XYZ tile address the web page draws under results, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; default: the Natural Earth borders it carries (offline)",
        null, "an http(s) address with {z}, {x} and {y}",
        value => Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && value.Contains("{z}", StringComparison.Ordinal) && value.Contains("{x}", StringComparison.Ordinal) && value.Contains("{y}", StringComparison.Ordinal)
            ? value.Trim() : throw new FormatException());
    public static readonly Setting<string?> AdminToken = SettingKinds.Text("adminToken", "--admin-token", "serve: a chosen admin token (tsr_…), for automation");
    public static readonly Setting<string?> PublishHost = SettingKinds.Text("publishHost", "--publish-host",
        "SSH server items' files are published to (POST /catalog/publish): [user@]host[:port] (also $GEOSPAAS_PROCESSING_FTP_HOST)");
    public static readonly Setting<string?> PublishRoot = SettingKinds.Text("publishRoot", "--publish-root",
        "root folder on the publishing server (also $GEOSPAAS_PROCESSING_FTP_ROOT)");
    public static readonly Setting<string?> PublishPath = SettingKinds.Text("publishPath", "--publish-path",
        "folders under publishRoot that files are published to, also the path of their address (also $GEOSPAAS_PROCESSING_FTP_PATH)");
    public static readonly Setting<string?> PublishKey = SettingKinds.Text("publishKey", "--publish-key",
        "private SSH key file to log in to the publishing server with");
    public static readonly Setting<string?> PublishKnownHosts = SettingKinds.Text("publishKnownHosts", "--publish-known-hosts",
        "known_hosts file holding the publishing server's host key (always checked; default: the service user's ~/.ssh/known_hosts)");
    public static readonly Setting<string?> PublishUrl = SettingKinds.Text("publishUrl", "--publish-url",
        "address at which publishRoot/publishPath is seen (default ftp://HOST/PATH)");

    /// <summary>The publish settings, each with the seed's variable it also comes from (after its own).</summary>
    private static readonly (Setting<string?> Setting, string? Seed)[] PublishSettings =
    [
        (PublishHost, "GEOSPAAS_PROCESSING_FTP_HOST"), (PublishRoot, "GEOSPAAS_PROCESSING_FTP_ROOT"), (PublishPath, "GEOSPAAS_PROCESSING_FTP_PATH"),
        (PublishKey, null), (PublishKnownHosts, null), (PublishUrl, null),
    ];

    /// <summary>Every setting, for the unknown-key check and for <c>--help</c>.</summary>
    public static IReadOnlyList<ISetting> All { get; } =
        [Data, Database, Workers, Role, Lease, MaxAttempts, PreviewSize, LeftoverAge, GiveUpAfter, MaxUploadMegabytes, KeepFinishedDays, MinFreeMegabytes, Port, Listen, AllowedHosts, ProviderSettings, CatalogFolders, TaskRetryDelay, HarvestConfig, OpenEoSyncMegapixels, SplitTile, BasemapUrl, AdminToken,
         PublishHost, PublishRoot, PublishPath, PublishKey, PublishKnownHosts, PublishUrl];

    private readonly IReadOnlyDictionary<string, string> _flags;
    private readonly Func<string, string?> _environment;
    private readonly IReadOnlyDictionary<string, string> _file;
    private readonly string _fileName;

    private Settings(IReadOnlyDictionary<string, string> flags, Func<string, string?> environment, IReadOnlyDictionary<string, string> file, string fileName)
    {
        _flags = flags;
        _environment = environment;
        _file = file;
        _fileName = fileName;
    }

    /// <param name="flags">The flags given on the command line, by flag (<c>--lease</c> → "30"); <c>--config</c> names the file.</param>
    /// <param name="environment">Reads an environment variable (the process's, or a test's).</param>
    public static Settings Load(IReadOnlyDictionary<string, string> flags, Func<string, string?> environment)
    {
        var named = flags.TryGetValue("--config", out var flag) ? (Path: flag, Source: "--config")
            : environment("TESSERA_CONFIG") is { Length: > 0 } variable ? (Path: variable, Source: "TESSERA_CONFIG")
            : File.Exists("tessera.json") ? (Path: "tessera.json", Source: (string?)null)
            : (Path: (string?)null, Source: null);
        if (named.Path is null)
        {
            return new Settings(flags, environment, new Dictionary<string, string>(), "");
        }
        if (!File.Exists(named.Path))
        {
            throw new SettingException($"{named.Source}: the settings file '{named.Path}' does not exist");
        }
        var name = Path.GetFileName(named.Path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(named.Path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SettingException($"{name}: not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SettingException($"{name}: an object of settings, such as {{\"lease\": 30}}");
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (All.All(s => s.Key != property.Name))
                {
                    throw new SettingException($"{name}: '{property.Name}' is not a setting (the settings: {string.Join(", ", All.Select(s => s.Key))})");
                }
                values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    _ => throw new SettingException($"{name}: {property.Name}: {property.Value.GetRawText()} is not allowed"),
                };
            }
            return new Settings(flags, environment, values, name);
        }
    }

    /// <summary>The setting's value from the first place that gives it, checked; <see cref="SettingException"/> naming it otherwise.</summary>
    public T Get<T>(Setting<T> setting)
    {
        var (source, text) = _flags.TryGetValue(setting.Flag, out var flag) ? (setting.Flag, flag)
            : _environment(setting.Environment) is { } variable ? (setting.Environment, variable)
            : _file.TryGetValue(setting.Key, out var value) ? ($"{_fileName}: {setting.Key}", value)
            : (null, null);
        if (source is null)
        {
            return setting.Default;
        }
        try
        {
            return setting.Read(text!);
        }
        catch (FormatException)
        {
            throw new SettingException($"{source}: '{(text!.Length > 60 ? text[..60] + "…" : text)}' is not allowed: {setting.Allowed}");
        }
    }

    /// <summary>Whether the setting was given anywhere (not left to its default).</summary>
    public bool IsGiven(ISetting setting) =>
        _flags.ContainsKey(setting.Flag) || _environment(setting.Environment) is not null || _file.ContainsKey(setting.Key);

    /// <summary>The machinery's options from these settings.</summary>
    /// <param name="workers">Workers to run when the setting is not given otherwise (a server without workers passes 0).</param>
    public ServiceOptions Service((string File, string[] Prefix)? workerCommand = null, int? workers = null) => new(
        Path.GetFullPath(Get(Data)!),
        Workers: workers ?? Get(Workers),
        Role: Tessera.Tasks.Workers.WorkerRoles.Parse(Get(Role))!.Value,
        MaxUploadBytes: (long)Get(MaxUploadMegabytes) << 20,
        KeepFinishedDays: Get(KeepFinishedDays),
        Database: Get(Database),
        WorkerCommand: workerCommand,
        LeaseDuration: Get(Lease),
        MaxAttempts: Get(MaxAttempts),
        PreviewSize: Get(PreviewSize),
        LeftoverAge: Get(LeftoverAge),
        MinFreeBytes: (long)Get(MinFreeMegabytes) << 20,
        GiveUpAfter: Get(GiveUpAfter),
        AllowedHosts: CheckedHosts(),
        ProviderSettings: CheckedProviders(),
        CatalogFolders: CheckedFolders(),
        TaskRetryDelay: RetryDelay(),
        HarvestConfig: CheckedHarvestConfig(),
        Publish: CheckedPublish(),
        OpenEoSyncMegapixels: Get(OpenEoSyncMegapixels),
        SplitTile: Get(SplitTile),
        BasemapUrl: Get(BasemapUrl));

    /// <summary>The publishing server, from the publish settings (each else the seed's variable), or null when none is given.</summary>
    private Tessera.Catalog.Remote.PublishTarget? CheckedPublish()
    {
        var values = PublishSettings.Select(p => IsGiven(p.Setting) || p.Seed is null || _environment(p.Seed) is not { } seed
            ? Get(p.Setting)
            : seed.Trim().Length > 0 ? seed.Trim() : throw new SettingException($"{p.Seed}: '{seed}' is not allowed: {p.Setting.Allowed}")).ToList();
        try
        {
            return Tessera.Catalog.Remote.PublishTarget.From(values[0], values[1], values[2], values[3], values[4], values[5]);
        }
        catch (ArgumentException e)
        {
            throw new SettingException(e.Message);
        }
    }

    private string? CheckedHarvestConfig()
    {
        if (Get(HarvestConfig) is not { } path)
        {
            return null;
        }
        try
        {
            Tessera.Catalog.Harvest.HarvestConfiguration.Load(path);
        }
        catch (Tessera.Catalog.CatalogException e)
        {
            throw new SettingException($"{HarvestConfig.Key}: {e.Message}");
        }
        return Path.GetFullPath(path);
    }

    /// <summary>The setting, else the collection builder's own variable <c>TASK_RETRY_DELAY</c> (seconds), else an hour.</summary>
    private TimeSpan RetryDelay()
    {
        if (IsGiven(TaskRetryDelay) || _environment("TASK_RETRY_DELAY") is not { } seed)
        {
            return Get(TaskRetryDelay);
        }
        try
        {
            return TaskRetryDelay.Read(seed);
        }
        catch (FormatException)
        {
            throw new SettingException($"TASK_RETRY_DELAY: '{seed}' is not allowed: {TaskRetryDelay.Allowed}");
        }
    }

    private string? CheckedFolders()
    {
        var list = Get(CatalogFolders);
        try
        {
            Tessera.Catalog.Local.CatalogFolders.Parse(list);
        }
        catch (ArgumentException e)
        {
            throw new SettingException($"{CatalogFolders.Key}: {e.Message}");
        }
        return list;
    }

    private string? CheckedProviders()
    {
        if (Get(ProviderSettings) is not { } path)
        {
            return null;
        }
        try
        {
            Tessera.Catalog.Providers.ProviderSettingsFile.Load(path);
        }
        catch (Tessera.Catalog.CatalogException e)
        {
            throw new SettingException($"{ProviderSettings.Key}: {e.Message}");
        }
        return Path.GetFullPath(path);
    }

    private string? CheckedHosts()
    {
        var list = Get(AllowedHosts);
        try
        {
            Tessera.Catalog.Remote.AllowedHosts.Parse(list);
        }
        catch (ArgumentException e)
        {
            throw new SettingException($"{AllowedHosts.Key}: {e.Message}");
        }
        return list;
    }
}
