using Xunit;

namespace Tessera.TestSupport;

/// <summary>
/// The shared folder of real satellite samples: <c>TESSERA_SAMPLE_DATA</c>, or <c>../shared/data</c> beside
/// the repository (found by walking up from the test binaries).
/// </summary>
public static class SampleData
{
    public const string Variable = "TESSERA_SAMPLE_DATA";

    private static readonly Lazy<string?> Folder = new(Locate);

    public static string? Directory => Folder.Value;

    public static bool IsAvailable => Folder.Value is not null;

    public static string MissingMessage =>
        $"real sample data not found: set {Variable} or place the shared data folder at ../shared/data beside the repository";

    /// <summary>The full path of a sample file; fails the test if the folder or file is missing.</summary>
    public static string File(string name)
    {
        var folder = Folder.Value ?? throw new InvalidOperationException(MissingMessage);
        var path = Path.Combine(folder, name);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"sample file {name} is not in {folder}", path);
        }
        return path;
    }

    private static string? Locate()
    {
        var overridden = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return System.IO.Directory.Exists(overridden) ? Path.GetFullPath(overridden) : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(candidate) && System.IO.File.Exists(Path.Combine(candidate, "README.md")))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>A fact that needs the real sample data; skipped, with the reason, when the folder is absent.</summary>
public sealed class SampleDataFactAttribute : FactAttribute
{
    public SampleDataFactAttribute()
    {
        if (!SampleData.IsAvailable)
        {
            Skip = SampleData.MissingMessage;
        }
    }
}

/// <summary>A theory that needs the real sample data; skipped, with the reason, when the folder is absent.</summary>
public sealed class SampleDataTheoryAttribute : TheoryAttribute
{
    public SampleDataTheoryAttribute()
    {
        if (!SampleData.IsAvailable)
        {
            Skip = SampleData.MissingMessage;
        }
    }
}
