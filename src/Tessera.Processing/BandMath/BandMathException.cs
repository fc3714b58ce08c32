namespace Tessera.Processing.BandMath;

/// <summary>An expression that cannot be parsed or checked; <see cref="Column"/> is 1-based.</summary>
public sealed class BandMathException(string expression, int column, string problem)
    : Exception($"expression error at column {column}: {problem}")
{
    public string Expression { get; } = expression;

    public int Column { get; } = column;

    public string Problem { get; } = problem;
}
