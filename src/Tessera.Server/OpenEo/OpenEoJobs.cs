using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Catalog.Stac;
using Tessera.Host.Catalog;
using Tessera.Server.Access;
using Tessera.Server.Api;
using Tessera.Tasks;
using Tessera.Tasks.Jobs;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Server.OpenEo;

/// <summary>
/// openEO batch jobs: created with a graph (checked whole first), listed, described, updated while not running,
/// deleted; started (<c>POST /jobs/{id}/results</c>: a task of the task store, run by the same workers as every task,
/// with the same retries), cancelled (<c>DELETE</c>), their logs and results read. A job's status is its task's:
/// no task yet is <c>created</c>, waiting <c>queued</c>, in a stage <c>running</c>, published <c>finished</c>, failed
/// <c>error</c> (<c>canceled</c> when cancelled on request). Results are a STAC item whose asset hrefs work without
/// an Authorization header for a day (signed: <see cref="ResultLinks"/>), as openEO clients download them.
/// </summary>
public static class OpenEoJobs
{
    private static readonly string[] JobFields = ["process", "title", "description", "plan", "budget", "log_level"];

    public static void MapOpenEoJobs(this RouteGroupBuilder api)
    {
        api.MapPost("/jobs", CreateAsync).WithBodyLimit(Api.BodyLimits.Task);
        api.MapGet("/jobs", ListAsync);
        api.MapGet("/jobs/{job_id}", DescribeAsync);
        api.MapMethods("/jobs/{job_id}", ["PATCH"], UpdateAsync).WithBodyLimit(Api.BodyLimits.Task);
        api.MapDelete("/jobs/{job_id}", DeleteAsync);
        api.MapPost("/jobs/{job_id}/results", StartAsync);
        api.MapGet("/jobs/{job_id}/results", ResultsAsync);
        api.MapDelete("/jobs/{job_id}/results", CancelAsync);
        api.MapGet("/jobs/{job_id}/logs", LogsAsync);
        api.MapGet("/jobs/{job_id}/estimate", EstimateAsync);
        api.MapGet("/jobs/{job_id}/results/{file}", DownloadAsync).AllowAnyone();
    }

    private static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    private static IResult Json(JsonObject document, int status = 200) => Results.Text(document.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static async Task<BatchJob> FindAsync(HttpContext context, DbJobStore jobs, string id, CancellationToken cancellationToken) =>
        await jobs.GetAsync(id, Caller.Of(context).Visibility, cancellationToken)
            ?? throw new OpenEoException(StatusCodes.Status404NotFound, "JobNotFound", $"job '{id}' does not exist");

    /// <summary>openEO's status of a job, from its task.</summary>
    private static string StatusOf(ProcessingTask? task) => task switch
    {
        null => "created",
        { Status: TaskStatus.NotStarted } => "queued",
        { Status: TaskStatus.PublishCompleted } => "finished",
        { Status: TaskStatus.DownloadFailed or TaskStatus.ProcessingFailed or TaskStatus.PublishFailed, ErrorMessage: "cancelled on request" } => "canceled",
        { Status: TaskStatus.DownloadFailed or TaskStatus.ProcessingFailed or TaskStatus.PublishFailed } => "error",
        _ => "running",
    };

    private static async Task<ProcessingTask?> TaskOfAsync(BatchJob job, ITaskStore tasks, CancellationToken cancellationToken) =>
        job.TaskId is { } id ? await tasks.GetAsync(id, cancellationToken) : null;

    private static JsonObject Summary(BatchJob job, ProcessingTask? task)
    {
        var summary = new JsonObject
        {
            ["id"] = job.Id,
            ["title"] = job.Title,
            ["description"] = job.Description,
            ["status"] = StatusOf(task),
            ["created"] = job.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["updated"] = (task?.UpdatedAt ?? job.Updated).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        if (task?.Progress is { Total: > 0 } progress && StatusOf(task) == "running")
        {
            summary["progress"] = Math.Clamp(100.0 * progress.Done / progress.Total, 0, 100);
        }
        else if (StatusOf(task) == "finished")
        {
            summary["progress"] = 100.0;
        }
        return summary;
    }

    private static async Task<JsonObject> BodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await Api.JsonBodies.ObjectAsync(context, cancellationToken);
        foreach (var (key, _) in body)
        {
            if (!JobFields.Contains(key))
            {
                throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"'{key}' is not a field of a job (known: {string.Join(", ", JobFields)})");
            }
        }
        return body;
    }

