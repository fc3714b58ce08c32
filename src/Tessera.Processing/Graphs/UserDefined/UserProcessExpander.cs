using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs.UserDefined;

/// <summary>
/// Makes a graph that calls user-defined processes runnable by the evaluator, which knows only the server's processes:
/// each node calling one is replaced by the process's graph, its parameters bound. The inlined nodes are named
/// <c>{caller}/{node}</c>, but its result node, which takes the caller's id, so that what read the caller's value reads
/// the process's result. A <c>from_parameter</c> of the process becomes the caller's argument (a value, another node of
/// the caller's graph, or a parameter of the caller's callback), or the parameter's default when the caller left it
/// out. Inside a callback of the process, where the process's parameters are also seen (unless the callback has one of
/// the same name), only a value written in the graph may be passed: a cube or a callback's parameter cannot reach into
/// a pixel callback. Processes may call each other, at most <see cref="MaxDepth"/> deep; a process that reaches itself
/// is refused.
/// </summary>
public static class UserProcessExpander
{
    /// <summary>Deepest nesting of user-defined processes calling each other.</summary>
    public const int MaxDepth = 16;

    /// <summary>Most nodes a graph may have once its user-defined processes are inlined, callbacks included.</summary>
    public const int MaxNodes = 10 * GraphParser.MaxNodes;

    private const char Separator = '/';

    /// <summary>
    /// A graph checked as it is written (calls of user-defined processes against their parameters), then with those
    /// processes inlined and checked again (each inlined node with the values it is given), ready to run.
    /// </summary>
    public static ProcessGraph Prepare(ProcessGraph graph, UserProcesses user)
    {
        GraphChecker.Check(graph, null, user);
        if (user.Count == 0)
        {
            return graph;
        }
        var expanded = Expand(graph, user);
        GraphChecker.Check(expanded);
        return expanded;
    }

    /// <summary>The graph with the user-defined processes it calls inlined (see the class).</summary>
    public static ProcessGraph Expand(ProcessGraph graph, UserProcesses user)
    {
        var count = 0;
        return Expand(graph, user, ImmutableStack<string>.Empty, 0, ref count);
    }

