using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Server.OpenEo;

/// <summary>
/// Links to jobs' result files that work without an Authorization header until they expire (a day), as openEO clients
/// download results: the job, the file and the expiry signed with HMAC-SHA256 under a key of the data folder
/// (<c>openeo-links.key</c>, made once, readable by the service only; servers sharing the data folder share it).
/// The same key signs the path segment (<see cref="AccessKey"/>) that lets map clients (GDAL, desktop GIS) read a
/// secondary web service or a job's result through XYZ, WMTS and WCS without an Authorization header.
/// </summary>
public sealed class ResultLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    private readonly Lazy<byte[]> _key;

    /// <summary>The key is read (or made) when a link is first signed or checked.</summary>
    public ResultLinks(string dataFolder) => _key = new Lazy<byte[]>(() => KeyOf(dataFolder));

    private static byte[] KeyOf(string dataFolder)
    {
        var path = Path.Combine(dataFolder, "openeo-links.key");
        if (!File.Exists(path))
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var temporary = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(temporary, key);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            try
            {
                File.Move(temporary, path); // a server starting at the same time may have made it first: its key stands
            }
            catch (IOException)
            {
                File.Delete(temporary);
            }
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>The signed address of a job's file, and when it expires.</summary>
    public (string Href, DateTimeOffset Expires) Sign(string baseUrl, string job, string file, DateTimeOffset now)
    {
        var expires = now + Lifetime;
        var seconds = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return ($"{baseUrl}{OpenEoApi.Root}/jobs/{Uri.EscapeDataString(job)}/results/{Uri.EscapeDataString(file)}?expires={seconds}&signature={Signature(job, file, seconds)}",
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, CultureInfo.InvariantCulture)));
    }

    public bool Verify(string job, string file, string? expires, string? signature, DateTimeOffset now)
    {
        if (expires is null || signature is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799)) < now)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(job, file, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>
    /// The key of a resource's map addresses (a path segment): its signature, with the expiry first when there is one
    /// (<c>e{unix seconds}-{signature}</c>); without one it holds as long as the resource.
    /// </summary>
    public string AccessKey(string resource, DateTimeOffset? expires = null)
    {
        var seconds = expires?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "";
        var signature = Signature("ogc", resource, seconds)[..32];
        return seconds.Length == 0 ? signature : $"e{seconds}-{signature}";
    }

    /// <summary>Whether <paramref name="key"/> is one <see cref="AccessKey"/> made for the resource and has not expired.</summary>
    public bool CheckAccessKey(string resource, string key, DateTimeOffset now)
    {
        var seconds = "";
        var signature = key;
        if (key.StartsWith('e') && key.IndexOf('-') is var dash and > 1)
        {
            seconds = key[1..dash];
            signature = key[(dash + 1)..];
            if (!long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || DateTimeOffset.FromUnixTimeSeconds(Math.Min(s, 253402300799)) < now)
            {
                return false;
            }
        }
        var expected = Encoding.ASCII.GetBytes(Signature("ogc", resource, seconds)[..32]);
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Signature(string job, string file, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes($"{job}\n{file}\n{expires}")));
}
