namespace Tessera.Processing.Graphs.Cubes;

/// <summary>Rewriting expressions over other inputs.</summary>
public static class PixelExprs
{
    /// <summary>The expression with every leaf's input index mapped, what was shared staying shared (it is computed once per block).</summary>
    public static PixelExpr MapLeaves(PixelExpr expr, Func<int, int> index, Dictionary<PixelExpr, PixelExpr> done) =>
        ReplaceLeaves(expr, l => new Leaf(index(l.Index)), done);

    /// <summary>The expression with every leaf replaced by what <paramref name="replace"/> makes of it, what was shared staying shared.</summary>
    public static PixelExpr ReplaceLeaves(PixelExpr expr, Func<Leaf, PixelExpr> replace, Dictionary<PixelExpr, PixelExpr> done)
    {
        if (done.TryGetValue(expr, out var known))
        {
            return known;
        }
        PixelExpr M(PixelExpr e) => ReplaceLeaves(e, replace, done);
        PixelExpr result = expr switch
        {
            Leaf l => replace(l),
            Unary u => u with { Argument = M(u.Argument) },
            Binary b => b with { Left = M(b.Left), Right = M(b.Right) },
            Conditional c => new Conditional(M(c.Condition), M(c.Then), M(c.Else)),
            Reduction r => r with { Values = r.Values.Select(M).ToList() },
            FirstValid f => new FirstValid(f.Values.Select(M).ToList()),
            _ => expr,
        };
        done[expr] = result;
        return result;
    }

    /// <summary>Adds the input index of every leaf of the expression to <paramref name="found"/>.</summary>
    public static void Leaves(PixelExpr expr, ISet<int> found)
    {
        switch (expr)
        {
            case Leaf l: found.Add(l.Index); break;
            case Unary u: Leaves(u.Argument, found); break;
            case Binary b: Leaves(b.Left, found); Leaves(b.Right, found); break;
            case Conditional c: Leaves(c.Condition, found); Leaves(c.Then, found); Leaves(c.Else, found); break;
            case Reduction r: foreach (var v in r.Values) { Leaves(v, found); } break;
            case FirstValid f: foreach (var v in f.Values) { Leaves(v, found); } break;
        }
    }
}
