using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.UserDefined;

namespace Tessera.Processing.Graphs;

/// <summary>
/// Checks a parsed graph against the processes this server runs (<see cref="ProcessRegistry"/>) before anything runs:
/// every process known, every argument one of its parameters, every required parameter given, every value written in
/// the graph of the kind its parameter takes, every parameter reference one the graph (or callback, or a graph around
/// it) has. A node calling a user-defined process is checked against that process's parameters
/// (<see cref="UserProcesses"/>); the process's own graph is checked once inlined (<see cref="UserProcessExpander"/>).
/// The first problem is thrown, naming the node and the argument path.
/// </summary>
public static class GraphChecker
{
    /// <param name="parameters">The parameters the graph itself has: none for a graph run as it is; a callback's are
    /// those its process passes (and those of the graphs around it); a user-defined process's, those it declares.</param>
    /// <param name="user">The user-defined processes the graph may call (none when null).</param>
    public static void Check(ProcessGraph graph, IReadOnlyCollection<string>? parameters = null, UserProcesses? user = null)
    {
        parameters ??= [];
        user ??= UserProcesses.None;
        foreach (var node in graph.Nodes.Values)
        {
            var process = user.Called(node)?.Signature ?? ProcessRegistry.FindRunnable(node.ProcessId, node.Namespace)
                ?? throw new GraphException("ProcessUnsupported", Unsupported(node), node.Id);
            foreach (var (name, argument) in node.Arguments)
            {
                var parameter = process.Parameter(name) ?? throw new GraphException("ProcessArgumentUnsupported",
                    $"'{node.ProcessId}' has no parameter '{name}' (it has {string.Join(", ", process.Parameters.Select(p => p.Name))})", node.Id, name);
                CheckArgument(node, name, argument, parameter.Schema, parameters, user);
            }
            foreach (var missing in process.Parameters.Where(p => !p.Optional && !node.Arguments.ContainsKey(p.Name)))
            {
                throw new GraphException("ProcessArgumentRequired", $"'{node.ProcessId}' needs it", node.Id, missing.Name);
            }
        }
    }

    /// <summary>Why no process a node may call has its id: not the user's, not the server's (and why not, when it is described).</summary>
    private static string Unsupported(ProcessNode node) => node.Namespace switch
    {
        UserProcess.Namespace => $"process '{node.ProcessId}' is not one of your processes (GET /process_graphs lists them)",
        null => $"process '{node.ProcessId}' is not one this server runs (GET /processes lists them) nor one of your processes (GET /process_graphs)",
        ProcessRegistry.TesseraNamespace when Evaluation.OperationProcessRunner.WhyNot(node.ProcessId) is { } why =>
            $"process '{node.ProcessId}' in namespace '{node.Namespace}' is not one this server runs (GET /processes lists them): {why}",
        _ => $"process '{node.ProcessId}' in namespace '{node.Namespace}' is not one this server runs (GET /processes lists them)",
    };

    private static void CheckArgument(ProcessNode node, string path, Argument argument, JsonNode schema, IReadOnlyCollection<string> parameters,
        UserProcesses user)
    {
        switch (argument)
        {
            case LiteralArgument literal when ValueSchema.Check(literal.Value, schema) is { } problem:
                throw new GraphException("ProcessArgumentInvalid", problem, node.Id, path);
            case ParameterArgument reference when !parameters.Contains(reference.Name):
                throw new GraphException("ProcessParameterMissing",
                    parameters.Count == 0 ? $"from_parameter '{reference.Name}': this graph has no parameters"
                        : $"from_parameter '{reference.Name}': not a parameter here (there are {string.Join(", ", parameters)})", node.Id, path);
            case CallbackArgument callback:
                if (CallbackParameters(schema) is not { } names)
                {
                    throw new GraphException("ProcessArgumentInvalid", "it does not take a process graph", node.Id, path);
                }
                try
                {
                    // openEO: a callback sees the parameters of the graphs around it too, its own first.
                    Check(callback.Graph, [.. names, .. parameters.Except(names)], user);
                }
                catch (GraphException e)
                {
                    throw new GraphException(e.Code, $"in its callback: {e.Message}", node.Id, path);
                }
                break;
            case ArrayArgument array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    CheckArgument(node, $"{path}[{i}]", array.Items[i], ItemsOf(schema), parameters, user);
                }
                break;
            case ObjectArgument obj:
                foreach (var (key, value) in obj.Properties)
                {
                    CheckArgument(node, $"{path}.{key}", value, PropertyOf(schema, key), parameters, user);
                }
                break;
        }
    }

    /// <summary>The parameter names a callback of this schema is given, or null when the schema takes no process graph.</summary>
    public static IReadOnlyList<string>? CallbackParameters(JsonNode? schema) => schema switch
    {
        JsonArray alternatives => alternatives.Select(CallbackParameters).FirstOrDefault(p => p is not null),
        JsonObject s when s["subtype"]?.GetValue<string>() == "process-graph" =>
            (s["parameters"] as JsonArray ?? []).Select(p => p!["name"]!.GetValue<string>()).ToList(),
        JsonObject s when s["anyOf"] is JsonArray any => CallbackParameters(any),
        JsonObject s when s["oneOf"] is JsonArray one => CallbackParameters(one),
        _ => null,
    };

    internal static JsonNode ItemsOf(JsonNode schema) => schema switch
    {
        JsonObject s when s["items"] is JsonObject items => items.DeepClone(),
        JsonArray alternatives => new JsonArray(alternatives.Select(a => (JsonNode?)ItemsOf(a!)).ToArray()),
        _ => new JsonObject(),
    };

    internal static JsonNode PropertyOf(JsonNode schema, string key) => schema switch
    {
        JsonObject s when s["properties"]?[key] is JsonNode property => property.DeepClone(),
        JsonObject s when s["additionalProperties"] is JsonObject additional => additional.DeepClone(),
        JsonArray alternatives => new JsonArray(alternatives.Select(a => (JsonNode?)PropertyOf(a!, key)).ToArray()),
        _ => new JsonObject(),
    };
}
