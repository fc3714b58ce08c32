using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessera.Catalog.Remote;

/// <summary>
/// Where items' files are published, as geospaas_processing's <c>publish</c> does: an SSH server reached with a key,
/// whose host key must be known; a root folder on it (the seed's FTP root) and a path under that root, which also
/// forms the public address of the files (<c>ftp://HOST/PATH/...</c>, unless <see cref="UrlBase"/> says otherwise).
/// The folders' names hold letters, digits, '.', '-' and '_' only (not starting with '-'), so that the SFTP client
/// reads every name as a name.
/// </summary>
/// <param name="User">The user to log in as, or null: the service's own user name.</param>
/// <param name="Host">A host name or an IP address (an IPv6 address without its brackets).</param>
/// <param name="Port">The SSH port, or null: 22.</param>
/// <param name="Root">The root folder on the server: absolute, or relative to the user's home ("." for the home itself).</param>
/// <param name="PathUnderRoot">The folders under <paramref name="Root"/> the files go to ("a/b", or "" for the root itself).</param>
/// <param name="Key">The private key file to log in with (a path of this machine).</param>
/// <param name="KnownHosts">The known_hosts file holding the server's host key, or null: the service user's own.</param>
/// <param name="UrlBase">The address at which <c>Root/PathUnderRoot</c> is seen, without a trailing '/'.</param>
public sealed partial record PublishTarget(string? User, string Host, int? Port, string Root, string PathUnderRoot, string Key, string? KnownHosts,
    string UrlBase)
{
    /// <summary>Why a publication is refused when the service has no publishing server.</summary>
    public const string NotConfigured =
        "publishing is not configured: set publishHost, publishRoot, publishPath and publishKey (and publishKnownHosts) on the server";

    /// <summary>The server as errors name it: host and port, never the user nor the folders.</summary>
    public string Address => (Host.Contains(':') ? $"[{Host}]" : Host) + (Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>The server as the <c>publishHost</c> setting gives it: <c>[user@]host[:port]</c>.</summary>
    public string HostSetting => (User is null ? "" : User + "@") + Address;

    /// <summary>The path on the server of a file published at <paramref name="relative"/> ("COLLECTION/ITEM/NAME").</summary>
    public string RemotePath(string relative) => UnderRoot(Join(PathUnderRoot, relative));

    /// <summary>The path on the server of <paramref name="relative"/> under the root folder.</summary>
    public string UnderRoot(string relative) => Join(Root, relative);

    /// <summary>The public address of a file published at <paramref name="relative"/>.</summary>
    public string UrlOf(string relative) => UrlBase + "/" + string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));

    /// <summary>
    /// The target of the publish settings, or null when none of them is given. A value that is not allowed, or one
    /// needed and missing, is an <see cref="ArgumentException"/> whose message starts with the setting's name.
    /// </summary>
    public static PublishTarget? From(string? host, string? root, string? path, string? key, string? knownHosts, string? url)
    {
        if (host is null && root is null && path is null && key is null && knownHosts is null && url is null)
        {
            return null;
        }
        if (host is null)
        {
            throw new ArgumentException("publishHost: needed when the other publish settings are given");
        }
        var match = HostPattern().Match(host);
        var port = match.Groups["port"].Success && int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        if (!match.Success || (match.Groups["port"].Success && port is not (>= 1 and <= 65535)))
        {
            throw new ArgumentException("publishHost: give [user@]host[:port] (a host name or an IP address, an IPv6 address in brackets)");
        }
        var folder = root is null ? throw new ArgumentException("publishRoot: needed when publishHost is given")
            : root == "/" ? "/"
            : Folders(root, allowAbsolute: true) ?? throw new ArgumentException(
                "publishRoot: give the root folder on the server, such as /srv/ftp (names of letters, digits, '.', '-' and '_')");
        var under = path is null || path.Trim('/').Length == 0 ? ""
            : Folders(path.Trim('/'), allowAbsolute: false) ?? throw new ArgumentException(
                "publishPath: give the folders under publishRoot, such as project/results (names of letters, digits, '.', '-' and '_')");
        var keyFile = key is null ? throw new ArgumentException("publishKey: needed when publishHost is given") : Existing(key, "publishKey", "key");
        var hosts = knownHosts is null ? null : Existing(knownHosts, "publishKnownHosts", "known hosts");
        var name = match.Groups["v6"].Success ? match.Groups["v6"].Value : match.Groups["name"].Value;
        string @base;
        if (url is null)
        {
            @base = "ftp://" + (name.Contains(':') ? $"[{name}]" : name) + (under.Length > 0 ? "/" + under : "");
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Scheme is "http" or "https" or "ftp" or "sftp"
            && address.Query.Length == 0 && address.Fragment.Length == 0 && address.UserInfo.Length == 0)
        {
            @base = url.TrimEnd('/');
        }
        else
        {
            throw new ArgumentException("publishUrl: give the address at which publishRoot/publishPath is seen, such as https://data.example.org/project");
        }
        return new PublishTarget(match.Groups["user"].Success ? match.Groups["user"].Value : null, name, port, folder, under, keyFile, hosts, @base);
    }

    /// <summary>The folders, without a trailing '/', or null when a name holds anything else than is allowed.</summary>
    private static string? Folders(string text, bool allowAbsolute)
    {
        var trimmed = text.Length > 1 ? text.TrimEnd('/') : text;
        var names = (allowAbsolute && trimmed.StartsWith('/') ? trimmed[1..] : trimmed).Split('/');
        return trimmed.Length > 0 && names.All(n => FolderName().IsMatch(n) && n is not ".." && (n is not "." || names.Length == 1)) ? trimmed : null;
    }

    private static string Existing(string path, string setting, string what) => File.Exists(path)
        ? Path.GetFullPath(path)
        : throw new ArgumentException($"{setting}: the {what} file '{path}' does not exist");

    private static string Join(string folder, string relative) =>
        relative.Length == 0 ? folder : folder.Length == 0 ? relative : folder.EndsWith('/') ? folder + relative : folder + "/" + relative;

    [GeneratedRegex(@"^(?:(?<user>[A-Za-z0-9_][A-Za-z0-9._-]*)@)?(?:\[(?<v6>[0-9A-Fa-f:.]+)\]|(?<name>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?))(?::(?<port>[0-9]{1,5}))?$")]
    private static partial Regex HostPattern();

    // Never starting with '-', which the SFTP client would read as an option.
    [GeneratedRegex(@"^[A-Za-z0-9._][A-Za-z0-9._-]*$")]
    private static partial Regex FolderName();
}
