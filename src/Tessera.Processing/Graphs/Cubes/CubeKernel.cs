using Tessera.Raster.Blocks;
using Tessera.Raster.Kernels;

namespace Tessera.Processing.Graphs.Cubes;

/// <summary>
/// Computes a cube's values block by block: output band i is <paramref name="outputs"/>[i] evaluated over the block's
/// inputs, each sub-expression once per block (shared ones too), element by element. One instance per worker thread.
/// </summary>
public sealed class CubeKernel(IReadOnlyList<PixelExpr> outputs) : IBlockKernel
{
    private readonly Dictionary<PixelExpr, float[]> _done = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<float[]> _free = new();
    private readonly List<float[]> _used = [];
    private float[] _gather = [];
    private int _capacity;

    public void Process(RasterBlock block)
    {
        _capacity = Math.Max(_capacity, block.InputCount > 0 ? block.InputArray(0).Length : block.PixelCount);
        foreach (var buffer in _used)
        {
            _free.Push(buffer);
        }
        _used.Clear();
        _done.Clear();
        var n = block.PixelCount;
        for (var i = 0; i < outputs.Count; i++)
        {
            Evaluate(outputs[i], block).AsSpan(0, n).CopyTo(block.Output(i));
        }
    }

    private float[] Rent()
    {
        var buffer = _free.Count > 0 && _free.Peek().Length >= _capacity ? _free.Pop() : new float[Math.Max(_capacity, 1)];
        _used.Add(buffer);
        return buffer;
    }

    private float[] Evaluate(PixelExpr expr, RasterBlock block)
    {
        if (expr is Leaf leaf)
        {
            return block.InputArray(leaf.Index);
        }
        if (_done.TryGetValue(expr, out var known))
        {
            return known;
        }
        var n = block.PixelCount;
        var result = Rent();
        switch (expr)
        {
            case Constant c:
                Array.Fill(result, (float)c.Value, 0, n);
                break;
            case Unary u:
                Unaries(u.Function, Evaluate(u.Argument, block), result, n);
                break;
            case Binary b:
                Binaries(b.Operator, Evaluate(b.Left, block), Evaluate(b.Right, block), result, n);
                break;
            case Conditional c:
                var condition = Evaluate(c.Condition, block);
                var then = Evaluate(c.Then, block);
                var otherwise = Evaluate(c.Else, block);
                for (var p = 0; p < n; p++)
                {
                    result[p] = condition[p] != 0 && !float.IsNaN(condition[p]) ? then[p] : otherwise[p];
                }
                break;
            case FirstValid f:
                var candidates = f.Values.Select(v => Evaluate(v, block)).ToArray();
                for (var p = 0; p < n; p++)
                {
                    var value = float.NaN;
                    foreach (var candidate in candidates)
                    {
                        if (!float.IsNaN(candidate[p]))
                        {
                            value = candidate[p];
                            break;
                        }
                    }
                    result[p] = value;
                }
                break;
            case Reduction r:
                Reduce(r.Statistic, r.Values.Select(v => Evaluate(v, block)).ToArray(), result, n);
                break;
            default:
                throw new InvalidOperationException($"no evaluation for {expr.GetType().Name}");
        }
        _done[expr] = result;
        return result;
    }

    private static void Unaries(string function, float[] x, float[] result, int n)
    {
        Func<float, float> f = function switch
        {
            "absolute" => MathF.Abs,
            "sqrt" => MathF.Sqrt,
            "exp" => MathF.Exp,
            "ln" => MathF.Log,
            "int" => v => MathF.Truncate(v),
            "not" => v => float.IsNaN(v) ? float.NaN : v == 0 ? 1 : 0,
            "is_nodata" => v => float.IsNaN(v) ? 1 : 0,
            "is_nan" => v => float.IsNaN(v) ? 1 : 0,
            "negate" => v => -v,
            _ => throw new InvalidOperationException($"no function '{function}'"),
        };
        for (var p = 0; p < n; p++)
        {
            result[p] = f(x[p]);
        }
    }

