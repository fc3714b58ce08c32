using Tessera.Processing.Kernels;

namespace Tessera.Processing.Tests.Kernels;

public class SelectKernelsTests
{
    public static IEnumerable<object[]> Lengths() => Enumerable.Range(0, 258).Select(n => new object[] { n });

    private static float[] Values(int n, int seed) =>
        Enumerable.Range(0, n).Select(i => ((i + seed) % 7) switch
        {
            0 => float.NaN,
            1 => 0f,
            2 => 1f,
            3 => -2f,
            _ => (i * seed) % 5,
        }).ToArray();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Compare_AllOperators_MatchScalar(int n)
    {
        var a = Values(n, 1);
        var b = Values(n, 4);
        Check<LessOperator>(a, b);
        Check<LessOrEqualOperator>(a, b);
        Check<GreaterOperator>(a, b);
        Check<GreaterOrEqualOperator>(a, b);
        Check<EqualOperator>(a, b);
        Check<NotEqualOperator>(a, b);
    }

    private static void Check<TOp>(float[] a, float[] b) where TOp : IComparisonOperator
    {
        var actual = new float[a.Length];
        SelectKernels.Compare<TOp>(a, b, actual);
        var expected = a.Zip(b, SelectKernels.CompareScalar<TOp>).ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Where_MatchesScalar(int n)
    {
        var c = Values(n, 2);
        var a = Values(n, 3);
        var b = Values(n, 5);
        var actual = new float[n];
        SelectKernels.Where(c, a, b, actual);
        var expected = Enumerable.Range(0, n).Select(i => SelectKernels.WhereScalar(c[i], a[i], b[i])).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Compare_NaNOperand_GivesNaN()
    {
        var result = new float[1];
        SelectKernels.Compare<NotEqualOperator>([float.NaN], [1f], result);
        Assert.True(float.IsNaN(result[0]));
    }
}
