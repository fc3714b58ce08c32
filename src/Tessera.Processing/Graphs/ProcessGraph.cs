using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs;

/// <summary>
/// An openEO process graph, read and checked (<see cref="GraphParser"/>): its nodes by id and the one whose value is the
/// graph's result. Immutable; callbacks (<see cref="CallbackArgument"/>) are graphs of their own whose
/// <see cref="ParameterArgument"/>s name the parameters their caller passes (<c>data</c>, <c>x</c>, <c>y</c>, ...).
/// </summary>
public sealed record ProcessGraph(IReadOnlyDictionary<string, ProcessNode> Nodes, string ResultNode)
{
    public ProcessNode Result => Nodes[ResultNode];
}

/// <summary>A node: which process it calls (in which namespace: null for openEO's predefined ones) with which arguments.</summary>
public sealed record ProcessNode(string Id, string ProcessId, string? Namespace, IReadOnlyDictionary<string, Argument> Arguments);

/// <summary>What an argument of a node is.</summary>
public abstract record Argument;

/// <summary>A value written in the graph (a number, a string, a bounding box object, null, ...).</summary>
public sealed record LiteralArgument(JsonNode? Value) : Argument;

/// <summary>The result of another node (<c>{"from_node": "id"}</c>).</summary>
public sealed record NodeArgument(string Node) : Argument;

/// <summary>A parameter of the enclosing graph (<c>{"from_parameter": "x"}</c>): a callback's, or a user-defined process's.</summary>
public sealed record ParameterArgument(string Name) : Argument;

/// <summary>A child graph run by the process it is given to (<c>{"process_graph": {...}}</c>), such as a reducer.</summary>
public sealed record CallbackArgument(ProcessGraph Graph) : Argument;

/// <summary>An array whose elements may themselves be references.</summary>
public sealed record ArrayArgument(IReadOnlyList<Argument> Items) : Argument;

/// <summary>An object whose values may themselves be references.</summary>
public sealed record ObjectArgument(IReadOnlyDictionary<string, Argument> Properties) : Argument;
