using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>A node's arguments once resolved (literals, other nodes' values, callbacks), read by name and kind; a wrong kind names the node and argument.</summary>
public sealed class Arguments(ProcessNode node, IReadOnlyDictionary<string, object?> values)
{
    public string Node => node.Id;

    public object? Optional(string name) => values.GetValueOrDefault(name);

    public object? Required(string name) => values.TryGetValue(name, out var value) ? value
        : throw new GraphException("ProcessArgumentRequired", $"'{node.ProcessId}' needs it", node.Id, name);

    public DataCube Cube(string name) => Required(name) as DataCube
        ?? throw new GraphException("ProcessArgumentInvalid", "give a data cube (the result of load_collection or of a process on one)", node.Id, name);

    public ProcessGraph Callback(string name) => Required(name) as ProcessGraph
        ?? throw new GraphException("ProcessArgumentInvalid", "give a process graph ({\"process_graph\": {...}})", node.Id, name);

    public string Text(string name) => Required(name) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
        : throw new GraphException("ProcessArgumentInvalid", "give a string", node.Id, name);

    public string TextOr(string name, string fallback) => values.ContainsKey(name) && Optional(name) is not null ? Text(name) : fallback;

    /// <summary>The callbacks of an object argument (<c>load_collection</c>'s <c>properties</c>), by key.</summary>
    public IReadOnlyDictionary<string, ProcessGraph> Callbacks(string name) => Optional(name) switch
    {
        null => new Dictionary<string, ProcessGraph>(),
        IReadOnlyDictionary<string, object?> d => d.ToDictionary(p => p.Key, p => p.Value as ProcessGraph
            ?? throw new GraphException("ProcessArgumentInvalid", $"{p.Key}: give a process graph", node.Id, $"{name}.{p.Key}")),
        _ => throw new GraphException("ProcessArgumentInvalid", "give an object of process graphs, one per property", node.Id, name),
    };

    public IReadOnlyList<string>? Strings(string name) => Optional(name) switch
    {
        null => null,
        JsonArray a when a.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String) => a.Select(i => i!.GetValue<string>()).ToList(),
        _ => throw new GraphException("ProcessArgumentInvalid", "give an array of strings", node.Id, name),
    };
}
