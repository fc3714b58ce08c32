using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessera.Processing.Graphs;

/// <summary>
/// Reads an openEO process graph (the API's JSON) into its immutable form, refusing before anything runs what cannot be
/// one: no nodes, a node that is not <c>{process_id, arguments, namespace?, result?, description?}</c>, not exactly one
/// result node, a reference to a node that does not exist, cycles, and graphs beyond the size and callback depth limits.
/// Each refusal names the node and the argument path.
/// </summary>
public static partial class GraphParser
{
    /// <summary>Most nodes a graph may have, callbacks included.</summary>
    public const int MaxNodes = 1000;

    /// <summary>Deepest nesting of callbacks.</summary>
    public const int MaxDepth = 16;

    private static readonly string[] NodeKeys = ["process_id", "namespace", "arguments", "result", "description"];

    [GeneratedRegex(@"^\w+$")]
    private static partial Regex ProcessIdPattern();

    /// <summary>A process (<c>{"process_graph": {...}, ...}</c>, as <c>POST /result</c> and jobs carry it).</summary>
    public static ProcessGraph ParseProcess(JsonNode? process)
    {
        if (process is not JsonObject body || body["process_graph"] is not JsonObject nodes)
        {
            throw new GraphException("ProcessGraphMissing", "give the process as {\"process_graph\": {...}}");
        }
        return Parse(nodes);
    }

    /// <summary>The nodes of a graph (the value of <c>process_graph</c>).</summary>
    public static ProcessGraph Parse(JsonObject nodes)
    {
        var count = 0;
        return Parse(nodes, 0, ref count);
    }