    /// <summary>
    /// Refuses a process that reaches itself through the processes it calls (directly or in callbacks), or calls them
    /// nested deeper than <see cref="MaxDepth"/>: what is checked when a process is stored.
    /// </summary>
    public static void CheckCalls(UserProcess process, UserProcesses user)
    {
        Visit(process, [process.Id]);

        void Visit(UserProcess current, List<string> path)
        {
            if (path.Count > MaxDepth)
            {
                throw new GraphException("ProcessGraphComplexity", $"user-defined processes are nested more than {MaxDepth} deep: {string.Join(" -> ", path)}");
            }
            foreach (var id in UserProcesses.CalledIds(current.Graph).Distinct(StringComparer.Ordinal))
            {
                if (user.Find(id) is not { } called)
                {
                    continue;
                }
                if (path.Contains(id))
                {
                    throw new GraphException("ProcessGraphInvalid",
                        $"'{process.Id}' would call itself: {string.Join(" -> ", path.SkipWhile(p => p != id).Append(id))}; a process may not be recursive");
                }
                path.Add(id);
                Visit(called, path);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private static ProcessGraph Expand(ProcessGraph graph, UserProcesses user, ImmutableStack<string> calling, int depth, ref int count)
    {
        var nodes = new Dictionary<string, ProcessNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes.Values)
        {
            var arguments = new Dictionary<string, Argument>(StringComparer.Ordinal);
            foreach (var (name, argument) in node.Arguments)
            {
                arguments[name] = ExpandCallbacks(argument, user, calling, depth, ref count);
            }
            if (++count > MaxNodes)
            {
                throw new GraphException("ProcessGraphComplexity", $"with its user-defined processes inlined the graph has more than {MaxNodes} nodes");
            }
            if (user.Called(node) is not { } process)
            {
                nodes[node.Id] = node with { Arguments = arguments };
                continue;
            }
            if (calling.Contains(process.Id))
            {
                throw new GraphException("ProcessGraphInvalid",
                    $"'{process.Id}' calls itself ({string.Join(" -> ", calling.Reverse().Append(process.Id))}); a process may not be recursive", node.Id);
            }
            if (depth >= MaxDepth)
            {
                throw new GraphException("ProcessGraphComplexity", $"user-defined processes are nested more than {MaxDepth} deep", node.Id);
            }
            var bindings = Bindings(process, node, arguments);
            var body = Substitute(Rename(process.Graph, node.Id), process, bindings, user, node.Id);
            var inner = Expand(body, user, calling.Push(process.Id), depth + 1, ref count);
            foreach (var (id, innerNode) in inner.Nodes)
            {
                if (id != node.Id && graph.Nodes.ContainsKey(id))
                {
                    throw new GraphException("ProcessGraphInvalid",
                        $"the node id '{id}' is also that of a node of '{process.Id}' inlined here; give the node another id", node.Id);
                }
                nodes[id] = innerNode;
            }
        }
        return new ProcessGraph(nodes, graph.ResultNode);
    }

    private static Argument ExpandCallbacks(Argument argument, UserProcesses user, ImmutableStack<string> calling, int depth, ref int count)
    {
        switch (argument)
        {
            case CallbackArgument c:
                return new CallbackArgument(Expand(c.Graph, user, calling, depth, ref count));
            case ArrayArgument a:
                var items = new List<Argument>(a.Items.Count);
                foreach (var item in a.Items)
                {
                    items.Add(ExpandCallbacks(item, user, calling, depth, ref count));
                }
                return new ArrayArgument(items);
            case ObjectArgument o:
                var properties = new Dictionary<string, Argument>(StringComparer.Ordinal);
                foreach (var (key, value) in o.Properties)
                {
                    properties[key] = ExpandCallbacks(value, user, calling, depth, ref count);
                }
                return new ObjectArgument(properties);
            default:
                return argument;
        }
    }

    /// <summary>What each parameter of the process is in this call: the caller's argument, else its default; a parameter
    /// without either is absent (using it is then refused).</summary>
    private static Dictionary<string, Argument> Bindings(UserProcess process, ProcessNode node, IReadOnlyDictionary<string, Argument> arguments)
    {
        var bindings = new Dictionary<string, Argument>(StringComparer.Ordinal);
        foreach (var parameter in process.Signature.Parameters)
        {
            if (arguments.TryGetValue(parameter.Name, out var given))
            {
                bindings[parameter.Name] = given;
            }
            else if (parameter.Optional && !parameter.WithoutDefault)
            {
                bindings[parameter.Name] = new LiteralArgument(parameter.Default?.DeepClone());
            }
            else if (!parameter.Optional)
            {
                throw new GraphException("ProcessArgumentRequired", $"'{process.Id}' needs it", node.Id, parameter.Name);
            }
        }
        return bindings;
    }

    /// <summary>The process's graph with its nodes named for the caller (<c>{caller}/{node}</c>, the result node <c>{caller}</c>).</summary>
    private static ProcessGraph Rename(ProcessGraph graph, string caller)
    {
        string NewId(string id) => id == graph.ResultNode ? caller : $"{caller}{Separator}{id}";
        Argument Map(Argument argument) => argument switch
        {
            NodeArgument n => new NodeArgument(NewId(n.Node)),
            ArrayArgument a => new ArrayArgument(a.Items.Select(Map).ToList()),
            ObjectArgument o => new ObjectArgument(o.Properties.ToDictionary(p => p.Key, p => Map(p.Value), StringComparer.Ordinal)),
            _ => argument, // a callback's nodes are its own
        };
        var nodes = graph.Nodes.Values.Select(n => n with
        {
            Id = NewId(n.Id),
            Arguments = n.Arguments.ToDictionary(p => p.Key, p => Map(p.Value), StringComparer.Ordinal),
        }).ToDictionary(n => n.Id, StringComparer.Ordinal);
        return new ProcessGraph(nodes, caller);
    }

    /// <summary>The graph with the process's parameters replaced by what they are bound to (see the class).</summary>
    private static ProcessGraph Substitute(ProcessGraph graph, UserProcess process, IReadOnlyDictionary<string, Argument> bindings, UserProcesses user,
        string caller)
    {
        var declared = process.Signature.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return SubstituteGraph(graph, declared, inCallback: false);

        ProcessGraph SubstituteGraph(ProcessGraph g, IReadOnlySet<string> visible, bool inCallback)
        {
            var nodes = new Dictionary<string, ProcessNode>(StringComparer.Ordinal);
            foreach (var node in g.Nodes.Values)
            {
                var description = user.Called(node)?.Signature ?? ProcessRegistry.FindRunnable(node.ProcessId, node.Namespace);
                var arguments = new Dictionary<string, Argument>(StringComparer.Ordinal);
                foreach (var (name, argument) in node.Arguments)
                {
                    arguments[name] = SubstituteArgument(argument, description?.Parameter(name)?.Schema ?? new JsonObject(), visible, inCallback, node, name);
                }
                nodes[node.Id] = node with { Arguments = arguments };
            }
            return new ProcessGraph(nodes, g.ResultNode);
        }

        Argument SubstituteArgument(Argument argument, JsonNode schema, IReadOnlySet<string> visible, bool inCallback, ProcessNode node, string path)
        {
            switch (argument)
            {
                case ParameterArgument p when visible.Contains(p.Name):
                    if (!bindings.TryGetValue(p.Name, out var bound))
                    {
                        throw new GraphException("ProcessParameterMissing",
                            $"from_parameter '{p.Name}': '{process.Id}' was called without it and it has no default", caller);
                    }
                    if (inCallback && !IsValue(bound))
                    {
                        throw new GraphException("ProcessArgumentInvalid",
                            $"'{process.Id}' uses its parameter '{p.Name}' inside a callback (its node '{node.Id}', argument '{path}'), where only a value written in the graph can be passed, not a node's result or a parameter",
                            caller, p.Name);
                    }
                    return bound;
                case CallbackArgument c:
                    // The callback's own parameters hide the process's of the same names.
                    var own = GraphChecker.CallbackParameters(schema) ?? [];
                    var seen = visible.Where(v => !own.Contains(v)).ToHashSet(StringComparer.Ordinal);
                    return seen.Count == 0 ? c : new CallbackArgument(SubstituteGraph(c.Graph, seen, inCallback: true));
                case ArrayArgument a:
                    return new ArrayArgument(a.Items.Select((item, i) =>
                        SubstituteArgument(item, GraphChecker.ItemsOf(schema), visible, inCallback, node, $"{path}[{i}]")).ToList());
                case ObjectArgument o:
                    return new ObjectArgument(o.Properties.ToDictionary(pair => pair.Key,
                        pair => SubstituteArgument(pair.Value, GraphChecker.PropertyOf(schema, pair.Key), visible, inCallback, node, $"{path}.{pair.Key}"),
                        StringComparer.Ordinal));
                default:
                    return argument;
            }
        }
    }

    /// <summary>Whether an argument is a value written in the graph (no node's result, parameter or callback in it).</summary>
    private static bool IsValue(Argument argument) => argument switch
    {
        LiteralArgument => true,
        ArrayArgument a => a.Items.All(IsValue),
        ObjectArgument o => o.Properties.Values.All(IsValue),
        _ => false,
    };
}
