namespace Tessera.Processing.Graphs;

/// <summary>
/// What is wrong with a process graph, or went wrong running it, as openEO says it: an error code of the API
/// (<c>ProcessUnsupported</c>, <c>ProcessArgumentRequired</c>, ...) and a message that names the node and the argument
/// path at fault (<c>node 'ndvi1', argument 'data'</c>).
/// </summary>
public sealed class GraphException(string code, string message, string? node = null, string? argument = null)
    : Exception(Describe(message, node, argument))
{
    public string Code { get; } = code;

    public string? Node { get; } = node;

    public string? ArgumentPath { get; } = argument;

    /// <summary>Whether the request is at fault (400), rather than the data or the server (500).</summary>
    public bool IsClientError { get; init; } = true;

    private static string Describe(string message, string? node, string? argument) =>
        node is null ? message : argument is null ? $"node '{node}': {message}" : $"node '{node}', argument '{argument}': {message}";
}
