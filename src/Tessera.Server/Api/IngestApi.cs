using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Catalog.Scenes;
using Tessera.Host.Catalog;
using Tessera.Host.Ingest;
using Tessera.Server.Access;
using Tessera.Tasks;
using Tessera.Tasks.Ingest;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Server.Api;

/// <summary>
/// The Geocube ingester over the catalog. <c>POST /ingest</c> takes an area of interest (<c>aoi</c>: GeoJSON), a time
/// interval (<c>start</c>, <c>end</c>, both included), catalog filters (<c>collections</c>, <c>cloud</c>) and the
/// processing of each scene (<c>operation</c>: a task type, its inputs as asset keys by role, its <c>params</c>, checked
/// as <c>addTask</c> checks them); the scenes found are placed on a common grid (<see cref="IngestPlan"/>) and each gets a
/// download task and a processing task that takes its input from that download and waits for the tile's previous and
/// reference dates (done or failed). <c>GET /ingest/{id}</c> gives the graph: every task with its tile, date, step,
/// status and prerequisites, in the ingester's states (NEW: waiting for prerequisites; PENDING: may run or runs; DONE;
/// RETRY: given back to run again; FAILED) with their counts. <c>POST /ingest/{id}/retry</c> retries its failed tasks.
/// </summary>
public static class IngestApi
{
    private static readonly string[] Fields = ["name", "aoi", "start", "end", "collections", "cloud", "operation", "compare"];
    private static readonly string[] Comparisons = ["difference", "normalise"];
    private static readonly string[] OperationFields = ["type", "inputs", "params", "process", "chain"];
    private const int MaxScenes = 500;

    public static void MapIngestApi(this WebApplication app)
    {
        app.MapPost("/ingest", IngestAsync).RequireRole(Role.Write);
        app.MapGet("/ingest", ListAsync).RequireRole(Role.Read);
        app.MapGet("/ingest/{id:long}", GraphAsync).RequireRole(Role.Read);
        app.MapPost("/ingest/{id:long}/retry", RetryAsync).RequireRole(Role.Write);
    }

