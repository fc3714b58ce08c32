using System.Security.Cryptography;

namespace Tessera.Catalog.Stac;

/// <summary>STAC's <c>file:checksum</c> as the catalog writes and checks it: a multihash in hex, SHA-256 (<c>1220</c> + the digest).</summary>
public static class FileChecksum
{
    /// <summary>The multihash prefix of SHA-256 (function 0x12, 32 bytes).</summary>
    public const string Sha256Prefix = "1220";

    public static async Task<string> OfAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var read = File.OpenRead(path);
        return Sha256Prefix + Convert.ToHexStringLower(await SHA256.HashDataAsync(read, cancellationToken));
    }

    public static string Of(string path)
    {
        using var read = File.OpenRead(path);
        return Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(read));
    }
}
