using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Host.Catalog;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Evaluation;
using Tessera.Server.Access;
using Tessera.Server.Api;

namespace Tessera.Server.OpenEo;

/// <summary>
/// Running a process graph: <c>POST /validation</c> says what is wrong with one (nothing runs), <c>POST /result</c>
/// runs one synchronously and answers with the file it saves. The graph is read and checked whole first
/// (<see cref="GraphParser"/>, <see cref="GraphChecker"/>), the caller's own processes it calls inlined
/// (<see cref="OpenEoProcessGraphs.ReadGraphAsync"/>); its scenes come from the catalog as the caller sees it. A process
/// given to <c>/validation</c> with <c>parameters</c> is checked as a user-defined process, its parameters in scope.
/// </summary>
public static class OpenEoResults
{
    private static readonly string[] ResultFields = ["process", "budget", "plan", "log_level", "title", "description"];

    public static void MapOpenEoResults(this RouteGroupBuilder api)
    {
        api.MapPost("/validation", Validate).RequireRole(Role.Read).WithBodyLimit(Api.BodyLimits.Task);
        api.MapPost("/result", ResultAsync).WithBodyLimit(Api.BodyLimits.Task); // graphs may carry GeoJSON polygons
    }

    /// <summary>The early openEO format's synchronous request (<c>POST /execute</c>, <see cref="LegacyGraph"/>), run as <c>/result</c> runs a graph.</summary>
    public static void MapSeedExecute(this Microsoft.AspNetCore.Builder.WebApplication app) => app.MapPost("/execute", ExecuteAsync).WithBodyLimit(Api.BodyLimits.Task);

    private static async Task ExecuteAsync(HttpContext context, Tessera.Host.ServiceParts parts, Tessera.Host.ServiceOptions options,
        CancellationToken cancellationToken)
    {
        var body = await Api.JsonBodies.ObjectAsync(context, cancellationToken);
        var bands = (await parts.Catalog.ListCollectionsAsync(cancellationToken)).ToDictionary(c => c.Id, c => (IReadOnlyList<string>)c.Bands.Select(b => b.Name).ToList());
        var process = LegacyGraph.Convert(body, id => bands.GetValueOrDefault(id));
        await RunAndSendAsync(context, parts, options, Read(process), cancellationToken);
    }

    /// <summary>The graph read and checked against the processes, or the openEO error of its first problem.</summary>
    public static ProcessGraph Read(JsonNode? process)
    {
        var graph = GraphParser.ParseProcess(process);
        GraphChecker.Check(graph);
        return graph;
    }

    private static async Task<IResult> Validate(HttpContext context, Tessera.Tasks.Jobs.DbJobStore jobs, CancellationToken cancellationToken)
    {
        var body = await Api.JsonBodies.ObjectAsync(context, cancellationToken);
        var errors = new JsonArray();
        try
        {
            if (body["parameters"] is not null)
            {
                var id = body["id"] is JsonValue v && v.TryGetValue<string>(out var given) ? given : "process";
                await OpenEoProcessGraphs.CheckAsync(Tessera.Processing.Graphs.UserDefined.UserProcess.Parse(id, body), jobs, Caller.Of(context).User,
                    cancellationToken);
            }
            else
            {
                await OpenEoProcessGraphs.ReadGraphAsync(context, jobs, body, cancellationToken);
            }
        }
        catch (GraphException e)
        {
            errors.Add(new JsonObject { ["code"] = e.Code, ["message"] = e.Message });
        }
        return Results.Text(new JsonObject { ["errors"] = errors }.ToJsonString(), "application/json");
    }

    private static async Task ResultAsync(HttpContext context, Tessera.Host.ServiceParts parts, Tessera.Host.ServiceOptions options,
        Tessera.Tasks.Jobs.DbJobStore jobs, CancellationToken cancellationToken)
    {
        var body = await Api.JsonBodies.ObjectAsync(context, cancellationToken);
        foreach (var (key, _) in body)
        {
            if (!ResultFields.Contains(key))
            {
                throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"'{key}' is not a field of a synchronous request (known: {string.Join(", ", ResultFields)})");
            }
        }
        var (graph, _) = await OpenEoProcessGraphs.ReadGraphAsync(context, jobs, body["process"], cancellationToken);
        await RunAndSendAsync(context, parts, options, graph, cancellationToken);
    }

    /// <summary>Runs a checked graph and answers with the file it saves (removed once sent).</summary>
    private static async Task RunAndSendAsync(HttpContext context, Tessera.Host.ServiceParts parts, Tessera.Host.ServiceOptions options, ProcessGraph graph,
        CancellationToken cancellationToken)
    {
        var source = new CatalogSceneSource(parts.Catalog, parts.Assets, Caller.Of(context).Visibility);
        var folder = Directory.CreateDirectory(Path.Combine(options.DataFolder, "work", "openeo")).FullName;
        using var evaluator = new GraphEvaluator(source, workFolder: folder) { OperationBudget = new PixelBudget(options.OpenEoSyncMegapixels * 1_000_000L) };
        var saved = await evaluator.RunAsync(graph, cancellationToken);
        ResultWriter.Check(saved, graph.ResultNode);
        var (bandPixels, _, files) = ResultWriter.Estimate(saved);
        if (bandPixels > options.OpenEoSyncMegapixels * 1_000_000L)
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "ComputationTooLarge", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the graph reads about {bandPixels / 1e6:0.#} million band pixels (a cube of {saved.Cube.Grid.Width} x {saved.Cube.Grid.Height} pixels over {files} band files), more than the {options.OpenEoSyncMegapixels} million a synchronous request may: run it as a batch job (POST /jobs, then POST /jobs/{{id}}/results)"));
        }
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}{ResultWriter.Extension(saved)}");
        try
        {
            await Task.Run(() => ResultWriter.Write(saved, path, graph.ResultNode, null, cancellationToken), cancellationToken);
            context.Response.ContentType = ResultWriter.MediaType(saved);
            context.Response.ContentLength = new FileInfo(path).Length;
            await context.Response.SendFileAsync(path, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
