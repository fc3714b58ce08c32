using System.Globalization;

namespace Tessera.Processing.BandMath;

/// <summary>Splits an expression into tokens; numbers are decimal with an optional exponent.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var column = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }
                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    var save = i;
                    i++;
                    if (i < text.Length && (text[i] == '+' || text[i] == '-'))
                    {
                        i++;
                    }
                    if (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        while (i < text.Length && char.IsAsciiDigit(text[i]))
                        {
                            i++;
                        }
                    }
                    else
                    {
                        i = save; // "2e" is the number 2 followed by the name e
                    }
                }
                var literal = text[start..i];
                if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new BandMathException(text, column, $"'{literal}' is not a number");
                }
                tokens.Add(new Token(TokenKind.Number, literal, column, value));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], column));
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
            (TokenKind kind, int length) = two switch
            {
                "<=" => (TokenKind.LessEqual, 2),
                ">=" => (TokenKind.GreaterEqual, 2),
                "==" => (TokenKind.EqualEqual, 2),
                "!=" => (TokenKind.NotEqual, 2),
                "**" => (TokenKind.Caret, 2),
                _ => c switch
                {
                    '+' => (TokenKind.Plus, 1),
                    '-' => (TokenKind.Minus, 1),
                    '*' => (TokenKind.Star, 1),
                    '/' => (TokenKind.Slash, 1),
                    '^' => (TokenKind.Caret, 1),
                    '(' => (TokenKind.LeftParen, 1),
                    ')' => (TokenKind.RightParen, 1),
                    ',' => (TokenKind.Comma, 1),
                    '<' => (TokenKind.Less, 1),
                    '>' => (TokenKind.Greater, 1),
                    _ => throw new BandMathException(text, column, $"unexpected character '{c}'"),
                },
            };
            tokens.Add(new Token(kind, text.Substring(i, length), column));
            i += length;
        }
        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length + 1));
        return tokens;
    }
}