    private static async Task<IResult> IngestAsync(HttpContext context, Tessera.Host.ServiceParts parts, ITaskStore tasks, TaskSignal signal,
        CancellationToken cancellationToken)
    {
        var body = await JsonBodies.ObjectAsync(context, cancellationToken);
        foreach (var (key, _) in body)
        {
            if (!Fields.Contains(key))
            {
                throw new ApiErrors.BadRequestException($"'{key}' is not a field of an ingestion (known: {string.Join(", ", Fields)})");
            }
        }
        var caller = Caller.Of(context);
        var aoi = body["aoi"] as JsonObject ?? throw new ApiErrors.BadRequestException("aoi: give the area of interest as GeoJSON");
        using var area = Area(aoi);
        var start = Time(body, "start") ?? throw new ApiErrors.BadRequestException("start: give the first day or time");
        var end = Time(body, "end") ?? throw new ApiErrors.BadRequestException("end: give the last day or time");
        if (body["end"]!.ToString().Length == 10)
        {
            end = end.AddDays(1).AddMilliseconds(-1); // a day given: all of it
        }
        var collections = body["collections"] is JsonArray c && c.Count > 0 && c.All(i => i is JsonValue v && v.TryGetValue<string>(out _))
            ? c.Select(i => i!.GetValue<string>()).ToList() : throw new ApiErrors.BadRequestException("collections: give a list of collection ids");
        var cloud = body["cloud"] is null ? 100 : body["cloud"] is JsonValue cv && cv.TryGetValue<double>(out var cc) && cc is >= 0 and <= 100 ? cc
            : throw new ApiErrors.BadRequestException("cloud: a number from 0 to 100");
        var operation = body["operation"] as JsonObject ?? throw new ApiErrors.BadRequestException("operation: give {type, inputs, params}");
        foreach (var (key, _) in operation)
        {
            if (!OperationFields.Contains(key))
            {
                throw new ApiErrors.BadRequestException($"operation: '{key}' is not a field (known: {string.Join(", ", OperationFields)})");
            }
        }
        // The processing: an openEO process (its graph run as a batch job per scene), or a Tessera operation.
        var process = operation["process"];
        string? userProcesses = null;
        var type = 0;
        Dictionary<string, string> roles = [];
        IReadOnlyList<Tessera.Host.Radcor.RadcorStep>? chain = null;
        if (operation["chain"] is { } steps)
        {
            if (operation.Count > 1)
            {
                throw new ApiErrors.BadRequestException("operation: give a chain alone (the collection builder's steps), without type, inputs, params or process");
            }
            try
            {
                chain = Tessera.Host.Radcor.RadcorStep.Parse(steps, "operation.chain");
            }
            catch (Tessera.Host.Radcor.RadcorException e)
            {
                throw new ApiErrors.BadRequestException(e.Message);
            }
            if (chain.Any(s => s.Type == Tessera.Host.Radcor.RadcorStep.Download))
            {
                throw new ApiErrors.BadRequestException("operation.chain: the ingestion downloads each scene itself: start the chain with a correction, harmonization, publish or post");
            }
            if (body["compare"] is not null)
            {
                throw new ApiErrors.BadRequestException("compare: a chain writes catalog items, not results to compare: give an operation or an openEO process");
            }
        }
        else if (process is not null)
        {
            if (operation.Count > 1)
            {
                throw new ApiErrors.BadRequestException("operation: give an openEO process, or a type with its inputs and params, not both");
            }
            var (graph, user) = await Tessera.Server.OpenEo.OpenEoProcessGraphs.ReadGraphAsync(context, parts.Jobs, process, cancellationToken);
            if (!graph.Nodes.Values.Any(n => n.ProcessId == "load_collection"))
            {
                throw new ApiErrors.BadRequestException("operation.process: its graph loads no collection (load_collection): it would not read the scenes");
            }
            userProcesses = user.Count == 0 ? null : user.ToSnapshot();
        }
        else
        {
            type = operation["type"] is JsonValue t && t.TryGetValue<int>(out var number) ? number : throw new ApiErrors.BadRequestException("operation.type: a task type number");
            roles = operation["inputs"] is JsonObject inputs && inputs.Count > 0 && inputs.All(p => p.Value is JsonValue v && v.TryGetValue<string>(out _))
                ? inputs.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
                : throw new ApiErrors.BadRequestException("operation.inputs: give the asset key of each input role ({\"nir\": \"B08\", ...}), or an openEO process");
        }

        var compare = body["compare"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var text) && Comparisons.Contains(text == "normalize" ? "normalise" : text) => text == "normalize" ? "normalise" : text,
            _ => throw new ApiErrors.BadRequestException($"compare: give {string.Join(" or ", Comparisons)}"),
        };

