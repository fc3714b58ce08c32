namespace Tessera.Processing.BandMath;

/// <summary>
/// Checks a syntax tree (every band known, every function known and called with the right number of
/// arguments) and lowers it to instructions, folding constant sub-expressions and turning x^2 into x*x.
/// </summary>
internal sealed class BandMathCompiler
{
    private readonly string _expression;
    private readonly IReadOnlyList<string> _bands;
    private readonly IReadOnlyDictionary<string, double> _named;
    private readonly List<float> _constants = [];
    private readonly List<Instruction> _instructions = [];
    private readonly SortedSet<int> _referenced = [];
    private int _temporaries;

    private BandMathCompiler(string expression, IReadOnlyList<string> bands, IReadOnlyDictionary<string, double>? named)
    {
        _expression = expression;
        _bands = bands;
        _named = named ?? new Dictionary<string, double>();
    }

    public static BandMathProgram Compile(string expression, IReadOnlyList<string> bands, IReadOnlyDictionary<string, double>? named = null)
    {
        var duplicate = bands.GroupBy(b => b, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"band '{duplicate.Key}' is named twice");
        }
        var compiler = new BandMathCompiler(expression, bands, named);
        var root = Parser.Parse(expression);
        var result = compiler.Emit(root);
        // Temporaries come after constants; their numbers are final only now.
        var firstTemp = bands.Count + compiler._constants.Count;
        var instructions = compiler._instructions.Select(i => i with
        {
            Destination = compiler.Resolve(i.Destination, firstTemp),
            A = compiler.Resolve(i.A, firstTemp),
            B = compiler.Resolve(i.B, firstTemp),
            C = compiler.Resolve(i.C, firstTemp),
        }).ToList();
        return new BandMathProgram(expression, bands, compiler._constants, compiler._temporaries, instructions,
            compiler.Resolve(result.Slot(compiler), firstTemp), compiler._referenced.ToList());
    }

    // Before the final layout, operands are encoded: inputs >= 0 as themselves, constants as -(1 + k) - 1_000_000,
    // temporaries as -(1 + t). -1 stays "no operand" in the instruction, so temporaries start at -2.
    private const int ConstantBase = -1_000_000;

    private int Resolve(int encoded, int firstTemp) =>
        encoded == -1 ? -1
        : encoded >= 0 ? encoded
        : encoded <= ConstantBase ? _bands.Count + (ConstantBase - encoded)
        : firstTemp + (-encoded - 2);

    private readonly record struct Operand(int Encoded, float? Constant)
    {
        public int Slot(BandMathCompiler c) => Constant is { } v ? c.ConstantSlot(v) : Encoded;
    }

    private int ConstantSlot(float value)
    {
        var index = _constants.FindIndex(c => c.Equals(value));
        if (index < 0)
        {
            _constants.Add(value);
            index = _constants.Count - 1;
        }
        return ConstantBase - index;
    }

    // Recurses once per level of the tree: safe because the parser refuses trees deeper than BandMathLimits.MaxDepth
    // and nothing here builds a deeper one (x^2 and clamp become single instructions, not nodes).
    private Operand Emit(SyntaxNode node) => node switch
    {
        NumberNode n => new Operand(0, (float)n.Value),
        BandNode b => Band(b),
        NegateNode n => Op(OpCode.Negate, Emit(n.Operand)),
        BinaryNode b => Binary(b),
        CallNode c => Call(c),
        _ => throw new InvalidOperationException($"unknown node {node.GetType().Name}"),
    };

    private Operand Band(BandNode b)
    {
        for (var i = 0; i < _bands.Count; i++)
        {
            if (_bands[i] == b.Name)
            {
                _referenced.Add(i);
                return new Operand(i, null);
            }
        }
        if (_named.TryGetValue(b.Name, out var value))
        {
            return new Operand(0, (float)value);
        }
        var known = _bands.Count == 0 ? "no bands are given" : "bands are: " + string.Join(", ", _bands);
        var hint = Functions.All.ContainsKey(b.Name) ? $" ({b.Name} is a function: call it as {Functions.All[b.Name].Usage})" : string.Empty;
        throw new BandMathException(_expression, b.Column, $"unknown band '{b.Name}'{hint}; {known}");
    }

    private Operand Binary(BinaryNode b)
    {
        var left = Emit(b.Left);
        var right = Emit(b.Right);
        if (b.Operator == BinaryOperator.Power && right.Constant == 2f)
        {
            return Op(OpCode.Square, left);
        }
        var op = b.Operator switch
        {
            BinaryOperator.Add => OpCode.Add,
            BinaryOperator.Subtract => OpCode.Subtract,
            BinaryOperator.Multiply => OpCode.Multiply,
            BinaryOperator.Divide => OpCode.Divide,
            BinaryOperator.Power => OpCode.Power,
            BinaryOperator.Less => OpCode.Less,
            BinaryOperator.LessOrEqual => OpCode.LessOrEqual,
            BinaryOperator.Greater => OpCode.Greater,
            BinaryOperator.GreaterOrEqual => OpCode.GreaterOrEqual,
            BinaryOperator.Equal => OpCode.Equal,
            BinaryOperator.NotEqual => OpCode.NotEqual,
            _ => throw new InvalidOperationException(),
        };
        return Op(op, left, right);
    }

    private Operand Call(CallNode call)
    {
        if (!Functions.All.TryGetValue(call.Function, out var signature))
        {
            throw new BandMathException(_expression, call.Column,
                $"unknown function '{call.Function}'; functions are: {string.Join(", ", Functions.All.Keys)}");
        }
        var n = call.Arguments.Count;
        if (n < signature.MinArgs || n > signature.MaxArgs)
        {
            var expected = signature.MinArgs == signature.MaxArgs
                ? $"{signature.MinArgs} argument{(signature.MinArgs == 1 ? "" : "s")}"
                : $"at least {signature.MinArgs} arguments";
            throw new BandMathException(_expression, call.Column,
                $"{call.Function}() takes {expected}, got {n}: {signature.Usage}");
        }
        var args = call.Arguments.Select(Emit).ToList();
        return call.Function switch
        {
            "abs" => Op(OpCode.Abs, args[0]),
            "sqrt" => Op(OpCode.Sqrt, args[0]),
            "exp" => Op(OpCode.Exp, args[0]),
            "log" => Op(OpCode.Log, args[0]),
            "min" => args.Skip(1).Aggregate(args[0], (acc, a) => Op(OpCode.Min, acc, a)),
            "max" => args.Skip(1).Aggregate(args[0], (acc, a) => Op(OpCode.Max, acc, a)),
            "clamp" => Op(OpCode.Clamp, args[0], args[1], args[2]),
            "where" => Op(OpCode.Where, args[0], args[1], args[2]),
            _ => throw new InvalidOperationException(),
        };
    }

    private Operand Op(OpCode op, Operand a, Operand? b = null, Operand? c = null)
    {
        if (a.Constant is { } ca && (b is null || b.Value.Constant.HasValue) && (c is null || c.Value.Constant.HasValue))
        {
            return new Operand(0, Operations.Scalar(op, ca, b?.Constant ?? 0, c?.Constant ?? 0));
        }
        var destination = -(2 + _temporaries++);
        _instructions.Add(new Instruction(op, destination, a.Slot(this), b?.Slot(this) ?? -1, c?.Slot(this) ?? -1));
        return new Operand(destination, null);
    }
}
