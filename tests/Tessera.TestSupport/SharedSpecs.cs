namespace Tessera.TestSupport;

/// <summary>The specifications of the shared folder beside the repository (<c>../shared/specs</c>), found from the test binaries.</summary>
public static class SharedSpecs
{
    /// <summary>A path found by walking up from the test binaries (the repository's, or the shared folder beside it).</summary>
    public static string? Locate(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
