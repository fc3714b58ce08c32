namespace Tessera.Processing.BandMath;

/// <summary>
/// How large an expression may be. The parser, the compiler and the printing of syntax trees recurse once per
/// level of nesting, and a stack overflow ends the whole process (it cannot be caught), so an expression from
/// the command line or from a task over HTTP is refused with a <see cref="BandMathException"/> before it can
/// nest that deep. Real expressions are a few dozen characters and a few levels deep.
/// </summary>
public static class BandMathLimits
{
    /// <summary>
    /// Most characters in an expression; checked before the expression is split into tokens, so an oversized
    /// one costs nothing.
    /// </summary>
    public const int MaxLength = 10_000;

    /// <summary>
    /// Deepest nesting of an expression. A band or number is 0 deep; each operator, function call and pair of
    /// parentheses adds a level over the deepest operand it encloses. Operators in a row nest too, since
    /// <c>a + b + c</c> is <c>(a + b) + c</c> and <c>a ^ b ^ c</c> is <c>a ^ (b ^ c)</c>: a sum may have at most
    /// 257 terms. At this limit the costliest nesting, calls inside calls, takes about half a megabyte of stack
    /// while the parser is not yet optimised by the JIT, against 1.5 MiB per thread on Linux and 1 MiB on
    /// Windows.
    /// </summary>
    public const int MaxDepth = 256;
}
