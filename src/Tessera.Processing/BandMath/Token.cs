namespace Tessera.Processing.BandMath;

internal enum TokenKind
{
    Number,
    Identifier,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LeftParen,
    RightParen,
    Comma,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    EqualEqual,
    NotEqual,
    End,
}

/// <summary>A token and the 1-based column where it starts.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Column, double Value = 0);
