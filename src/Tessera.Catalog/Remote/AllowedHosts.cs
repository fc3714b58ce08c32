using System.Net;
using System.Net.Sockets;

namespace Tessera.Catalog.Remote;

/// <summary>
/// Which hosts on private, loopback or link-local addresses the service may reach (a remote catalog or provider on the
/// internal network, or loopback in tests): host names and CIDR ranges, as <c>TESSERA_ALLOWED_HOSTS</c> gives them
/// ("localhost,10.1.0.0/16,stac.internal"). Public addresses are always allowed.
/// </summary>
public sealed class AllowedHosts
{
    private readonly HashSet<string> _names;
    private readonly List<(IPAddress Network, int Bits)> _ranges;

    private AllowedHosts(HashSet<string> names, List<(IPAddress, int)> ranges)
    {
        _names = names;
        _ranges = ranges;
    }

    /// <summary>Only public addresses.</summary>
    public static AllowedHosts None { get; } = new([], []);

    /// <summary>From a comma-separated list of host names and CIDR ranges (an address alone is a range of one).</summary>
    public static AllowedHosts Parse(string? list)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ranges = new List<(IPAddress, int)>();
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var slash = entry.IndexOf('/');
            var text = slash < 0 ? entry : entry[..slash];
            if (IPAddress.TryParse(text, out var address))
            {
                var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
                var bits = max;
                if (slash >= 0 && (!int.TryParse(entry[(slash + 1)..], out bits) || bits < 0 || bits > max))
                {
                    throw new ArgumentException($"allowed hosts: '{entry}' is not a CIDR range");
                }
                ranges.Add((address, bits));
            }
            else if (slash < 0 && Uri.CheckHostName(entry) == UriHostNameType.Dns)
            {
                names.Add(entry);
            }
            else
            {
                throw new ArgumentException($"allowed hosts: '{entry}' is neither a host name nor a CIDR range");
            }
        }
        return new AllowedHosts(names, ranges);
    }

    /// <summary>Whether <paramref name="host"/> may be reached at <paramref name="address"/>.</summary>
    public bool Allows(string host, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return !IsInternal(address) || _names.Contains(host.TrimEnd('.')) || _ranges.Any(r => Contains(r.Network, r.Bits, address));
    }

    /// <summary>Loopback, private (RFC 1918, unique local), link-local, shared (100.64/10) or unspecified.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] < 32) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] < 128);
        }
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
    }

    private static bool Contains(IPAddress network, int bits, IPAddress address)
    {
        var a = network.GetAddressBytes();
        var b = address.GetAddressBytes();
        if (a.Length != b.Length)
        {
            return false;
        }
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (b[i] & mask))
            {
                return false;
            }
        }
        return true;
    }
}
