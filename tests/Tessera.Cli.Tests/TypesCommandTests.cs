using Tessera.Processing.Operations;

namespace Tessera.Cli.Tests;

/// <summary>The reference page of the task types is what the definitions say.</summary>
public class TypesCommandTests
{
    private static string Repository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tessera.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new DirectoryNotFoundException("the repository (Tessera.slnx) is not above the test binaries");
    }

    [Fact]
    public void DocsTypesPage_IsTheDefinitions_Regenerate_WithTypesMarkdown()
    {
        var run = CliRunner.Run("types", "--markdown");
        Assert.Equal(0, run.ExitCode);
        var page = File.ReadAllText(Path.Combine(Repository(), "docs", "types.md"));
        Assert.True(page == run.Out, "docs/types.md differs from the definitions: run `tessera types --markdown > docs/types.md`");
        foreach (var operation in OperationCatalog.All)
        {
            Assert.Contains($"| {operation.Number} | [{operation.Name}]", page);
            foreach (var parameter in operation.Parameters)
            {
                Assert.Contains($"| `{parameter.Name}` |", page);
            }
        }
    }

    [Fact]
    public void TypesList_NamesEveryTypeWithItsNumber()
    {
        var run = CliRunner.Run("types");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  4  Cloud_Remove", run.Out);
        Assert.Contains(" 16  SAVI", run.Out);
        Assert.Contains("params: scale, offset, nodata, resampling, L, formula", run.Out);
    }
}
