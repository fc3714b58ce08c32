using System.Collections.Concurrent;
using System.Reflection;

namespace Tessera.Tasks.Stores;

/// <summary>The SQL of the stores, kept in .sql files embedded in the assembly.</summary>
internal static class SqlResources
{
    private static readonly Assembly Assembly = typeof(SqlResources).Assembly;
    private static readonly ConcurrentDictionary<(string, string, string), string> Cache = new();

    /// <summary>
    /// The text of <c>Stores/{store}/{folder}/{name}.sql</c>, or of <c>Stores/Common/{folder}/{name}.sql</c>
    /// when the statement is the same in every database.
    /// </summary>
    public static string Get(string store, string folder, string name) =>
        Cache.GetOrAdd((store, folder, name), key => Load(key.Item1, key.Item2, key.Item3));

    private static string Load(string store, string folder, string name)
    {
        var resource = $"Tessera.Tasks.Stores.{store}.{folder}.{name}.sql";
        var common = $"Tessera.Tasks.Stores.Common.{folder}.{name}.sql";
        using var stream = Assembly.GetManifestResourceStream(resource) ?? Assembly.GetManifestResourceStream(common)
            ?? throw new InvalidOperationException($"missing SQL resource {resource}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The text of <c>Stores/{store}/{folder}/{name}.sql</c> when that store has such a statement of its own
    /// (a faster form some databases allow), else null.
    /// </summary>
    public static string? Own(string store, string folder, string name) =>
        OwnCache.GetOrAdd((store, folder, name), key =>
            Assembly.GetManifestResourceInfo($"Tessera.Tasks.Stores.{key.Item1}.{key.Item2}.{key.Item3}.sql") is null ? null : Load(key.Item1, key.Item2, key.Item3));

    private static readonly ConcurrentDictionary<(string, string, string), string?> OwnCache = new();

    /// <summary>The numbered migrations of a store, in order: (version, name, SQL).</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations(string store)
    {
        var prefix = $"Tessera.Tasks.Stores.{store}.Migrations.";
        return Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[prefix.Length..^4])
            .Select(n => (Version: int.Parse(n[..n.IndexOf('_')]), Name: n))
            .OrderBy(m => m.Version)
            .Select(m => (m.Version, m.Name, Get(store, "Migrations", m.Name)))
            .ToList();
    }
}
