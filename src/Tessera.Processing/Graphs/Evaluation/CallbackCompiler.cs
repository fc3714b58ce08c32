using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// A callback (a reducer, an <c>apply</c> process) turned into pixel expressions: its parameters are bound to the values
/// its process passes (<c>data</c>: the values along a dimension, with their labels; <c>x</c>: one value), and its
/// nodes become expressions over them, so the whole chain is computed in the cube's one pass.
/// </summary>
public static class CallbackCompiler
{
    /// <summary>The values along a dimension at a pixel, with their labels (band names, times).</summary>
    public sealed record ValueArray(IReadOnlyList<PixelExpr> Values, IReadOnlyList<string> Labels, IReadOnlyDictionary<string, string>? CommonNames = null);

    private static readonly string[] Reducers = ["min", "max", "mean", "median", "first", "last", "sum", "count", "sd"];

    private static readonly Dictionary<string, string> UnaryProcesses = new(StringComparer.Ordinal)
    {
        ["absolute"] = "absolute", ["sqrt"] = "sqrt", ["exp"] = "exp", ["ln"] = "ln", ["int"] = "int", ["not"] = "not",
        ["is_nodata"] = "is_nodata", ["is_nan"] = "is_nan",
    };

    private static readonly string[] BinaryProcesses = ["add", "subtract", "multiply", "divide", "power", "eq", "neq", "gt", "gte", "lt", "lte", "and", "or"];

    /// <summary>The processes a pixel callback may call.</summary>
    public static readonly IReadOnlySet<string> Processes = new HashSet<string>(
        [.. Reducers, "array_element", .. UnaryProcesses.Keys, .. BinaryProcesses, "log", "normalized_difference", "clip", "linear_scale_range", "if"],
        StringComparer.Ordinal);

    /// <summary>The callback's result as one expression; <paramref name="bindings"/> gives its parameters' values.</summary>
    public static PixelExpr Compile(ProcessGraph callback, IReadOnlyDictionary<string, object> bindings, string caller)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        return Value(Evaluate(callback, callback.ResultNode, bindings, values), caller, callback.ResultNode);
    }

    private static object Evaluate(ProcessGraph graph, string id, IReadOnlyDictionary<string, object> bindings, Dictionary<string, object> values)
    {
        if (values.TryGetValue(id, out var known))
        {
            return known;
        }
        var node = graph.Nodes[id];
        object Arg(string name) => node.Arguments.TryGetValue(name, out var a) ? Resolve(a, name) : throw Missing(name);
        object? Optional(string name) => node.Arguments.TryGetValue(name, out var a) ? Resolve(a, name) : null;
        GraphException Missing(string name) => new("ProcessArgumentRequired", $"'{node.ProcessId}' needs it", id, name);

        object Resolve(Argument argument, string path) => argument switch
        {
            NodeArgument n => Evaluate(graph, n.Node, bindings, values),
            ParameterArgument p => bindings.TryGetValue(p.Name, out var bound) ? bound
                : throw new GraphException("ProcessParameterMissing", $"from_parameter '{p.Name}': not a parameter of this callback", id, path),
            LiteralArgument l => l.Value?.DeepClone() ?? (object)new Constant(double.NaN),
            ArrayArgument a => new ValueArray(a.Items.Select((item, i) => Value(Resolve(item, $"{path}[{i}]"), id, $"{path}[{i}]")).ToList(),
                a.Items.Select((_, i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList()),
            _ => throw new GraphException("ProcessArgumentInvalid", "not a value a pixel callback takes", id, path),
        };

        PixelExpr Scalar(string name) => Value(Arg(name), id, name);

        object result;
        var process = node.ProcessId;
        if (Reducers.Contains(process))
        {
            if (Optional("ignore_nodata") is JsonValue ignore && ignore.GetValueKind() == JsonValueKind.False)
            {
                throw new GraphException("ProcessArgumentInvalid", "only true (values that are no data are left out) is supported", id, "ignore_nodata");
            }
            var data = Arg("data") as ValueArray ?? throw new GraphException("ProcessArgumentInvalid", "give an array (the callback's data)", id, "data");
            result = new Reduction(process, data.Values);
        }
        else if (process == "array_element")
        {
            var data = Arg("data") as ValueArray ?? throw new GraphException("ProcessArgumentInvalid", "give an array (the callback's data)", id, "data");
            result = Element(data, Optional("index"), Optional("label"), id);
        }
        else if (UnaryProcesses.TryGetValue(process, out var function))
        {
            result = new Unary(function, Scalar("x"));
        }
        else if (BinaryProcesses.Contains(process))
        {
            result = new Binary(process, Scalar("x"), Scalar("y"));
        }
        else if (process == "log")
        {
            result = new Binary("log", Scalar("x"), Scalar("base"));
        }
        else if (process == "normalized_difference")
        {
            var (x, y) = (Scalar("x"), Scalar("y"));
            result = new Binary("divide", new Binary("subtract", x, y), new Binary("add", x, y));
        }
        else if (process == "clip")
        {
            result = new Binary("min", new Binary("max", Scalar("x"), Scalar("min")), Scalar("max"));
        }
        else if (process == "linear_scale_range")
        {
            var x = Scalar("x");
            var (inMin, inMax) = (Scalar("inputMin"), Scalar("inputMax"));
            var outMin = node.Arguments.ContainsKey("outputMin") ? Scalar("outputMin") : new Constant(0);
            var outMax = node.Arguments.ContainsKey("outputMax") ? Scalar("outputMax") : new Constant(1);
            result = new Binary("add", new Binary("multiply", new Binary("divide", new Binary("subtract", x, inMin), new Binary("subtract", inMax, inMin)),
                new Binary("subtract", outMax, outMin)), outMin);
        }
        else if (process == "if")
        {
            result = new Conditional(Scalar("value"), Scalar("accept"), node.Arguments.ContainsKey("reject") ? Scalar("reject") : new Constant(double.NaN));
        }
        else
        {
            throw new GraphException("ProcessUnsupported", $"'{process}' cannot run inside a pixel callback here", id);
        }
        values[id] = result;
        return result;
    }

    private static PixelExpr Element(ValueArray data, object? index, object? label, string node)
    {
        if (index is JsonValue i && i.TryGetValue<double>(out var position))
        {
            var k = (int)position;
            return k >= 0 && k < data.Values.Count && k == position ? data.Values[k]
                : throw new GraphException("ArrayElementNotAvailable", $"index {position}: the array has {data.Values.Count} elements", node, "index");
        }
        if (label is JsonValue l && l.TryGetValue<string>(out var name))
        {
            for (var k = 0; k < data.Labels.Count; k++)
            {
                if (data.Labels[k] == name || (data.CommonNames?.TryGetValue(data.Labels[k], out var common) == true && common == name))
                {
                    return data.Values[k];
                }
            }
            throw new GraphException("ArrayElementNotAvailable", $"label '{name}': the labels are {string.Join(", ", data.Labels)}", node, "label");
        }
        throw new GraphException("ArrayElementParameterMissing", "give index or label", node);
    }

    private static PixelExpr Value(object value, string node, string path) => value switch
    {
        PixelExpr e => e,
        JsonValue v when v.TryGetValue<double>(out var d) => new Constant(d),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => new Constant(v.GetValue<bool>() ? 1 : 0),
        ValueArray => throw new GraphException("ProcessArgumentInvalid", "an array where one value per pixel is needed (reduce it, or take array_element)", node, path),
        _ => throw new GraphException("ProcessArgumentInvalid", "not a number", node, path),
    };
}