        var page = await parts.Catalog.SearchAsync(new ItemSearch(collections, Intersects: area, From: start, To: end,
            Query: [new PropertyFilter("eo:cloud_cover", QueryOperator.Lte, JsonValue.Create(cloud))], Limit: MaxScenes + 1, Visibility: caller.Visibility,
            SortBy: [new SortField("datetime")]), cancellationToken);
        if (page.Items.Count > MaxScenes)
        {
            throw new ApiErrors.BadRequestException($"more than {MaxScenes} scenes meet the area, times and filters: ingest a smaller area or interval");
        }
        if (page.Items.Count == 0)
        {
            throw new ApiErrors.BadRequestException("no scene meets the area, times and filters");
        }
        var plan = IngestPlan.Of(page.Items);
        // Every processing task checked before any is queued.
        var processing = new List<NewTask>();
        foreach (var scene in plan.Where(_ => process is null && chain is null))
        {
            var inputsJson = JsonSerializer.SerializeToElement(roles.ToDictionary(r => r.Key,
                r => new Dictionary<string, string> { ["item"] = $"{scene.Item.Collection}/{scene.Item.Id}", ["asset"] = r.Value }));
            var request = new AddTaskRequest($"{scene.Tile} {scene.Date}", type, inputsJson, null, null, null,
                operation["params"] is { } p ? JsonSerializer.SerializeToElement(p) : null, null);
            try
            {
                processing.Add((await TaskValidation.CheckAsync(request, caller.User, parts.Files, parts.Assets, cancellationToken)).Task);
            }
            catch (Exception e) when (e is ApiErrors.BadRequestException or Tessera.Host.Requests.TaskRequestException
                or Tessera.Processing.Operations.OperationRequestException)
            {
                throw new ApiErrors.BadRequestException($"operation, scene {scene.Item.Collection}/{scene.Item.Id}: {e.Message}");
            }
        }
        var name = body["name"]?.ToString() ?? $"ingestion of {plan.Count} scenes";
        var id = await parts.Ingestions.CreateAsync(caller.User, name, body.ToJsonString(), cancellationToken);
        var processIds = new long[plan.Count];
        var compared = 0;
        var chained = 0;
        for (var i = 0; i < plan.Count; i++)
        {
            var scene = plan[i];
            var reference = $"{scene.Item.Collection}/{scene.Item.Id}";
            var download = await tasks.CreateAsync(new NewTask($"download {reference} ({name})", CatalogTaskTypes.Download, caller.User, "{}",
                ParametersJson: new DownloadParameters(reference, process is null && chain is null ? roles.Values.Distinct().ToList() : null, null, null).ToJson().ToJsonString()),
                cancellationToken);
            List<TaskDependency> after = [new(download.Id, TaskDependency.Input)];
            if (scene.Previous is { } previous)
            {
                after.Add(new TaskDependency(processIds[previous], "previous"));
            }
            if (scene.Reference is { } first)
            {
                after.Add(new TaskDependency(processIds[first], "reference"));
            }
            await parts.Ingestions.AddTaskAsync(id, new IngestionTask(download.Id, scene.Tile, scene.Date, reference, "download"), cancellationToken);
            if (chain is not null)
            {
                // The collection builder's steps on the scene; the tile's next date waits for the last of them.
                var dispatch = new Tessera.Host.Radcor.RadcorDispatch(parts.Catalog, tasks, parts.Ingestions);
                var made = new List<Tessera.Host.Radcor.RadcorActivity>();
                foreach (var root in chain)
                {
                    made.AddRange(await dispatch.ChainAsync(root, scene.Item, caller.User, scene.Item.Collection, after, cancellationToken));
                }
                foreach (var activity in made)
                {
                    await parts.Ingestions.AddTaskAsync(id, new IngestionTask(activity.Id, scene.Tile, scene.Date, reference, activity.Type, activity.Collection),
                        cancellationToken);
                }
                processIds[i] = made[^1].Id;
                chained += made.Count;
                continue;
            }
            var processed = process is null
                ? await tasks.CreateAsync(processing[i] with { Name = $"{processing[i].Name} ({name})", After = after }, cancellationToken)
                : await JobOfSceneAsync(parts.Jobs, tasks, process, userProcesses, scene, caller.User, $"{scene.Tile} {scene.Date} ({name})", after, cancellationToken);
            processIds[i] = processed.Id;
            await parts.Ingestions.AddTaskAsync(id, new IngestionTask(processed.Id, scene.Tile, scene.Date, reference, "process"), cancellationToken);
            // Built-in uses of the previous and reference dates: each date's result compared with its tile's previous one, or
            // normalised to its tile's first.
            if ((compare == "difference" ? scene.Previous : compare == "normalise" ? scene.Reference : null) is { } other)
            {
                var comparison = await tasks.CreateAsync(Comparison(compare!, processed.Id, processIds[other], caller.User, $"{scene.Tile} {scene.Date} ({name})"),
                    cancellationToken);
                await parts.Ingestions.AddTaskAsync(id, new IngestionTask(comparison.Id, scene.Tile, scene.Date, reference, compare!), cancellationToken);
                compared++;
            }
        }
        signal.Notify();
        return TypedResults.Created($"/ingest/{id}", ApiResponse<object>.Ok(new
        {
            id, scenes = plan.Count, tiles = plan.Select(s => s.Tile).Distinct().Order().ToList(), taskCount = plan.Count * (chain is null ? 2 : 1) + compared + chained,
        }));
    }

    /// <summary>
    /// An openEO batch job of the scene's own (listed with the caller's jobs): the process with every load_collection
    /// narrowed to the scene's footprint and day, run by a task that waits for the scene's download and its tile's
    /// previous and reference dates.
    /// </summary>
    private static async Task<ProcessingTask> JobOfSceneAsync(Tessera.Tasks.Jobs.DbJobStore jobs, ITaskStore tasks, JsonNode process, string? userProcesses,
        PlannedScene scene, string owner, string name, IReadOnlyList<TaskDependency> after, CancellationToken cancellationToken)
    {
        var narrowed = process.DeepClone();
        var box = scene.Item.Bbox ?? throw new ApiErrors.BadRequestException($"scene {scene.Item.Id} has no footprint to narrow the process to");
        var day = (scene.Item.DateTime ?? scene.Item.Start).UtcDateTime.Date;
        foreach (var (_, node) in narrowed["process_graph"] as JsonObject ?? [])
        {
            if (node?["process_id"]?.GetValue<string>() == "load_collection" && node["arguments"] is JsonObject arguments)
            {
                arguments["spatial_extent"] = new JsonObject { ["west"] = box.MinX, ["south"] = box.MinY, ["east"] = box.MaxX, ["north"] = box.MaxY };
                arguments["temporal_extent"] = new JsonArray(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }
        var job = await jobs.CreateAsync(owner, $"{name}", $"scene {scene.Item.Collection}/{scene.Item.Id}", narrowed.ToJsonString(), null, null, userProcesses,
            cancellationToken);
        var task = await tasks.CreateAsync(new NewTask($"openEO job {name}", CatalogTaskTypes.OpenEoJob, owner, "{}",
            ParametersJson: new JsonObject { ["job"] = job.Id }.ToJsonString(), After: after), cancellationToken);
        await jobs.SetTaskAsync(job.Id, task.Id, cancellationToken);
        await jobs.LogAsync(job.Id, "info", $"queued as task {task.Id} (ingestion)", cancellationToken);
        return task;
    }

    /// <summary>
    /// A date's result against another's on the same tile, both tasks' results as inputs (it waits for them): the difference
    /// from the previous date (<c>now - before</c>, on the first band, BAND_MATH), or the radiometric normalisation of the
    /// whole result to the tile's first date (NORMALIZE).
    /// </summary>
    private static NewTask Comparison(string compare, long now, long other, string owner, string name) => compare == "difference"
        ? new NewTask($"difference {name}", new TaskType(15), owner,
            JsonSerializer.Serialize(new { now = new { task = now, band = 1 }, before = new { task = other, band = 1 } }),
            ParametersJson: """{"formula": "now - before", "description": "difference from the previous date"}""",
            After: [new TaskDependency(now, TaskDependency.Input), new TaskDependency(other, TaskDependency.Input)])
        : new NewTask($"normalise {name}", new TaskType(34), owner,
            JsonSerializer.Serialize(new { image = new { task = now }, reference = new { task = other } }),
            After: [new TaskDependency(now, TaskDependency.Input), new TaskDependency(other, TaskDependency.Input)]);

    /// <summary>The caller's ingestions (and the collection builder's dispatches), newest first.</summary>
    private static async Task<IResult> ListAsync(HttpContext context, Tessera.Host.ServiceParts parts, CancellationToken cancellationToken) =>
        TypedResults.Ok(ApiResponse<object>.Ok((await parts.Ingestions.ListAsync(Caller.Of(context).Visibility, cancellationToken))
            .Select(i => new { i.Id, i.Name, i.Owner, i.CreatedAt }).ToList()));

    private static async Task<IResult> GraphAsync(HttpContext context, long id, Tessera.Host.ServiceParts parts, ITaskStore tasks,
        CancellationToken cancellationToken)
    {
        var ingestion = await parts.Ingestions.GetAsync(id, Caller.Of(context).Visibility, cancellationToken)
            ?? throw new ApiErrors.NotFoundException($"ingestion {id} does not exist");
        var rows = await parts.Ingestions.TasksAsync(id, cancellationToken);
        var statuses = new Dictionary<long, ProcessingTask?>();
        foreach (var row in rows)
        {
            statuses[row.TaskId] = await tasks.GetAsync(row.TaskId, cancellationToken);
        }
        var nodes = new List<object>();
        var counts = States.ToDictionary(s => s, _ => 0);
        foreach (var row in rows)
        {
            var task = statuses[row.TaskId];
            var after = await tasks.DependenciesAsync(row.TaskId, cancellationToken);
            var state = StateOf(task, after, statuses);
            counts[state]++;
            nodes.Add(new
            {
                taskId = row.TaskId, row.Tile, row.Date, row.Scene, row.Step, state,
                status = task?.Status.SeedName(), after = after.Select(a => new { taskId = a.TaskId, kind = a.Kind }),
            });
        }
        return TypedResults.Ok(ApiResponse<object>.Ok(new { ingestion.Id, ingestion.Name, ingestion.CreatedAt, summary = counts, tasks = nodes }));
    }

    private static async Task<IResult> RetryAsync(HttpContext context, long id, Tessera.Host.ServiceParts parts, ITaskStore tasks, TaskSignal signal,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Of(context);
        _ = await parts.Ingestions.GetAsync(id, caller.Visibility, cancellationToken) ?? throw new ApiErrors.NotFoundException($"ingestion {id} does not exist");
        var retried = new List<long>();
        foreach (var row in await parts.Ingestions.TasksAsync(id, cancellationToken))
        {
            if (await tasks.GetAsync(row.TaskId, cancellationToken) is { } task && task.Status.IsFailed())
            {
                await tasks.RetryAsync(task.Id, caller.User, cancellationToken);
                retried.Add(task.Id);
            }
        }
        signal.Notify();
        return TypedResults.Ok(ApiResponse<object>.Ok(new { retried }));
    }

    /// <summary>The ingester's states, in order.</summary>
    private static readonly string[] States = ["NEW", "PENDING", "DONE", "RETRY", "FAILED"];

    /// <summary>A task's state in the ingester's terms, a view over the task's status and its prerequisites'.</summary>
    private static string StateOf(ProcessingTask? task, IReadOnlyList<TaskDependency> after, IReadOnlyDictionary<long, ProcessingTask?> known)
    {
        if (task is null)
        {
            return "FAILED"; // removed
        }
        if (task.Status == TaskStatus.PublishCompleted)
        {
            return "DONE";
        }
        if (task.Status.IsFailed())
        {
            return "FAILED";
        }
        if (task.Status != TaskStatus.NotStarted)
        {
            return "PENDING";
        }
        var waiting = after.Any(d => known.GetValueOrDefault(d.TaskId) is { } p
            && (d.Kind == TaskDependency.Input ? p.Status != TaskStatus.PublishCompleted : p.Status != TaskStatus.PublishCompleted && !p.Status.IsFailed()));
        return waiting ? "NEW" : task.Attempts > 0 ? "RETRY" : "PENDING";
    }

    private static Tessera.Raster.Features.GeoJsonGeometry Area(JsonObject aoi)
    {
        var geometry = aoi["type"]?.ToString() switch
        {
            "Feature" => aoi["geometry"] as JsonObject,
            "FeatureCollection" => (aoi["features"] as JsonArray)?.Count == 1 ? aoi["features"]![0]?["geometry"] as JsonObject : null,
            _ => aoi,
        } ?? throw new ApiErrors.BadRequestException("aoi: a GeoJSON geometry, a Feature, or a FeatureCollection of one feature");
        try
        {
            return Tessera.Raster.Features.GeoJsonGeometry.Parse(geometry.ToJsonString());
        }
        catch (Tessera.Raster.RasterException e)
        {
            throw new ApiErrors.BadRequestException($"aoi: not a GeoJSON geometry ({e.Message})");
        }
    }

    private static DateTimeOffset? Time(JsonObject body, string key) => body[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) => time,
        _ => throw new ApiErrors.BadRequestException($"{key}: a date or an RFC 3339 time"),
    };
}