    private static void Binaries(string op, float[] a, float[] b, float[] result, int n)
    {
        ReadOnlySpan<float> x = a.AsSpan(0, n), y = b.AsSpan(0, n);
        var into = result.AsSpan(0, n);
        switch (op)
        {
            case "add":
                LaneLoop.Apply(new ArithmeticSteps.Add(), x, y, into);
                return;
            case "subtract":
                LaneLoop.Apply(new ArithmeticSteps.Subtract(), x, y, into);
                return;
            case "multiply":
                LaneLoop.Apply(new ArithmeticSteps.Multiply(), x, y, into);
                return;
            case "divide":
                // openEO: division by zero gives no value (the processes say NaN or ±∞ are not results).
                LaneLoop.Apply(new CubeSteps.Divide(), x, y, into);
                return;
        }
        Func<float, float, float> f = op switch
        {
            "power" => MathF.Pow,
            "log" => (x, y) => MathF.Log(x) / MathF.Log(y),
            "min" => (x, y) => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : MathF.Min(x, y),
            "max" => (x, y) => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : MathF.Max(x, y),
            "eq" => (x, y) => Logic(x, y, x == y),
            "neq" => (x, y) => Logic(x, y, x != y),
            "gt" => (x, y) => Logic(x, y, x > y),
            "gte" => (x, y) => Logic(x, y, x >= y),
            "lt" => (x, y) => Logic(x, y, x < y),
            "lte" => (x, y) => Logic(x, y, x <= y),
            "and" => (x, y) => Logic(x, y, x != 0 && y != 0),
            "or" => (x, y) => Logic(x, y, x != 0 || y != 0),
            _ => throw new InvalidOperationException($"no operator '{op}'"),
        };
        for (var p = 0; p < n; p++)
        {
            result[p] = f(a[p], b[p]);
        }
    }

    private static float Logic(float x, float y, bool value) => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : value ? 1 : 0;

    private void Reduce(string statistic, float[][] values, float[] result, int n)
    {
        if (Running(statistic, values, result, n))
        {
            return;
        }
        if (_gather.Length < values.Length)
        {
            _gather = new float[values.Length];
        }
        for (var p = 0; p < n; p++)
        {
            var k = 0;
            foreach (var v in values)
            {
                if (!float.IsNaN(v[p]))
                {
                    _gather[k++] = v[p];
                }
            }
            result[p] = Statistic(statistic, _gather.AsSpan(0, k));
        }
    }

    private bool Running(string statistic, float[][] values, float[] result, int n) =>
        TryRunning(statistic, values, result.AsSpan(0, n), statistic == "mean" ? Rent().AsSpan(0, n) : default);

    /// <summary>
    /// The statistics that run over the values one array at a time, as vectors (the others, median and sd, gather each
    /// pixel's values); false for those. A mean needs <paramref name="scratch"/> as long as <paramref name="into"/>.
    /// </summary>
    public static bool TryRunning(string statistic, float[][] values, Span<float> into, Span<float> scratch)
    {
        switch (statistic)
        {
            case "min": Accumulate(new CubeSteps.Min(), values, into, float.NaN); return true;
            case "max": Accumulate(new CubeSteps.Max(), values, into, float.NaN); return true;
            case "sum": Accumulate(new CubeSteps.Sum(), values, into, float.NaN); return true;
            case "first": Accumulate(new CubeSteps.First(), values, into, float.NaN); return true;
            case "last": Accumulate(new CubeSteps.Last(), values, into, float.NaN); return true;
            case "count": Accumulate(new CubeSteps.Count(), values, into, 0); return true;
            case "mean":
                Accumulate(new CubeSteps.Sum(), values, into, float.NaN);
                Accumulate(new CubeSteps.Count(), values, scratch, 0);
                LaneLoop.Apply(new CubeSteps.Mean(), into, scratch, into);
                return true;
            default:
                return false;
        }
    }

    private static void Accumulate<T>(T step, float[][] values, Span<float> into, float start) where T : struct, ILaneStep2
    {
        into.Fill(start);
        foreach (var v in values)
        {
            LaneLoop.Apply(step, into, v.AsSpan(0, into.Length), into);
        }
    }

    /// <summary>A statistic of the valid values at a pixel (none: nodata, but a count of 0).</summary>
    public static float Statistic(string statistic, Span<float> values)
    {
        var k = values.Length;
        if (statistic == "count")
        {
            return k;
        }
        if (k == 0)
        {
            return float.NaN;
        }
        switch (statistic)
        {
            case "first":
                return values[0];
            case "last":
                return values[k - 1];
            case "min":
                var min = values[0];
                foreach (var v in values) { min = MathF.Min(min, v); }
                return min;
            case "max":
                var max = values[0];
                foreach (var v in values) { max = MathF.Max(max, v); }
                return max;
            case "sum":
            case "mean":
            case "sd":
                double sum = 0;
                foreach (var v in values) { sum += v; }
                if (statistic == "sum")
                {
                    return (float)sum;
                }
                var mean = sum / k;
                if (statistic == "mean")
                {
                    return (float)mean;
                }
                if (k < 2)
                {
                    return float.NaN;
                }
                double squares = 0;
                foreach (var v in values) { squares += (v - mean) * (v - mean); }
                return (float)Math.Sqrt(squares / (k - 1)); // the sample standard deviation, as openEO's sd
            case "median":
                values.Sort();
                return k % 2 == 1 ? values[k / 2] : (values[k / 2 - 1] + values[k / 2]) / 2;
            default:
                throw new InvalidOperationException($"no statistic '{statistic}'");
        }
    }
}
