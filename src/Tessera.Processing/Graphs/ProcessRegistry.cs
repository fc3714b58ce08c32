using Tessera.Processing.Graphs.Descriptions;

namespace Tessera.Processing.Graphs;

/// <summary>
/// The processes described here: openEO's predefined processes, and every Tessera operation in Tessera's namespace
/// (described from its operation definition). A graph may call those the evaluator runs (<see cref="Runnable"/>), which
/// <c>GET /processes</c> lists; the others are described ahead of their evaluation and refused as unsupported.
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

    /// <summary>The processes a graph may call: those the evaluator runs, at the top of a graph or in a pixel callback, and
    /// Tessera's operations that give a raster (<see cref="Evaluation.OperationProcessRunner"/>).</summary>
    public static IReadOnlyList<ProcessDescription> Runnable { get; } = All.Where(p => p.Namespace is null
        ? Evaluation.GraphEvaluator.Processes.Contains(p.Id) || Evaluation.CallbackCompiler.Processes.Contains(p.Id)
        : p.Namespace == TesseraNamespace && Evaluation.OperationProcessRunner.Runs(p.Id)).ToList();

    /// <summary>The process of that id in that namespace (null: openEO's predefined ones), or null when there is none.</summary>
    public static ProcessDescription? Find(string id, string? ns = null) =>
        All.FirstOrDefault(p => p.Id == id && p.Namespace == (ns is null or "backend" ? null : ns));

    /// <summary>The process a graph may call by that id and namespace, or null.</summary>
    public static ProcessDescription? FindRunnable(string id, string? ns = null) =>
        Runnable.FirstOrDefault(p => p.Id == id && p.Namespace == (ns is null or "backend" ? null : ns));
}
