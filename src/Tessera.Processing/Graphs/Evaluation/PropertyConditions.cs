using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// <c>load_collection</c>'s <c>properties</c>: per property a callback of <c>value</c> that says which scenes to keep,
/// read as conditions the catalog answers (<c>eq neq lt lte gt gte</c> of the value and a number, <c>between</c>, and
/// <c>and</c> of those). Any other callback is refused naming the property.
/// </summary>
public static class PropertyConditions
{
    private static readonly string[] Comparisons = ["eq", "neq", "lt", "lte", "gt", "gte"];

    public static IReadOnlyList<PropertyCondition> Read(IReadOnlyDictionary<string, ProcessGraph> properties, string node)
    {
        var conditions = new List<PropertyCondition>();
        foreach (var (property, graph) in properties)
        {
            Add(graph, graph.ResultNode, property, conditions, node);
        }
        return conditions;
    }

    private static void Add(ProcessGraph graph, string id, string property, List<PropertyCondition> conditions, string node)
    {
        var step = graph.Nodes[id];
        GraphException Unsupported() => new("ProcessArgumentInvalid",
            $"'{step.ProcessId}' of the value is not a condition the catalog answers (eq, neq, lt, lte, gt, gte with a number, between, and)", node, $"properties.{property}");
        double Number(string name) => step.Arguments.GetValueOrDefault(name) is LiteralArgument { Value: JsonValue v } && v.TryGetValue<double>(out var d) ? d
            : throw Unsupported();
        bool IsValue(string name) => step.Arguments.GetValueOrDefault(name) is ParameterArgument { Name: "value" };
        switch (step.ProcessId)
        {
            case var c when Comparisons.Contains(c) && IsValue("x"):
                conditions.Add(new PropertyCondition(property, c, Number("y")));
                return;
            case var c when Comparisons.Contains(c) && IsValue("y"):
                // "30 > value" is "value < 30".
                var flipped = c switch { "lt" => "gt", "lte" => "gte", "gt" => "lt", "gte" => "lte", _ => c };
                conditions.Add(new PropertyCondition(property, flipped, Number("x")));
                return;
            case "between" when IsValue("x"):
                conditions.Add(new PropertyCondition(property, "gte", Number("min")));
                var excludeMax = step.Arguments.GetValueOrDefault("exclude_max") is LiteralArgument { Value: JsonValue e } && e.GetValueKind() == JsonValueKind.True;
                conditions.Add(new PropertyCondition(property, excludeMax ? "lt" : "lte", Number("max")));
                return;
            case "and" when step.Arguments.GetValueOrDefault("x") is NodeArgument x && step.Arguments.GetValueOrDefault("y") is NodeArgument y:
                Add(graph, x.Node, property, conditions, node);
                Add(graph, y.Node, property, conditions, node);
                return;
            default:
                throw Unsupported();
        }
    }
}
