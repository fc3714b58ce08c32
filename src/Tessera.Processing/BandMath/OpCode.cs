namespace Tessera.Processing.BandMath;

/// <summary>The operations of a compiled expression.</summary>
public enum OpCode
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Square,
    Negate,
    Abs,
    Sqrt,
    Exp,
    Log,
    Min,
    Max,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    Where,
    Clamp,
}

/// <summary>One step: Destination = Op(A, B, C) over slots (inputs, constants, temporaries).</summary>
public readonly record struct Instruction(OpCode Op, int Destination, int A, int B = -1, int C = -1);
