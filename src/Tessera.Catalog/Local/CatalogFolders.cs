namespace Tessera.Catalog.Local;

/// <summary>
/// The folders of this machine whose products may be added to the catalog (<c>catalogFolders</c>: absolute paths,
/// comma-separated); none by default. A folder is allowed when it is one of them or lies under one.
/// </summary>
public sealed class CatalogFolders
{
    private readonly IReadOnlyList<string> _roots;

    private CatalogFolders(IReadOnlyList<string> roots) => _roots = roots;

    public static CatalogFolders Parse(string? list)
    {
        var roots = new List<string>();
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Path.IsPathFullyQualified(entry))
            {
                throw new ArgumentException($"catalog folders: '{entry}' is not an absolute path");
            }
            roots.Add(Path.TrimEndingDirectorySeparator(Path.GetFullPath(entry)));
        }
        return new CatalogFolders(roots);
    }

    /// <summary>Whether <paramref name="folder"/> (an absolute path) is one of the allowed folders or lies under one.</summary>
    public bool Allows(string folder)
    {
        if (!Path.IsPathFullyQualified(folder))
        {
            return false;
        }
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return _roots.Any(root => full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