    private static ProcessGraph Parse(JsonObject nodes, int depth, ref int count)
    {
        if (nodes.Count == 0)
        {
            throw new GraphException("ProcessGraphMissing", "the process graph has no nodes");
        }
        if (depth > MaxDepth)
        {
            throw new GraphException("ProcessGraphComplexity", $"callbacks are nested more than {MaxDepth} deep");
        }
        var parsed = new Dictionary<string, ProcessNode>(StringComparer.Ordinal);
        string? result = null;
        foreach (var (id, value) in nodes)
        {
            if (++count > MaxNodes)
            {
                throw new GraphException("ProcessGraphComplexity", $"the process graph has more than {MaxNodes} nodes");
            }
            if (value is not JsonObject node)
            {
                throw new GraphException("ProcessGraphInvalid", "a node is an object {\"process_id\", \"arguments\"}", id);
            }
            foreach (var (key, _) in node)
            {
                if (!NodeKeys.Contains(key))
                {
                    throw new GraphException("ProcessGraphInvalid", $"'{key}' is not a field of a node (known: {string.Join(", ", NodeKeys)})", id);
                }
            }
            var processId = node["process_id"] is JsonValue p && p.GetValueKind() == JsonValueKind.String ? p.GetValue<string>() : null;
            if (processId is null || !ProcessIdPattern().IsMatch(processId))
            {
                throw new GraphException("ProcessGraphInvalid", "process_id: give the id of a process (letters, digits and _)", id);
            }
            var ns = node["namespace"] switch
            {
                null => null,
                JsonValue n when n.GetValueKind() == JsonValueKind.String => n.GetValue<string>(),
                _ => throw new GraphException("ProcessGraphInvalid", "namespace: a string or null", id),
            };
            if (node["arguments"] is not JsonObject arguments)
            {
                throw new GraphException("ProcessGraphInvalid", "arguments: give an object (empty when the process takes none)", id);
            }
            if (node["result"] is { } flag && (flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)))
            {
                throw new GraphException("ProcessGraphInvalid", "result: true or false", id);
            }
            if (node["result"]?.GetValue<bool>() == true)
            {
                if (result is not null)
                {
                    throw new GraphException("ProcessGraphInvalid", $"both '{result}' and '{id}' say they are the result; one node is");
                }
                result = id;
            }
            var args = new Dictionary<string, Argument>(StringComparer.Ordinal);
            foreach (var (name, argument) in arguments)
            {
                args[name] = ParseArgument(argument, id, name, depth, ref count);
            }
            parsed[id] = new ProcessNode(id, processId, ns, args);
        }
        if (result is null)
        {
            throw new GraphException("ProcessGraphInvalid", "no node says it is the result (\"result\": true)");
        }
        foreach (var node in parsed.Values)
        {
            foreach (var (name, argument) in node.Arguments)
            {
                foreach (var target in References(argument))
                {
                    if (!parsed.ContainsKey(target))
                    {
                        throw new GraphException("ProcessGraphInvalid", $"from_node '{target}' is not a node of this graph", node.Id, name);
                    }
                }
            }
        }
        CheckAcyclic(parsed);
        return new ProcessGraph(parsed, result);
    }

    private static Argument ParseArgument(JsonNode? value, string node, string path, int depth, ref int count)
    {
        switch (value)
        {
            case JsonObject o when o.ContainsKey("from_node"):
                return o.Count == 1 && o["from_node"] is JsonValue n && n.GetValueKind() == JsonValueKind.String
                    ? new NodeArgument(n.GetValue<string>())
                    : throw new GraphException("ProcessGraphInvalid", "from_node: an object with only the id of a node", node, path);
            case JsonObject o when o.ContainsKey("from_parameter"):
                return o.Count == 1 && o["from_parameter"] is JsonValue f && f.GetValueKind() == JsonValueKind.String
                    ? new ParameterArgument(f.GetValue<string>())
                    : throw new GraphException("ProcessGraphInvalid", "from_parameter: an object with only the name of a parameter", node, path);
            case JsonObject o when o.ContainsKey("process_graph"):
                if (o["process_graph"] is not JsonObject child)
                {
                    throw new GraphException("ProcessGraphInvalid", "process_graph: give the callback's nodes as an object", node, path);
                }
                try
                {
                    return new CallbackArgument(Parse(child, depth + 1, ref count));
                }
                catch (GraphException e)
                {
                    throw new GraphException(e.Code, $"in its callback: {e.Message}", node, path);
                }
            case JsonObject o:
                var properties = new Dictionary<string, Argument>(StringComparer.Ordinal);
                foreach (var (key, item) in o)
                {
                    properties[key] = ParseArgument(item, node, $"{path}.{key}", depth, ref count);
                }
                return new ObjectArgument(properties);
            case JsonArray a:
                var items = new List<Argument>(a.Count);
                for (var i = 0; i < a.Count; i++)
                {
                    items.Add(ParseArgument(a[i], node, $"{path}[{i}]", depth, ref count));
                }
                return new ArrayArgument(items);
            default:
                return new LiteralArgument(value?.DeepClone());
        }
    }

    /// <summary>The nodes an argument refers to (not those of its callbacks, which are graphs of their own).</summary>
    public static IEnumerable<string> References(Argument argument) => argument switch
    {
        NodeArgument n => [n.Node],
        ArrayArgument a => a.Items.SelectMany(References),
        ObjectArgument o => o.Properties.Values.SelectMany(References),
        _ => [],
    };

    private static void CheckAcyclic(IReadOnlyDictionary<string, ProcessNode> nodes)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        foreach (var start in nodes.Keys)
        {
            Visit(start, []);
        }

        void Visit(string id, List<string> path)
        {
            if (state.GetValueOrDefault(id) == 2)
            {
                return;
            }
            if (state.GetValueOrDefault(id) == 1)
            {
                var cycle = path.SkipWhile(p => p != id).Append(id);
                throw new GraphException("ProcessGraphInvalid", $"the graph has a cycle: {string.Join(" -> ", cycle)}", id);
            }
            state[id] = 1;
            path.Add(id);
            foreach (var target in nodes[id].Arguments.Values.SelectMany(References).Distinct())
            {
                Visit(target, path);
            }
            path.RemoveAt(path.Count - 1);
            state[id] = 2;
        }
    }
}
