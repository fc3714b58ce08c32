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
            root = Path.Combine(Repository.Root, "artifacts");
        }
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
