namespace Tessera.Processing.BandMath;

/// <summary>
/// Recursive-descent parser. Precedence, lowest first: one comparison (not chained), + -, * /, unary minus,
/// ^ (right-associative, so -a^2 = -(a^2) and a^b^c = a^(b^c)). Refuses expressions longer or deeper than
/// <see cref="BandMathLimits"/> allows, so every tree it returns is safe to walk recursively.
/// </summary>
public sealed class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _position;

    // Parentheses, calls, unary minuses and exponents being parsed around the current token. The parser
    // recurses only through these, so checking this count before each step bounds its own stack.
    private int _open;

    private Parser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    // A parsed sub-expression and its depth as BandMathLimits.MaxDepth counts it. Operators in a row are
    // parsed in a loop, not by recursion, yet nest in the tree: only this bottom-up depth sees them.
    private readonly record struct Parsed(SyntaxNode Node, int Depth);

    public static SyntaxNode Parse(string text)
    {
        if (text is { Length: > BandMathLimits.MaxLength })
        {
            throw new BandMathException(text, BandMathLimits.MaxLength + 1,
                $"the expression is {text.Length} characters long; at most {BandMathLimits.MaxLength} are allowed");
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BandMathException(text, 1, "the expression is empty");
        }
        var parser = new Parser(text);
        var node = parser.Comparison().Node;
        var end = parser.Peek;
        if (end.Kind != TokenKind.End)
        {
            throw parser.Error(end, end.Kind == TokenKind.RightParen ? "unmatched ')'" : $"unexpected '{end.Text}'");
        }
        return node;
    }

    private Token Peek => _tokens[_position];

    private Token Next() => _tokens[_position++];

    private Parsed Comparison()
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
        return Binary(op.Value, left, right, token);
    }

    private Parsed Additive()
    {
        var node = Multiplicative();
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var token = Next();
            var right = Multiplicative();
            node = Binary(token.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract, node, right, token);
        }
        return node;
    }

    private Parsed Multiplicative()
    {
        var node = Unary();
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var token = Next();
            var right = Unary();
            node = Binary(token.Kind == TokenKind.Star ? BinaryOperator.Multiply : BinaryOperator.Divide, node, right, token);
        }
        return node;
    }

    private Parsed Unary()
    {
        // Unary plus changes nothing and adds no node, so it is skipped in a loop rather than by recursion.
        while (Peek.Kind == TokenKind.Plus)
        {
            Next();
        }
        if (Peek.Kind == TokenKind.Minus)
        {
            var token = Next();
            Enter(token);
            var operand = Unary();
            Leave();
            return Checked(new NegateNode(operand.Node, token.Column), operand.Depth + 1, token);
        }
        return Power();
    }

    private Parsed Power()
    {
        var node = Primary();
        if (Peek.Kind == TokenKind.Caret)
        {
            var token = Next();
            Enter(token);
            var exponent = Unary();
            Leave();
            node = Binary(BinaryOperator.Power, node, exponent, token);
        }
        return node;
    }

    private Parsed Primary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new Parsed(new NumberNode(token.Value, token.Column), 0);
            case TokenKind.Identifier when Peek.Kind == TokenKind.LeftParen:
                Next();
                Enter(token);
                var call = Call(token);
                Leave();
                return call;
            case TokenKind.Identifier:
                return new Parsed(new BandNode(token.Text, token.Column), 0);
            case TokenKind.LeftParen:
                Enter(token);
                var inner = Comparison();
                Leave();
                Expect(TokenKind.RightParen, "expected ')'");
                return Checked(inner.Node, inner.Depth + 1, token);
            case TokenKind.End:
                throw Error(token, "the expression ends too early");
            default:
                throw Error(token, $"unexpected '{token.Text}'");
        }
    }

    // The arguments and closing parenthesis of a call whose name and '(' are already read.
    private Parsed Call(Token function)
    {
        var args = new List<SyntaxNode>();
        var depth = 0;
        if (Peek.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                var arg = Comparison();
                args.Add(arg.Node);
                depth = Math.Max(depth, arg.Depth);
                if (Peek.Kind != TokenKind.Comma)
                {
                    break;
                }
                Next();
            }
        }
        Expect(TokenKind.RightParen, $"expected ',' or ')' in the arguments of {function.Text}()");
        return Checked(new CallNode(function.Text, args, function.Column), depth + 1, function);
    }

    private Parsed Binary(BinaryOperator op, Parsed left, Parsed right, Token token) =>
        Checked(new BinaryNode(op, left.Node, right.Node, token.Column), Math.Max(left.Depth, right.Depth) + 1, token);

    // Called before each recursive step. Every level counted here becomes a level of the finished tree, so
    // this refuses nothing that Checked would accept; it only refuses it before the recursion, not after.
    private void Enter(Token at)
    {
        if (++_open > BandMathLimits.MaxDepth)
        {
            throw TooDeep(at);
        }
    }

    private void Leave() => _open--;

    private Parsed Checked(SyntaxNode node, int depth, Token at) =>
        depth > BandMathLimits.MaxDepth ? throw TooDeep(at) : new Parsed(node, depth);

    private BandMathException TooDeep(Token at) =>
        Error(at, $"the expression nests more than {BandMathLimits.MaxDepth} levels deep; at most {BandMathLimits.MaxDepth} are allowed");

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
