using System.Runtime.ExceptionServices;
using Tessera.Processing.BandMath;

namespace Tessera.Processing.Tests.BandMath;

/// <summary>
/// Expressions longer or deeper than <see cref="BandMathLimits"/> allows are refused with the usual typed
/// error before any recursion goes deep (a stack overflow would end the test run, not fail one test); those
/// within the limits still parse, compile, print and evaluate.
/// </summary>
public class LimitsTests
{
    private const int MaxDepth = BandMathLimits.MaxDepth;
    private const float A = 3f;

    private static readonly string TooDeep =
        $"the expression nests more than {MaxDepth} levels deep; at most {MaxDepth} are allowed";

    /// <summary>An expression over the band a that nests exactly <paramref name="depth"/> levels deep.</summary>
    private static string Nested(string kind, int depth) => kind switch
    {
        "parentheses" => new string('(', depth) + "a" + new string(')', depth),
        "negations" => new string('-', depth) + "a",
        "sum" => "a" + string.Concat(Enumerable.Repeat("+a", depth)),
        "power" => "a" + string.Concat(Enumerable.Repeat("^1", depth)),
        "sqrt" => string.Concat(Enumerable.Repeat("sqrt(", depth)) + "a" + new string(')', depth),
        "arguments" => string.Concat(Enumerable.Repeat("min(2,", depth)) + "a" + new string(')', depth),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>What <see cref="Nested"/> evaluates to for a = <see cref="A"/>, one step at a time.</summary>
    private static float Expected(string kind, int depth)
    {
        var value = A;
        for (var i = 0; i < depth; i++)
        {
            value = kind switch
            {
                "parentheses" or "power" => value,
                "negations" => -value,
                "sum" => value + A,
                "sqrt" => MathF.Sqrt(value),
                "arguments" => MathF.Min(2, value),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
        return value;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a thread with 1 MiB of stack: less than .NET gives a thread on Linux
    /// (1.5 MiB), as much as on Windows. The deepest kind at the limit needs about half of it, so a pass that
    /// starts to recurse more per level overflows here, in the test run, before it can in a server.
    /// </summary>
    private static void OnOneMebibyteStack(Action action)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        failure?.Throw();
    }

    [Theory]
    [InlineData("parentheses", 30_000)]
    [InlineData("negations", 100_000)]
    [InlineData("sum", 99_999)]
    [InlineData("sqrt", 20_000)]
    public void Expression_LongerThanTheLengthLimit_IsRefusedNamingTheLimit(string kind, int depth)
    {
        var expression = Nested(kind, depth);
        var e = Assert.Throws<BandMathException>(() => BandMathProgram.Compile(expression, ["a"]));
        Assert.Equal(BandMathLimits.MaxLength + 1, e.Column);
        Assert.Equal($"the expression is {expression.Length} characters long; at most {BandMathLimits.MaxLength} are allowed", e.Problem);
    }

    [Fact]
    public void Expression_AtTheLengthLimit_ParsesAndOneCharacterMoreIsRefused()
    {
        var expression = "a + 1".PadRight(BandMathLimits.MaxLength);
        Assert.Equal(A + 1, BandMathProgram.Compile(expression, ["a"]).EvaluateScalar([A]));
        var e = Assert.Throws<BandMathException>(() => Parser.Parse(expression + " "));
        Assert.Equal($"the expression is {BandMathLimits.MaxLength + 1} characters long; at most {BandMathLimits.MaxLength} are allowed", e.Problem);
    }

    [Theory]
    [InlineData("parentheses", MaxDepth + 1)]
    [InlineData("parentheses", 4_000)]
    [InlineData("negations", MaxDepth + 1)]
    [InlineData("negations", 9_000)]
    [InlineData("sum", MaxDepth + 1)]
    [InlineData("sum", 4_000)]
    [InlineData("power", MaxDepth + 1)]
    [InlineData("power", 4_000)]
    [InlineData("sqrt", MaxDepth + 1)]
    [InlineData("sqrt", 1_600)]
    [InlineData("arguments", MaxDepth + 1)]
    [InlineData("arguments", 1_400)]
    public void Expression_DeeperThanTheDepthLimit_IsRefusedNamingTheLimit(string kind, int depth)
    {
        var expression = Nested(kind, depth);
        Assert.True(expression.Length <= BandMathLimits.MaxLength);
        var e = Assert.Throws<BandMathException>(() => BandMathProgram.Compile(expression, ["a"]));
        Assert.Equal(TooDeep, e.Problem);
        Assert.Equal($"expression error at column {e.Column}: {TooDeep}", e.Message);
        Assert.InRange(e.Column, 1, expression.Length);
    }

    [Fact]
    public void Expression_DeepInsideACallArgument_PointsAtTheLevelPastTheLimit()
    {
        var expression = "max(a, " + Nested("parentheses", MaxDepth) + ")";
        var e = Assert.Throws<BandMathException>(() => Parser.Parse(expression));
        Assert.Equal(TooDeep, e.Problem);
        Assert.Equal("max(a, ".Length + MaxDepth, e.Column); // the innermost '(', the 257th level
    }

    [Fact]
    public void Expression_MixingKindsOfNesting_CountsEveryLevel()
    {
        var negatedGroups = string.Concat(Enumerable.Repeat("-(", MaxDepth / 2)) + "a" + new string(')', MaxDepth / 2);
        Assert.Equal(A, BandMathProgram.Compile(negatedGroups, ["a"]).EvaluateScalar([A]));
        Assert.Equal(TooDeep, Assert.Throws<BandMathException>(() => Parser.Parse("-" + negatedGroups)).Problem);

        // A sum is parsed in a loop, so only the depth it adds to the finished tree can refuse it.
        var sumInCall = "sqrt(" + Nested("sum", MaxDepth - 1) + ")";
        Assert.Equal(MathF.Sqrt(MaxDepth * A), BandMathProgram.Compile(sumInCall, ["a"]).EvaluateScalar([A]));
        Assert.Equal(TooDeep, Assert.Throws<BandMathException>(() => Parser.Parse("sqrt(" + Nested("sum", MaxDepth) + ")")).Problem);
    }

    [Theory]
    [InlineData("parentheses", MaxDepth)]
    [InlineData("negations", MaxDepth)]
    [InlineData("sum", MaxDepth)]
    [InlineData("power", MaxDepth)]
    [InlineData("sqrt", MaxDepth)]
    [InlineData("arguments", MaxDepth)]
    public void Expression_AtTheDepthLimit_ParsesPrintsAndEvaluatesOnAOneMebibyteStack(string kind, int depth)
    {
        var expression = Nested(kind, depth);
        OnOneMebibyteStack(() =>
        {
            Assert.NotEmpty(Parser.Parse(expression).ToString());
            var program = BandMathProgram.Compile(expression, ["a"]);
            Assert.Equal(Expected(kind, depth), program.EvaluateScalar([A]));
            var output = new float[1];
            new BandMathEvaluator(program).Evaluate([[A]], 1, output);
            Assert.Equal(Expected(kind, depth), output[0]);
        });
    }

    [Fact]
    public void Negations_AtTheDepthLimit_KeepTheSignOfAnEvenCount()
    {
        Assert.Equal(A, BandMathProgram.Compile(Nested("negations", MaxDepth), ["a"]).EvaluateScalar([A]));
        Assert.Equal(-A, BandMathProgram.Compile(Nested("negations", MaxDepth - 1), ["a"]).EvaluateScalar([A]));
    }

    [Fact]
    public void UnaryPlus_InAnyNumber_ChangesNothingAndCostsNoDepth()
    {
        var pluses = new string('+', 5_000);
        Assert.Equal(A, BandMathProgram.Compile(pluses + "a", ["a"]).EvaluateScalar([A]));
        Assert.Equal(-A, BandMathProgram.Compile("+-+a", ["a"]).EvaluateScalar([A]));
        Assert.Equal(A, BandMathProgram.Compile("-+-a", ["a"]).EvaluateScalar([A]));
    }
}
