namespace Tessera.Processing.BandMath;

/// <summary>
/// Recursive-descent parser. Precedence, lowest first: one comparison (not chained), + -, * /, unary minus,
/// ^ (right-associative, so -a^2 = -(a^2) and a^b^c = a^(b^c)).
/// </summary>
public sealed class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _position;

    private Parser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    public static SyntaxNode Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BandMathException(text, 1, "the expression is empty");
        }
        var parser = new Parser(text);
        var node = parser.Comparison();
        var end = parser.Peek;
        if (end.Kind != TokenKind.End)
        {
            throw parser.Error(end, end.Kind == TokenKind.RightParen ? "unmatched ')'" : $"unexpected '{end.Text}'");
        }
        return node;
    }

    private Token Peek => _tokens[_position];

    private Token Next() => _tokens[_position++];

    private SyntaxNode Comparison()
    {
        var left = Additive();
        var op = Peek.Kind switch
        {
            TokenKind.Less => BinaryOperator.Less,
            TokenKind.LessEqual => BinaryOperator.LessOrEqual,
            TokenKind.Greater => BinaryOperator.Greater,
            TokenKind.GreaterEqual => BinaryOperator.GreaterOrEqual,
            TokenKind.EqualEqual => BinaryOperator.Equal,
            TokenKind.NotEqual => BinaryOperator.NotEqual,
            _ => (BinaryOperator?)null,
        };
        if (op is null)
        {
            return left;
        }
        var token = Next();
        var right = Additive();
        if (Peek.Kind is TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual
            or TokenKind.EqualEqual or TokenKind.NotEqual)
        {
            throw Error(Peek, "comparisons cannot be chained; use where() or parentheses");
        }
        return new BinaryNode(op.Value, left, right, token.Column);
    }

    private SyntaxNode Additive()
    {
        var node = Multiplicative();
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var token = Next();
            var right = Multiplicative();
            node = new BinaryNode(token.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract, node, right, token.Column);
        }
        return node;
    }

    private SyntaxNode Multiplicative()
    {
        var node = Unary();
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var token = Next();
            var right = Unary();
            node = new BinaryNode(token.Kind == TokenKind.Star ? BinaryOperator.Multiply : BinaryOperator.Divide, node, right, token.Column);
        }
        return node;
    }

    private SyntaxNode Unary()
    {
        if (Peek.Kind == TokenKind.Minus)
        {
            var token = Next();
            return new NegateNode(Unary(), token.Column);
        }
        if (Peek.Kind == TokenKind.Plus)
        {
            Next();
            return Unary();
        }
        return Power();
    }

    private SyntaxNode Power()
    {
        var node = Primary();
        if (Peek.Kind == TokenKind.Caret)
        {
            var token = Next();
            var exponent = Unary();
            node = new BinaryNode(BinaryOperator.Power, node, exponent, token.Column);
        }
        return node;
    }

    private SyntaxNode Primary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new NumberNode(token.Value, token.Column);
            case TokenKind.Identifier when Peek.Kind == TokenKind.LeftParen:
                Next();
                var args = new List<SyntaxNode>();
                if (Peek.Kind != TokenKind.RightParen)
                {
                    args.Add(Comparison());
                    while (Peek.Kind == TokenKind.Comma)
                    {
                        Next();
                        args.Add(Comparison());
                    }
                }
                Expect(TokenKind.RightParen, $"expected ',' or ')' in the arguments of {token.Text}()");
                return new CallNode(token.Text, args, token.Column);
            case TokenKind.Identifier:
                return new BandNode(token.Text, token.Column);
            case TokenKind.LeftParen:
                var inner = Comparison();
                Expect(TokenKind.RightParen, "expected ')'");
                return inner;
            case TokenKind.End:
                throw Error(token, "the expression ends too early");
            default:
                throw Error(token, $"unexpected '{token.Text}'");
        }
    }

    private void Expect(TokenKind kind, string message)
    {
        if (Peek.Kind != kind)
        {
            throw Error(Peek, Peek.Kind == TokenKind.End ? message + " before the end" : message + $", found '{Peek.Text}'");
        }
        Next();
    }

    private BandMathException Error(Token at, string problem) => new(_text, at.Column, problem);
}
