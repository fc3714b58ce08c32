namespace Tessera.TestSupport;

/// <summary>The repository the tests were built from.</summary>
public static class Repository
{
    /// <summary>The folder above the test binaries that holds Tessera.slnx.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tessera.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new DirectoryNotFoundException("the repository (Tessera.slnx) is not above the test binaries");
        }
    }
}
