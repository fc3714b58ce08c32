namespace Tessera.Processing.Graphs.Cubes;

/// <summary>Rewriting expressions over other inputs.</summary>
public static class PixelExprs
{
    /// <summary>The expression with every leaf's input index mapped, what was shared staying shared (it is computed once per block).</summary>
    public static PixelExpr MapLeaves(PixelExpr expr, Func<int, int> index, Dictionary<PixelExpr, PixelExpr> done)
    {
        if (done.TryGetValue(expr, out var known))
        {
            return known;
        }
        PixelExpr M(PixelExpr e) => MapLeaves(e, index, done);
        PixelExpr result = expr switch
        {
            Leaf l => new Leaf(index(l.Index)),
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
}
