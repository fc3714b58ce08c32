using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Catalog.Stac;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.UserDefined;
using Tessera.Server.Access;
using Tessera.Server.Api;
using Tessera.Tasks.Jobs;

namespace Tessera.Server.OpenEo;

/// <summary>
/// openEO's user-defined processes (<c>/process_graphs</c>): each user's own, stored in the job store, listed,
/// described, stored or replaced whole (<c>PUT</c>: the id of the path wins over the body's; the document is refused
/// unless its fields are the API's, its parameters well formed, its graph checked against the server's processes and
/// the user's others with its parameters in scope, and it does not reach itself), deleted. Graphs of <c>/result</c>,
/// <c>/validation</c> and <c>/jobs</c> call them (<see cref="ReadGraphAsync"/>): with <c>"namespace": "user"</c>, or
/// without a namespace when the id is not one of the server's processes. A job keeps the user's processes its graph
/// calls as they were when it was created or its graph last changed, so that editing or deleting a process afterwards
/// does not change what the job computes.
/// </summary>
public static class OpenEoProcessGraphs
{
    /// <summary>Most processes a user may keep, and the list gives.</summary>
    public const int MaxPerUser = 1000;

    /// <summary>What the list gives of each process (the API recommends leaving the larger fields to the process's own page).</summary>
    private static readonly string[] ListedFields = ["id", "summary", "description", "categories", "parameters", "returns", "deprecated", "experimental"];

    public static void MapOpenEoProcessGraphs(this RouteGroupBuilder api)
    {
        api.MapGet("/process_graphs", ListAsync);
        api.MapGet("/process_graphs/{process_graph_id}", DescribeAsync);
        api.MapPut("/process_graphs/{process_graph_id}", StoreAsync).WithBodyLimit(Api.BodyLimits.Task);
        api.MapDelete("/process_graphs/{process_graph_id}", DeleteAsync);
    }

    /// <summary>
    /// A request's process (<c>{"process_graph": {...}}</c>) read, checked and made runnable: the caller's processes it
    /// calls read from the store, its calls of them checked, then inlined and checked again
    /// (<see cref="UserProcessExpander.Prepare"/>). Also gives those processes, for a job to keep.
    /// </summary>
    public static async Task<(ProcessGraph Graph, UserProcesses User)> ReadGraphAsync(HttpContext context, DbJobStore jobs, JsonNode? process,
        CancellationToken cancellationToken)
    {
        var graph = GraphParser.ParseProcess(process);
        var user = await LoadAsync(jobs, Caller.Of(context).User, graph, cancellationToken);
        return (UserProcessExpander.Prepare(graph, user), user);
    }

    /// <summary>The owner's processes the graph calls (with <paramref name="known"/> in place of stored ones of the same ids).</summary>
    private static Task<UserProcesses> LoadAsync(DbJobStore jobs, string owner, ProcessGraph graph, CancellationToken cancellationToken,
        UserProcesses? known = null) =>
        UserProcesses.LoadAsync(graph, async (id, c) => (await jobs.GetProcessGraphAsync(owner, id, c))?.Process, cancellationToken, known);

    /// <summary>
    /// Checks a user's process as <c>PUT</c> stores it: its graph against the processes it calls (the server's, and the
    /// owner's others as stored, itself as given) with its parameters in scope; it must not reach itself.
    /// </summary>
    public static async Task CheckAsync(UserProcess process, DbJobStore jobs, string owner, CancellationToken cancellationToken)
    {
        var user = await LoadAsync(jobs, owner, process.Graph, cancellationToken, UserProcesses.None.With(process));
        GraphChecker.Check(process.Graph, process.Signature.Parameters.Select(p => p.Name).ToList(), user);
        UserProcessExpander.CheckCalls(process, user);
    }

    private static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    private static IResult Json(JsonObject document) => Results.Text(document.ToJsonString(), "application/json", Encoding.UTF8);

    private static OpenEoException NotFound(string id) =>
        new(StatusCodes.Status404NotFound, "ProcessGraphNotFound", $"you have no process '{(id.Length > 60 ? id[..60] + "…" : id)}' (GET /process_graphs lists them)");

    private static async Task<IResult> ListAsync(HttpContext context, DbJobStore jobs, CancellationToken cancellationToken)
    {
        var processes = new JsonArray();
        foreach (var stored in await jobs.ListProcessGraphsAsync(Caller.Of(context).User, MaxPerUser, cancellationToken))
        {
            var document = JsonNode.Parse(stored.Process)!.AsObject();
            processes.Add(new JsonObject(document.Where(p => ListedFields.Contains(p.Key))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))));
        }
        var b = Base(context);
        return Json(new JsonObject
        {
            ["processes"] = processes,
            ["links"] = new JsonArray(StacItems.Link("self", $"{b}{OpenEoApi.Root}/process_graphs", "application/json"),
                StacItems.Link("root", $"{b}{OpenEoApi.Root}/", "application/json")),
        });
    }

    private static async Task<IResult> DescribeAsync(HttpContext context, string process_graph_id, DbJobStore jobs, CancellationToken cancellationToken)
    {
        var stored = await jobs.GetProcessGraphAsync(Caller.Of(context).User, process_graph_id, cancellationToken) ?? throw NotFound(process_graph_id);
        return Results.Text(stored.Process, "application/json", Encoding.UTF8);
    }

    private static async Task<IResult> StoreAsync(HttpContext context, string process_graph_id, DbJobStore jobs, CancellationToken cancellationToken)
    {
        var body = await Api.JsonBodies.ObjectAsync(context, cancellationToken);
        var process = UserProcess.Parse(process_graph_id, body);
        var owner = Caller.Of(context).User;
        await CheckAsync(process, jobs, owner, cancellationToken);
        if (await jobs.GetProcessGraphAsync(owner, process.Id, cancellationToken) is null
            && (await jobs.ListProcessGraphsAsync(owner, MaxPerUser, cancellationToken)).Count >= MaxPerUser)
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"you keep {MaxPerUser} processes, the most a user may: delete one first");
        }
        await jobs.PutProcessGraphAsync(owner, process.Id, process.Json, cancellationToken);
        return Results.Ok();
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string process_graph_id, DbJobStore jobs, CancellationToken cancellationToken) =>
        await jobs.DeleteProcessGraphAsync(Caller.Of(context).User, process_graph_id, cancellationToken)
            ? Results.NoContent()
            : throw NotFound(process_graph_id);
}