    private static string? Text(JsonObject body, string name) => OpenEoFields.Text(body, name);

    private static double? Budget(JsonObject body) => OpenEoFields.Budget(body);

    /// <summary>The user-defined processes a job keeps (null: its graph calls none).</summary>
    private static string? Snapshot(Tessera.Processing.Graphs.UserDefined.UserProcesses user) => user.Count == 0 ? null : user.ToSnapshot();

    private static async Task<IResult> CreateAsync(HttpContext context, DbJobStore jobs, CancellationToken cancellationToken)
    {
        var body = await BodyAsync(context, cancellationToken);
        var (_, user) = await OpenEoProcessGraphs.ReadGraphAsync(context, jobs, body["process"], cancellationToken);
        var job = await jobs.CreateAsync(Caller.Of(context).User, Text(body, "title"), Text(body, "description"), body["process"]!.ToJsonString(),
            Text(body, "plan"), Budget(body), Snapshot(user), cancellationToken);
        context.Response.Headers.Location = $"{Base(context)}{OpenEoApi.Root}/jobs/{job.Id}";
        context.Response.Headers["OpenEO-Identifier"] = job.Id;
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext context, DbJobStore jobs, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var list = new JsonArray();
        foreach (var job in await jobs.ListAsync(Caller.Of(context).Visibility, 1000, cancellationToken))
        {
            list.Add(Summary(job, await TaskOfAsync(job, tasks, cancellationToken)));
        }
        return Json(new JsonObject { ["jobs"] = list, ["links"] = new JsonArray() });
    }

