using Tessera.Processing.BandMath;

namespace Tessera.Processing.Tests.BandMath;

/// <summary>
/// The vectorised evaluator against the scalar definition (<see cref="BandMathProgram.EvaluateScalar"/>) at
/// every length 0..257, for every operation, with NaN (nodata), zero denominators, negative values and
/// infinities among the inputs. Lengths past one chunk exercise the chunked loop.
/// </summary>
public class EvaluatorTests
{
    public static IEnumerable<object[]> Expressions() =>
        new[]
        {
            "a + b", "a - b", "a * b", "a / b", "a ^ b", "a ^ 2", "-a", "abs(a)", "sqrt(a)", "exp(b)", "log(a)",
            "min(a, b)", "max(a, b, 0.5)", "a < b", "a <= b", "a > b", "a >= b", "a == b", "a != b",
            "where(a > b, a, b)", "where(b, a / b, 0)", "clamp(a, -1, 1)", "clamp(a, b, c)", "clamp((a - b) / (a + b), -1, 1)", "(a - b) / (a + b)",
            "2.5 * (a - b) / (a + 6 * b - 7.5 * c + 1)", "1 / ((0.1 - a)^2 + (0.06 - b)^2)", "c", "3",
        }.Select(e => new object[] { e });

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i => ((i * 7 + seed) % 13) switch
        {
            0 => float.NaN,
            1 => 0f,
            2 => -0f,
            3 => float.PositiveInfinity,
            4 => -(float)random.NextDouble(),
            5 => 1f,
            _ => (float)random.NextDouble() * 2,
        }).ToArray();
    }

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Vectorised_MatchesScalar_AtEveryLength(string expression)
    {
        var program = BandMathProgram.Compile(expression, ["a", "b", "c"]);
        var evaluator = new BandMathEvaluator(program);
        foreach (var n in Enumerable.Range(0, 258).Append(BandMathEvaluator.ChunkSize + 3))
        {
            float[][] inputs = [Values(n, 1), Values(n, 2), Values(n, 3)];
            var actual = new float[n];
            evaluator.Evaluate(inputs, n, actual);
            for (var i = 0; i < n; i++)
            {
                var expected = program.EvaluateScalar([inputs[0][i], inputs[1][i], inputs[2][i]]);
                AssertClose(expected, actual[i], $"{expression} at {i} of {n} (a={inputs[0][i]}, b={inputs[1][i]}, c={inputs[2][i]})");
            }
        }
    }

    private static void AssertClose(float expected, float actual, string where)
    {
        if (float.IsNaN(expected))
        {
            Assert.True(float.IsNaN(actual), $"{where}: expected nodata, got {actual}");
            return;
        }
        Assert.False(float.IsNaN(actual), $"{where}: expected {expected}, got nodata");
        // exp, log and pow may differ from MathF by an ulp or two between vector and scalar code.
        var tolerance = Math.Max(Math.Abs(expected), 1f) * 4e-7f;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{where}: expected {expected}, got {actual}");
    }

    [Fact]
    public void NoData_DivisionByZero_AndNaN_GiveNoData()
    {
        var program = BandMathProgram.Compile("(a - b) / (a + b)", ["a", "b"]);
        var evaluator = new BandMathEvaluator(program);
        float[][] inputs = [[float.NaN, 1, 0, 3, -1], [1, float.NaN, 0, 1, 1]];
        var result = new float[5];
        evaluator.Evaluate(inputs, 5, result);
        Assert.True(float.IsNaN(result[0]));   // nodata in a
        Assert.True(float.IsNaN(result[1]));   // nodata in b
        Assert.True(float.IsNaN(result[2]));   // 0 / 0
        Assert.Equal(0.5f, result[3]);
        Assert.True(float.IsNaN(result[4]));   // -2 / 0 = -inf
    }

    [Fact]
    public void NoDataInAnyReferencedInput_GivesNoData_EvenWhenTheValueWouldNotNeedIt()
    {
        var program = BandMathProgram.Compile("where(a > 0, 1, b)", ["a", "b"]);
        var evaluator = new BandMathEvaluator(program);
        var result = new float[2];
        evaluator.Evaluate([[1f, 1f], [5f, float.NaN]], 2, result);
        Assert.Equal(1f, result[0]);
        Assert.True(float.IsNaN(result[1]));
    }

    [Fact]
    public void Where_GuardedDivision_HasNoNoDataWhereTheGuardHolds()
    {
        var program = BandMathProgram.Compile("where(b == 0, 0, a / b)", ["a", "b"]);
        var evaluator = new BandMathEvaluator(program);
        var result = new float[2];
        evaluator.Evaluate([[1f, 6f], [0f, 3f]], 2, result);
        Assert.Equal([0f, 2f], result);
    }
}
