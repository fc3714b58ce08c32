using Tessera.Processing.BandMath;

namespace Tessera.Processing.Tests.BandMath;

public class ParserTests
{
    private static float Eval(string expression, params (string Name, float Value)[] bands) =>
        BandMathProgram.Compile(expression, bands.Select(b => b.Name).ToList()).EvaluateScalar(bands.Select(b => b.Value).ToArray());

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 512)]          // right-associative
    [InlineData("-2 ^ 2", -4)]              // unary minus binds looser than ^
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("10 - 4 - 3", 3)]           // left-associative
    [InlineData("8 / 4 / 2", 1)]
    [InlineData("2 ** 3", 8)]
    [InlineData("1.5e1 + .5", 15.5)]
    [InlineData("3 > 2", 1)]
    [InlineData("3 <= 2", 0)]
    [InlineData("2 == 2", 1)]
    [InlineData("2 != 2", 0)]
    [InlineData("1 + 1 < 3", 1)]            // comparison binds loosest
    [InlineData("where(1 > 2, 10, 20)", 20)]
    [InlineData("clamp(5, 0, 1)", 1)]
    [InlineData("clamp(-5, 0, 1)", 0)]
    [InlineData("min(3, 1, 2) + max(3, 1, 2)", 4)]
    [InlineData("abs(-3) + sqrt(16) + log(exp(2))", 9)]
    public void Constants_EvaluateWithUsualPrecedence(string expression, float expected) =>
        Assert.Equal(expected, Eval(expression), 5);

    [Fact]
    public void ConstantSubExpressions_AreFolded()
    {
        var program = BandMathProgram.Compile("a * (2 + 3) - 1 / 4", ["a"]);
        Assert.Equal(2, program.Instructions.Count); // a*5, then - 0.25
        Assert.Equal(5f * 7f - 0.25f, program.EvaluateScalar([7f]));
    }

    [Fact]
    public void PowerOfTwo_BecomesSquare()
    {
        var program = BandMathProgram.Compile("(0.1 - a)^2", ["a"]);
        Assert.Contains(program.Instructions, i => i.Op == OpCode.Square);
        Assert.DoesNotContain(program.Instructions, i => i.Op == OpCode.Power);
    }

    [Fact]
    public void Bands_AreReadByName()
    {
        Assert.Equal(0.5f, Eval("(a - b) / (a + b)", ("a", 3), ("b", 1)));
        Assert.Equal([0], BandMathProgram.Compile("a * 2", ["a", "b"]).ReferencedInputs);
    }

    [Theory]
    [InlineData("(a - c) / (a + b)", 6, "unknown band 'c'; bands are: a, b")]
    [InlineData("a +", 4, "the expression ends too early")]
    [InlineData("a + * b", 5, "unexpected '*'")]
    [InlineData("(a + b", 7, "expected ')' before the end")]
    [InlineData("a + b)", 6, "unmatched ')'")]
    [InlineData("sqrt(a, b)", 1, "sqrt() takes 1 argument, got 2: sqrt(x)")]
    [InlineData("where(a, b)", 1, "where() takes 3 arguments, got 2: where(condition, then, else)")]
    [InlineData("min(a)", 1, "min() takes at least 2 arguments, got 1: min(a, b, ...)")]
    [InlineData("a + foo(b)", 5, "unknown function 'foo'; functions are: abs, sqrt, exp, log, min, max, clamp, where")]
    [InlineData("a # b", 3, "unexpected character '#'")]
    [InlineData("a < b < 1", 7, "comparisons cannot be chained; use where() or parentheses")]
    [InlineData("  ", 1, "the expression is empty")]
    [InlineData("a + sqrt", 5, "unknown band 'sqrt' (sqrt is a function: call it as sqrt(x)); bands are: a, b")]
    public void BadExpressions_PointAtTheColumn(string expression, int column, string problem)
    {
        var e = Assert.Throws<BandMathException>(() => BandMathProgram.Compile(expression, ["a", "b"]));
        Assert.Equal(column, e.Column);
        Assert.Equal(problem, e.Problem);
        Assert.Equal($"expression error at column {column}: {problem}", e.Message);
    }
}
