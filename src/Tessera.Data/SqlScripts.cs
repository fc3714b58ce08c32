using System.Collections.Concurrent;
using System.Reflection;

namespace Tessera.Data;

/// <summary>
/// A store's SQL, kept in <c>.sql</c> files embedded in its assembly under <paramref name="root"/>:
/// <c>{root}.{Dialect}.{Folder}.{name}.sql</c>, or <c>{root}.Common.{Folder}.{name}.sql</c> when the statement is the
/// same in every database; migrations are <c>{root}.{Dialect}.Migrations.NNN_name.sql</c>.
/// </summary>
public sealed class SqlScripts(Assembly assembly, string root)
{
    private readonly ConcurrentDictionary<(string, string, string), string?> _texts = new();

    /// <summary>The statement for <paramref name="dialect"/>, or the common one.</summary>
    public string Get(string dialect, string folder, string name) =>
        _texts.GetOrAdd((dialect, folder, name), key => Load(key.Item1, key.Item2, key.Item3) ?? Load("Common", key.Item2, key.Item3))
        ?? throw new InvalidOperationException($"missing SQL resource {root}.{dialect}.{folder}.{name}.sql");

    /// <summary>The numbered migrations of a dialect, in order: (version, name, SQL).</summary>
    public IReadOnlyList<(int Version, string Name, string Sql)> Migrations(string dialect)
    {
        var prefix = $"{root}.{dialect}.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[prefix.Length..^4])
            .Select(n => (Version: int.Parse(n[..n.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture), Name: n))
            .OrderBy(m => m.Version)
            .Select(m => (m.Version, m.Name, Get(dialect, "Migrations", m.Name)))
            .ToList();
    }

    private string? Load(string dialect, string folder, string name)
    {
        using var stream = assembly.GetManifestResourceStream($"{root}.{dialect}.{folder}.{name}.sql");
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
