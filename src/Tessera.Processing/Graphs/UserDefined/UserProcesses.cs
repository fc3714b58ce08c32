using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs.UserDefined;

/// <summary>
/// The user-defined processes a graph may call, by id: those of the graph's owner that it calls, directly or through
/// one another, read before the graph is checked (<see cref="LoadAsync"/>) or from a job's snapshot
/// (<see cref="FromSnapshot"/>). Immutable. A node calls one of them when it names the namespace <c>user</c>, or no
/// namespace and an id that is not one of the processes this server runs (those come first, so that a user's process
/// cannot change what a predefined id means; name the namespace <c>user</c> to call a user's process of such an id).
/// </summary>
public sealed class UserProcesses
{
    /// <summary>Most user-defined processes one graph may reach.</summary>
    public const int MaxProcesses = 200;

    private readonly ImmutableDictionary<string, UserProcess> _processes;

    private UserProcesses(ImmutableDictionary<string, UserProcess> processes) => _processes = processes;

    /// <summary>No user-defined processes: a graph that calls one is refused.</summary>
    public static UserProcesses None { get; } = new(ImmutableDictionary<string, UserProcess>.Empty.WithComparers(StringComparer.Ordinal));

    public int Count => _processes.Count;

    public IEnumerable<UserProcess> All => _processes.Values.OrderBy(p => p.Id, StringComparer.Ordinal);

    public UserProcess? Find(string id) => _processes.GetValueOrDefault(id);

    /// <summary>These, with <paramref name="process"/> in place of the one of its id.</summary>
    public UserProcesses With(UserProcess process) => new(_processes.SetItem(process.Id, process));

    /// <summary>Whether a node may call a user-defined process (see the class): the namespace <c>user</c>, or none and an id the server does not run.</summary>
    public static bool MayCall(ProcessNode node) => node.Namespace == UserProcess.Namespace
        || (node.Namespace is null && ProcessRegistry.FindRunnable(node.ProcessId) is null);

    /// <summary>The user-defined process the node calls, or null (a process of the server's, or an unknown one).</summary>
    public UserProcess? Called(ProcessNode node) => MayCall(node) ? Find(node.ProcessId) : null;

    /// <summary>
    /// The processes a graph calls, directly or through each other (in their graphs and in callbacks), read with
    /// <paramref name="find"/> (the stored document of an id of the owner's, or null); an id not found is left out
    /// (the checker then says the process does not exist).
    /// </summary>
    public static async Task<UserProcesses> LoadAsync(ProcessGraph graph, Func<string, CancellationToken, Task<string?>> find,
        CancellationToken cancellationToken, UserProcesses? known = null)
    {
        var found = known ?? None;
        var asked = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<ProcessGraph>([graph, .. found.All.Select(p => p.Graph)]);
        while (pending.TryDequeue(out var next))
        {
            foreach (var id in CalledIds(next))
            {
                if (found.Find(id) is not null || !asked.Add(id))
                {
                    continue;
                }
                if (asked.Count > MaxProcesses)
                {
                    throw new GraphException("ProcessGraphComplexity", $"the graph reaches more than {MaxProcesses} user-defined processes");
                }
                if (await find(id, cancellationToken) is { } json)
                {
                    var process = Stored(id, json);
                    found = found.With(process);
                    pending.Enqueue(process.Graph);
                }
            }
        }
        return found;
    }

    /// <summary>The ids of the nodes that may call a user-defined process, in the graph and its callbacks.</summary>
    public static IEnumerable<string> CalledIds(ProcessGraph graph)
    {
        foreach (var node in graph.Nodes.Values)
        {
            if (MayCall(node))
            {
                yield return node.ProcessId;
            }
            foreach (var callback in node.Arguments.Values.SelectMany(Callbacks))
            {
                foreach (var id in CalledIds(callback))
                {
                    yield return id;
                }
            }
        }
    }

    /// <summary>The callbacks in an argument (in arrays and objects too).</summary>
    internal static IEnumerable<ProcessGraph> Callbacks(Argument argument) => argument switch
    {
        CallbackArgument c => [c.Graph],
        ArrayArgument a => a.Items.SelectMany(Callbacks),
        ObjectArgument o => o.Properties.Values.SelectMany(Callbacks),
        _ => [],
    };

    /// <summary>The processes as a job keeps them: an object of their documents by id.</summary>
    public string ToSnapshot() => new JsonObject(All.Select(p => KeyValuePair.Create(p.Id, JsonNode.Parse(p.Json)))).ToJsonString();

    /// <summary>The processes a job kept (<see cref="ToSnapshot"/>); null or empty: none.</summary>
    public static UserProcesses FromSnapshot(string? snapshot)
    {
        if (string.IsNullOrEmpty(snapshot) || JsonNode.Parse(snapshot) is not JsonObject documents)
        {
            return None;
        }
        var found = None;
        foreach (var (id, document) in documents)
        {
            found = found.With(Stored(id, document?.ToJsonString() ?? "null"));
        }
        return found;
    }

    /// <summary>A stored process read again (it was checked when stored; a refusal now names it).</summary>
    private static UserProcess Stored(string id, string json)
    {
        try
        {
            return UserProcess.Parse(id, JsonNode.Parse(json));
        }
        catch (GraphException e)
        {
            throw new GraphException(e.Code, $"your process '{id}' cannot be read: {e.Message}");
        }
    }
}
