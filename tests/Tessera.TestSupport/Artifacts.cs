namespace Tessera.TestSupport;

/// <summary>Files the tests leave for people to look at (screenshots, measured tables).</summary>
public static class Artifacts
{
    /// <summary>TESSERA_TEST_ARTIFACTS/<paramref name="name"/>, else artifacts/<paramref name="name"/> in the repository; created.</summary>
    public static string Folder(string name)
    {
        var root = Environment.GetEnvironmentVariable("TESSERA_TEST_ARTIFACTS");
        if (string.IsNullOrWhiteSpace(root))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tessera.slnx")))
            {
                dir = dir.Parent;
            }
            root = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts");
        }
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
