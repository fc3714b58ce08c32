using System.Globalization;

namespace Tessera.Host.Configuration;

/// <summary>A setting given a value it does not allow; the message is one line naming the setting, its source and what is allowed.</summary>
public sealed class SettingException(string message) : Exception(message);

/// <summary>What every setting says of itself, whatever its type (for listings and the unknown-key check).</summary>
public interface ISetting
{
    /// <summary>Its key in <c>tessera.json</c>, e.g. <c>leftoverAge</c>.</summary>
    string Key { get; }

    /// <summary>Its command-line flag, e.g. <c>--leftover-age</c>.</summary>
    string Flag { get; }

    /// <summary>Its environment variable: the key in upper snake case after <c>TESSERA_</c>, e.g. <c>TESSERA_LEFTOVER_AGE</c>.</summary>
    string Environment { get; }

    string Description { get; }

    /// <summary>What values are allowed, as said in an error.</summary>
    string Allowed { get; }
}

/// <summary>
/// One setting of the service, of type <typeparamref name="T"/>: where it comes from, its default, and how a value is
/// read (<paramref name="Read"/> throws <see cref="FormatException"/> for a value that is not allowed).
/// </summary>
public sealed record Setting<T>(string Key, string Flag, string Description, T Default, string Allowed, Func<string, T> Read) : ISetting
{
    public string Environment => "TESSERA_" + string.Concat(Key.Select(c => char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));
}

/// <summary>The kinds of values settings take.</summary>
public static class SettingKinds
{
    public static Setting<string?> Text(string key, string flag, string description, string? fallback = null) =>
        new(key, flag, description, fallback, "a text", value => value.Trim().Length > 0 ? value.Trim() : throw new FormatException());

    public static Setting<int> Whole(string key, string flag, string description, int fallback, int min, int max) =>
        new(key, flag, description, fallback, $"a whole number from {min} to {max}",
            value => int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n : throw new FormatException());

    public static Setting<TimeSpan> Seconds(string key, string flag, string description, double fallback, double min, double max) =>
        new(key, flag, description, TimeSpan.FromSeconds(fallback),
            string.Create(CultureInfo.InvariantCulture, $"a number of seconds from {min} to {max}"),
            value => double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= min && s <= max
                ? TimeSpan.FromSeconds(s) : throw new FormatException());

    /// <summary>One of a few names (compared without case).</summary>
    public static Setting<string> Choice(string key, string flag, string description, string fallback, IReadOnlyList<string> names) =>
        new(key, flag, description, fallback, $"one of {string.Join(", ", names)}",
            value => names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase)) ?? throw new FormatException());

    public static Setting<bool> Switch(string key, string flag, string description) =>
        new(key, flag, description, false, "true or false", value => value.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new FormatException(),
        });
}
