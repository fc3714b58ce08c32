using Tessera.Processing.Graphs.Descriptions;

namespace Tessera.Processing.Graphs;

/// <summary>
/// The processes a process graph may call: openEO's predefined processes this server runs, and every Tessera operation
/// in Tessera's namespace (described from its operation definition).
/// </summary>
public static class ProcessRegistry
{
    /// <summary>The namespace of the processes of Tessera's own operations.</summary>
    public const string TesseraNamespace = "tessera";

    /// <summary>Every process, openEO's first.</summary>
    public static IReadOnlyList<ProcessDescription> All { get; } =
    [
        .. CubeProcesses.All,
        .. IndexProcesses.All,
        .. ReducerProcesses.All,
        .. MathProcesses.All,
        .. LogicProcesses.All,
        .. OperationProcesses.All,
    ];

    /// <summary>The process of that id in that namespace (null: openEO's predefined ones), or null when there is none.</summary>
    public static ProcessDescription? Find(string id, string? ns = null) =>
        All.FirstOrDefault(p => p.Id == id && p.Namespace == (ns is null or "backend" ? null : ns));
}