    private static async Task<IResult> DescribeAsync(HttpContext context, string job_id, DbJobStore jobs, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobs, job_id, cancellationToken);
        var document = Summary(job, await TaskOfAsync(job, tasks, cancellationToken));
        document["process"] = JsonNode.Parse(job.Process);
        if (job.Plan is not null)
        {
            document["plan"] = job.Plan;
        }
        if (job.Budget is not null)
        {
            document["budget"] = job.Budget;
        }
        return Json(document);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string job_id, DbJobStore jobs, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobs, job_id, cancellationToken);
        if (StatusOf(await TaskOfAsync(job, tasks, cancellationToken)) is "queued" or "running")
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "JobLocked", $"job '{job.Id}' is queued or running: cancel it first");
        }
        var body = await BodyAsync(context, cancellationToken);
        var userProcesses = job.UserProcesses;
        if (body["process"] is { } process)
        {
            userProcesses = Snapshot((await OpenEoProcessGraphs.ReadGraphAsync(context, jobs, process, cancellationToken)).User);
        }
        await jobs.UpdateAsync(job with
        {
            UserProcesses = userProcesses,
            Title = body.ContainsKey("title") ? Text(body, "title") : job.Title,
            Description = body.ContainsKey("description") ? Text(body, "description") : job.Description,
            Process = body["process"]?.ToJsonString() ?? job.Process,
            Plan = body.ContainsKey("plan") ? Text(body, "plan") : job.Plan,
            Budget = body.ContainsKey("budget") ? Budget(body) : job.Budget,
        }, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string job_id, DbJobStore jobs, ITaskStore tasks, CoverageCache coverages,
        CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobs, job_id, cancellationToken);
        coverages.Forget(OgcMaps.CacheKeyPrefix(job.Id));
        if (job.TaskId is { } task)
        {
            await tasks.RequestCancelAsync(task, cancellationToken);
        }
        await jobs.DeleteAsync(job.Id, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> StartAsync(HttpContext context, string job_id, DbJobStore jobs, ITaskStore tasks, TaskSignal signal,
        CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobs, job_id, cancellationToken);
        if (StatusOf(await TaskOfAsync(job, tasks, cancellationToken)) is "queued" or "running")
        {
            return Results.Accepted(); // already on its way: the request changes nothing
        }
        var task = await tasks.CreateAsync(new NewTask(job.Title is { Length: > 0 } title ? $"openEO job {title}" : $"openEO job {job.Id}", CatalogTaskTypes.OpenEoJob,
            job.Owner, "{}", ParametersJson: new JsonObject { ["job"] = job.Id }.ToJsonString()), cancellationToken);
        await jobs.ClearLogsAsync(job.Id, cancellationToken);
        await jobs.SetTaskAsync(job.Id, task.Id, cancellationToken);
        await jobs.LogAsync(job.Id, "info", $"queued as task {task.Id}", cancellationToken);
        signal.Notify();
        return Results.Accepted();
    }

    private static async Task<IResult> CancelAsync(HttpContext context, string job_id, DbJobStore jobs, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobs, job_id, cancellationToken);
        if (job.TaskId is { } task && StatusOf(await tasks.GetAsync(task, cancellationToken)) is "queued" or "running")
        {
            await tasks.RequestCancelAsync(task, cancellationToken);
            await jobs.LogAsync(job.Id, "warning", "cancelled on request", cancellationToken);
        }
        return Results.NoContent();
    }

    private static async Task<IResult> LogsAsync(HttpContext context, string job_id, DbJobStore jobs, CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobs, job_id, cancellationToken);
        return await OpenEoLogs.AnswerAsync(context, (after, limit) => jobs.LogsAsync(job.Id, after, limit, cancellationToken));
    }

    /// <summary>
    /// What a run of the job would take: its graph is read and its scenes loaded (they are brought to the server now,
    /// where the run then finds them), then the result's size is worked out; no pixel is computed. No costs are charged.
    /// A graph calling Tessera's operations is read up to the first of them, which an estimate does not run: its size is
    /// left out.
    /// </summary>
    private static async Task<IResult> EstimateAsync(HttpContext context, string job_id, DbJobStore jobs, Tessera.Host.ServiceParts parts,
        Tessera.Host.ServiceOptions options, CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobs, job_id, cancellationToken);
        var graph = Tessera.Processing.Graphs.UserDefined.UserProcessExpander.Prepare(
            Tessera.Processing.Graphs.GraphParser.ParseProcess(JsonNode.Parse(job.Process)),
            Tessera.Processing.Graphs.UserDefined.UserProcesses.FromSnapshot(job.UserProcesses));
        var folder = Directory.CreateDirectory(Path.Combine(options.DataFolder, "work", "openeo")).FullName;
        using var evaluator = new Tessera.Processing.Graphs.Evaluation.GraphEvaluator(
            new CatalogSceneSource(parts.Catalog, parts.Assets, Caller.Of(context).Visibility), workFolder: folder) { DeferOperations = true };
        Tessera.Processing.Graphs.Evaluation.SavedResult saved;
        try
        {
            saved = await evaluator.RunAsync(graph, cancellationToken);
        }
        catch (Tessera.Processing.Graphs.Evaluation.OperationDeferredException)
        {
            return Json(new JsonObject { ["costs"] = 0, ["downloads_included"] = null });
        }
        Tessera.Processing.Graphs.Evaluation.ResultWriter.Check(saved, graph.ResultNode);
        var (_, bytes, _) = Tessera.Processing.Graphs.Evaluation.ResultWriter.Estimate(saved);
        return Json(new JsonObject { ["costs"] = 0, ["size"] = bytes, ["downloads_included"] = null });
    }

    private static async Task<IResult> ResultsAsync(HttpContext context, string job_id, DbJobStore jobs, ITaskStore tasks,
        Tessera.Catalog.Files.FileStore files, ResultLinks links, CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobs, job_id, cancellationToken);
        var task = await TaskOfAsync(job, tasks, cancellationToken);
        if (StatusOf(task) != "finished" || task?.Result is not { } result)
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "JobNotFinished", $"job '{job.Id}' is {StatusOf(task)}, not finished");
        }
        var file = await files.GetAsync(result.OutputFileId, null, cancellationToken)
            ?? throw new OpenEoException(StatusCodes.Status410Gone, "ResultsExpired", $"the results of job '{job.Id}' are gone");
        var name = Tessera.Host.OpenEo.JobTaskHandler.ResultFileOf(file);
        var (href, expires) = links.Sign(Base(context), job.Id, name, DateTimeOffset.UtcNow);
        var box = file.LonLatBounds;
        var item = new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = StacItems.Version,
            ["stac_extensions"] = new JsonArray(),
            ["id"] = job.Id,
            ["geometry"] = box is { } g ? StacItems.Polygon(g.MinX, g.MinY, g.MaxX, g.MaxY) : null,
            ["properties"] = new JsonObject
            {
                ["datetime"] = (task.UpdatedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["title"] = job.Title,
                ["description"] = job.Description,
            },
            ["assets"] = new JsonObject
            {
                [name] = new JsonObject
                {
                    ["href"] = href,
                    ["type"] = Tessera.Processing.Graphs.Evaluation.ResultWriter.MediaTypeOfFile(name),
                    ["roles"] = new JsonArray("data"),
                    ["title"] = "The saved result",
                    ["file:size"] = file.Size,
                    ["expires"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                },
            },
            ["links"] = new JsonArray(StacItems.Link("self", $"{Base(context)}{OpenEoApi.Root}/jobs/{job.Id}/results", "application/geo+json")),
        };
        if (OgcMaps.Serves(file))
        {
            // The result for map clients too (web-map-links: WMTS; and WCS 2.0), signed as the download is and expiring with it.
            // Its XYZ tiles ({prefix}/xyz/{z}/{x}/{y}.png) are not linked: a template is not the URI a link's href must be.
            var maps = OgcMaps.JobPrefix(Base(context), job.Id, links, expires);
            item["stac_extensions"]!.AsArray().Add("https://stac-extensions.github.io/web-map-links/v1.2.0/schema.json");
            var wmts = StacItems.Link("wmts", maps + "/wmts", "application/xml", "The result through WMTS (KVP)");
            wmts["wmts:layer"] = job.Id;
            item["links"]!.AsArray().Add(wmts);
            item["links"]!.AsArray().Add(StacItems.Link("alternate", maps + "/wcs?SERVICE=WCS&REQUEST=GetCapabilities&VERSION=2.0.1", "application/xml",
                $"The result through WCS 2.0.1 (coverage {job.Id})"));
        }
        if (box is { } b)
        {
            item["bbox"] = new JsonArray(b.MinX, b.MinY, b.MaxX, b.MaxY);
        }
        return Results.Text(item.ToJsonString(), "application/geo+json", Encoding.UTF8);
    }

    /// <summary>A result file through a signed link (no Authorization header): its signature and expiry checked first.</summary>
    private static async Task<IResult> DownloadAsync(HttpContext context, string job_id, string file, DbJobStore jobs, ITaskStore tasks,
        Tessera.Catalog.Files.FileStore files, ResultLinks links, CancellationToken cancellationToken)
    {
        if (!links.Verify(job_id, file, context.Request.Query["expires"], context.Request.Query["signature"], DateTimeOffset.UtcNow))
        {
            throw new OpenEoException(StatusCodes.Status403Forbidden, "CredentialsInvalid", "the link is not signed by this server, or it has expired: list the job's results again");
        }
        var job = await jobs.GetAsync(job_id, null, cancellationToken);
        var task = job is null ? null : await TaskOfAsync(job, tasks, cancellationToken);
        var stored = task?.Result is { } result ? await files.GetAsync(result.OutputFileId, null, cancellationToken) : null;
        if (stored is null || file != Tessera.Host.OpenEo.JobTaskHandler.ResultFileOf(stored))
        {
            throw new OpenEoException(StatusCodes.Status404NotFound, "NotFound", $"job '{job_id}' has no result '{file}'");
        }
        var path = await files.PathOfAsync(stored.Id, null, cancellationToken);
        return Results.File(path, Tessera.Processing.Graphs.Evaluation.ResultWriter.MediaTypeOfFile(file), $"{job_id}{Path.GetExtension(file)}", enableRangeProcessing: true);
    }
}
