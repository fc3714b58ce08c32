namespace Tessera.Processing.BandMath;

/// <summary>A node of a parsed expression; <see cref="Column"/> is where it starts (1-based).</summary>
public abstract record SyntaxNode(int Column);

/// <summary>A numeric literal.</summary>
public sealed record NumberNode(double Value, int Column) : SyntaxNode(Column);

/// <summary>A reference to a named band.</summary>
public sealed record BandNode(string Name, int Column) : SyntaxNode(Column);

/// <summary>Unary minus.</summary>
public sealed record NegateNode(SyntaxNode Operand, int Column) : SyntaxNode(Column);

/// <summary>An infix operator: + - * / ^ and the comparisons.</summary>
public sealed record BinaryNode(BinaryOperator Operator, SyntaxNode Left, SyntaxNode Right, int Column) : SyntaxNode(Column);

/// <summary>A function call: abs sqrt exp log min max clamp where.</summary>
public sealed record CallNode(string Function, IReadOnlyList<SyntaxNode> Arguments, int Column) : SyntaxNode(Column);

/// <summary>The infix operators.</summary>
public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}
