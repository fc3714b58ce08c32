namespace Tessera.Catalog.Files;

/// <summary>
/// The one rule for names the callers give to stored files (an upload's name, a task's <c>outputName</c>), checked
/// where a task is added and again where its result is stored, and for paths built from stored records: a name is
/// a plain file name, and a path never leaves the folder it is built in.
/// </summary>
public static class FileNames
{
    public const int MaxLength = 200;

    /// <summary>The name, trimmed, when it is a plain file name; else null with the reason in <paramref name="problem"/>.</summary>
    public static string? TryPlain(string? given, out string? problem)
    {
        var name = given?.Trim() ?? string.Empty;
        problem = name.Length == 0 ? "is empty"
            : name.Length > MaxLength ? $"is longer than {MaxLength} characters"
            : name.StartsWith('.') ? "starts with '.'"
            : name.IndexOfAny(['/', '\\', ':']) >= 0 ? "contains '/', '\\' or ':'"
            : name.Any(char.IsControl) ? "contains control characters"
            : null;
        return problem is null ? name : null;
    }

    /// <summary>The trimmed name; <see cref="FileRejectedException"/> naming the problem when it is not a plain file name.</summary>
    public static string Plain(string? given) =>
        TryPlain(given, out var problem)
        ?? throw new FileRejectedException($"file name '{Shorten(given)}' is not accepted ({problem}): give a plain name such as B04.tif");

    /// <summary>
    /// <paramref name="relative"/> under <paramref name="folder"/>, proven to stay inside it (no rooted path, no
    /// '..' that climbs out); <see cref="CatalogException"/> otherwise.
    /// </summary>
    public static string Inside(string folder, string relative)
    {
        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(relative) || !full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new CatalogException($"'{Shorten(relative)}' is not a path inside the store");
        }
        return full;
    }

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length > 60 ? text[..60] + "…" : text;
}
