using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tessera.Server.Access;

/// <summary>
/// API tokens, kept hashed (SHA-256 of a 256-bit random secret) in <c>tokens.json</c> in the data folder;
/// a token is shown once, when it is created. Writes replace the file atomically. The file is read again whenever it
/// changed (a token made by <c>tessera token create</c> while the server runs counts at once), and a write adds to the
/// file as it is then, not as this process last read it.
/// </summary>
public sealed class TokenStore
{
    private const string Prefix = "tsr_";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _path;
    private readonly Lock _gate = new();
    private List<TokenRecord> _tokens;
    private (DateTime Written, long Length) _read;

    private sealed record TokenRecord(string Id, string User, Role Role, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt = null);

    /// <summary>Who a token belongs to.</summary>
    public sealed record Identity(string User, Role Role);

    /// <summary>What is known of a token without its secret: its id (to revoke it by), owner, role, and times.</summary>
    public sealed record TokenInfo(string Id, string User, Role Role, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

    private readonly TimeProvider _time;

    public TokenStore(string dataFolder, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _path = Path.Combine(dataFolder, "tokens.json");
        _tokens = [];
        Refresh();
    }

    /// <summary>Reads the file again when it changed since it was last read (under the lock).</summary>
    private void Refresh()
    {
        var file = new FileInfo(_path);
        var seen = file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1L);
        if (seen == _read)
        {
            return;
        }
        _tokens = file.Exists ? JsonSerializer.Deserialize<List<TokenRecord>>(File.ReadAllText(_path), Json) ?? [] : [];
        _read = seen;
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                Refresh();
                return _tokens.Count == 0;
            }
        }
    }

    /// <summary>Creates a token and returns its secret (the only time it is seen).</summary>
    /// <param name="expiresAt">When it stops being accepted; null: never.</param>
    public string Create(string user, Role role, DateTimeOffset? expiresAt = null) => CreateWithId(user, role, expiresAt).Secret;

    /// <summary>Creates a token; its secret (the only time it is seen) and its id.</summary>
    public (string Secret, string Id) CreateWithId(string user, Role role, DateTimeOffset? expiresAt = null)
    {
        if (string.IsNullOrWhiteSpace(user) || user.Length > 100 || user.Any(char.IsControl))
        {
            throw new ArgumentException("a user name of 1 to 100 printable characters is needed");
        }
        if (expiresAt is { } end && end <= _time.GetUtcNow())
        {
            throw new ArgumentException($"the expiry {end:yyyy-MM-dd HH:mm:ss}Z is already past");
        }
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = Guid.NewGuid().ToString("N")[..12];
        // To the second, as lists and refusals show it.
        var until = expiresAt is { } e ? DateTimeOffset.FromUnixTimeSeconds(e.ToUnixTimeSeconds()) : (DateTimeOffset?)null;
        Change(tokens => tokens.Add(new TokenRecord(id, user.Trim(), role, Hash(secret), _time.GetUtcNow(), until)));
        return (secret, id);
    }

    /// <summary>Every token, oldest first, without secrets; expired ones too, until revoked.</summary>
    public IReadOnlyList<TokenInfo> List()
    {
        lock (_gate)
        {
            Refresh();
            return _tokens.OrderBy(t => t.CreatedAt).Select(t => new TokenInfo(t.Id, t.User, t.Role, t.CreatedAt, t.ExpiresAt)).ToList();
        }
    }

    /// <summary>Removes a token by its id; false when there is none. A running server refuses it from its next request.</summary>
    public bool Revoke(string id)
    {
        var removed = false;
        Change(tokens => removed = tokens.RemoveAll(t => t.Id == id) > 0);
        return removed;
    }

    /// <summary>Changes the tokens as the file holds them now, and writes them back atomically.</summary>
    private void Change(Action<List<TokenRecord>> change)
    {
        lock (_gate)
        {
            Refresh();
            var tokens = new List<TokenRecord>(_tokens);
            change(tokens);
            var temporary = $"{_path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(tokens, Json));
            File.Move(temporary, _path, overwrite: true);
            _tokens = tokens;
            var file = new FileInfo(_path);
            _read = (file.LastWriteTimeUtc, file.Length);
        }
    }

    /// <summary>
    /// Makes a secret chosen outside (<c>TESSERA_ADMIN_TOKEN</c>, for automation) a token of this user and role,
    /// unless it already is one.
    /// </summary>
    public void EnsureKnown(string secret, string user, Role role)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length < Prefix.Length + 20)
        {
            throw new InvalidOperationException($"TESSERA_ADMIN_TOKEN must start with {Prefix} and have at least 20 more characters");
        }
        if (Find(secret) is not null)
        {
            return;
        }
        Change(tokens => tokens.Add(new TokenRecord(Guid.NewGuid().ToString("N")[..12], user, role, Hash(secret), _time.GetUtcNow())));
    }

    /// <summary>The identity of a presented token, or null when it is not one of ours or has expired.</summary>
    public Identity? Find(string? presented) =>
        Match(presented) is { } token && !(token.ExpiresAt <= _time.GetUtcNow()) ? new Identity(token.User, token.Role) : null;

    /// <summary>When a presented token of ours stopped being accepted, or null when it is not an expired token of ours.</summary>
    public DateTimeOffset? ExpiredAt(string? presented) =>
        Match(presented) is { ExpiresAt: { } end } && end <= _time.GetUtcNow() ? end : null;

    private TokenRecord? Match(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var hash = Encoding.ASCII.GetBytes(Hash(presented));
        lock (_gate)
        {
            Refresh();
            TokenRecord? found = null;
            foreach (var token in _tokens)
            {
                // Every record compared, in constant time each: the time taken says nothing of which matched.
                if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token.Hash), hash))
                {
                    found = token;
                }
            }
            return found;
        }
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
