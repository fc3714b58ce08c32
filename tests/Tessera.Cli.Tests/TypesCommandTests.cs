using Tessera.Processing.Operations;
using Tessera.TestSupport;

namespace Tessera.Cli.Tests;

/// <summary>The reference page of the task types is what the definitions say.</summary>
public class TypesCommandTests
{
    [Fact]
    public void DocsTypesPage_IsTheDefinitions_Regenerate_WithTypesMarkdown()
    {
        var run = CliRunner.Run("types", "--markdown");
        Assert.Equal(0, run.ExitCode);
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "types.md"));
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
