using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Tessera.Catalog.Providers;

/// <summary>
/// How to reach one provider: what geospaas_processing's provider settings say for a URL prefix. <c>username</c> and
/// <c>password</c> (HTTP basic authentication, or the OAuth2 password grant), <c>max_parallel_downloads</c>,
/// <c>authentication_type: oauth2</c> with <c>token_url</c>, <c>client_id</c> and <c>client_secret</c> (the client
/// credentials grant when there is no username).
/// </summary>
public sealed record ProviderSettings(string Prefix, string? Username = null, string? Password = null, int? MaxParallelDownloads = null,
    bool OAuth2 = false, Uri? TokenUrl = null, string? ClientId = null, string? ClientSecret = null)
{
    /// <summary>Never the secrets: what a log or an error may say of the settings.</summary>
    public override string ToString() => $"provider {Prefix}";
}

/// <summary>
/// The provider settings file (YAML, the geospaas format: a URL prefix, then its settings), matched against a URL by
/// the longest prefix. An unknown setting, a bad value or a prefix that is not an http(s) URL is refused naming it.
/// </summary>
public sealed class ProviderSettingsFile
{
    private static readonly string[] Known =
        ["username", "password", "max_parallel_downloads", "authentication_type", "token_url", "client_id", "client_secret"];

    private ProviderSettingsFile(IReadOnlyList<ProviderSettings> providers) => Providers = providers;

    /// <summary>No provider settings: nothing is sent but what every request carries.</summary>
    public static ProviderSettingsFile Empty { get; } = new([]);

    public IReadOnlyList<ProviderSettings> Providers { get; }

    public static ProviderSettingsFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CatalogException($"provider settings: {path} does not exist");
        }
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static ProviderSettingsFile Parse(string yaml, string name = "provider settings")
    {
        if (YamlMapping.Root(yaml, name, "a mapping of URL prefixes to their settings") is not { } root)
        {
            return Empty;
        }
        var providers = new List<ProviderSettings>();
        foreach (var (key, value) in root.Children)
        {
            var prefix = (key as YamlScalarNode)?.Value ?? "";
            if (!Uri.TryCreate(prefix, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new CatalogException($"{name}: '{prefix}' is not an http or https URL prefix");
            }
            if (value is not YamlMappingNode settings)
            {
                throw new CatalogException($"{name}: {prefix}: give its settings as a mapping");
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (settingKey, settingValue) in settings.Children)
            {
                var setting = (settingKey as YamlScalarNode)?.Value ?? "";
                if (!Known.Contains(setting))
                {
                    throw new CatalogException($"{name}: {prefix}: '{setting}' is not a provider setting (known: {string.Join(", ", Known)})");
                }
                values[setting] = (settingValue as YamlScalarNode)?.Value
                    ?? throw new CatalogException($"{name}: {prefix}: {setting}: give a single value");
            }
            int? parallel = null;
            if (values.TryGetValue("max_parallel_downloads", out var text))
            {
                parallel = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n : throw new CatalogException($"{name}: {prefix}: max_parallel_downloads: give a whole number of 1 or more");
            }
            var oauth2 = false;
            if (values.TryGetValue("authentication_type", out var type))
            {
                oauth2 = string.Equals(type, "oauth2", StringComparison.OrdinalIgnoreCase)
                    ? true : throw new CatalogException($"{name}: {prefix}: authentication_type: '{type}' is not supported (oauth2 is; basic needs none)");
            }
            Uri? tokenUrl = null;
            if (oauth2)
            {
                tokenUrl = values.TryGetValue("token_url", out var token) && Uri.TryCreate(token, UriKind.Absolute, out var t) && t.Scheme is "http" or "https"
                    ? t : throw new CatalogException($"{name}: {prefix}: token_url: OAuth2 needs the http(s) URL tokens are asked at");
                if (!values.ContainsKey("client_id"))
                {
                    throw new CatalogException($"{name}: {prefix}: client_id: OAuth2 needs it");
                }
            }
            providers.Add(new ProviderSettings(prefix, values.GetValueOrDefault("username"), values.GetValueOrDefault("password"), parallel, oauth2,
                tokenUrl, values.GetValueOrDefault("client_id"), values.GetValueOrDefault("client_secret")));
        }
        return new ProviderSettingsFile(providers);
    }

    /// <summary>These settings with <paramref name="extra"/> before them: for the same prefix, the extra ones count.</summary>
    public ProviderSettingsFile With(IEnumerable<ProviderSettings> extra) => new([.. extra, .. Providers]);

    /// <summary>Basic credentials for one prefix, as a settings file says them (what a request's catalog_args give).</summary>
    public static string Yaml(ProviderSettings basic) =>
        $"'{basic.Prefix.Replace("'", "''")}':\n  username: '{basic.Username?.Replace("'", "''")}'\n  password: '{basic.Password?.Replace("'", "''")}'\n";

    /// <summary>
    /// The settings of the longest prefix <paramref name="url"/> falls under, or null: the same scheme, host and port,
    /// and a path that starts with the prefix's (so "http://example.org" is not a prefix of "http://example.org.evil.net").
    /// </summary>
    public ProviderSettings? For(Uri url) =>
        Providers.Where(p => Under(new Uri(p.Prefix), url)).MaxBy(p => p.Prefix.Length);

    private static bool Under(Uri prefix, Uri url) =>
        prefix.Scheme == url.Scheme && string.Equals(prefix.Host, url.Host, StringComparison.OrdinalIgnoreCase) && prefix.Port == url.Port
        && url.AbsolutePath.StartsWith(prefix.AbsolutePath, StringComparison.Ordinal);
}
