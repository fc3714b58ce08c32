using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Tessera.Catalog.Files;
using Tessera.Catalog;
using Tessera.Processing.Operations;
using Tessera.Host.Maintenance;
using Tessera.Raster.Info;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;
using Tessera.Host.Requests;
using Tessera.Tasks;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Server.Api;

/// <summary>The seed's task endpoints, with their paths verbatim, plus retry.</summary>
public static class ProcessTaskApi
{
    public static void MapProcessTaskApi(this WebApplication app)
    {
        app.MapPost("/processtask/query/file/bandInfo", BandInfo).RequireRole(Role.Read);
        app.MapPost("/processtask/addTask", AddTask).WithBodyLimit(BodyLimits.Task);
        app.MapGet("/processtask/query/task/detail", Detail);
        app.MapPost("/processtask/query/page", Page).RequireRole(Role.Read);
        app.MapDelete("/processtask/delete", Delete);
        app.MapPost("/processtask/retry", Retry);
        app.MapPost("/processtask/restart", Restart);
        app.MapPost("/processtask/cancel", Cancel);
        app.MapPost("/processtask/cleanup", Cleanup).RequireRole(Role.Admin);
        app.MapGet("/processtask/types", Types);
    }

    private static async Task<Ok<ApiResponse<RasterDescription>>> BandInfo(HttpContext context, BandInfoRequest request, FileStore files, CancellationToken cancellationToken)
    {
        var file = await files.GetAsync(request.FileId, Caller.Of(context).Visibility, cancellationToken) ?? throw new StoredFileNotFoundException(request.FileId);
        return TypedResults.Ok(ApiResponse<RasterDescription>.Ok(file.Raster
            ?? throw new ApiErrors.BadRequestException($"file {request.FileId} is a {file.Kind} ({file.Name}), not a raster: it has no bands")));
    }

    private static async Task<Ok<ApiResponse<object>>> AddTask(HttpContext context, AddTaskRequest request, ITaskStore tasks, FileStore files,
        TaskSignal signal, Tessera.Host.ServiceParts parts, Tessera.Host.ServiceOptions options, CancellationToken cancellationToken)
    {
        var (checkedTask, estimate, splittable) = await TaskValidation.CheckAsync(request, Caller.Of(context).User, files, parts.Assets, cancellationToken);
        foreach (var input in checkedTask.After ?? [])
        {
            if (await tasks.GetAsync(input.TaskId, cancellationToken) is not { } other || other.Owner != checkedTask.Owner)
            {
                throw new ApiErrors.BadRequestException($"inputs: task {input.TaskId} does not exist");
            }
        }
        var tiles = splittable is null ? [] : TaskSplit.Tiles(splittable, options.SplitTile);
        // A result larger than one tile is computed tile by tile by any of the workers, then stitched by the task itself.
        var task = await tasks.CreateAsync(TaskSplit.Split(IdempotencyKeys.Apply(context.Request, checkedTask), tiles), cancellationToken);
        signal.Notify();
        // The estimate is the result's uncompressed size, from the inputs' headers. A disk without room for it is not the
        // caller's error: the task waits, given back, until there is room (a full disk is an outage, 503).
        var answer = new Dictionary<string, object> { ["taskId"] = task.Id, ["estimatedOutputBytes"] = estimate };
        if (tiles.Count > 0)
        {
            answer["parts"] = tiles.Count;
        }
        if (task.Warnings is { } warnings)
        {
            answer["warnings"] = warnings.Split('\n');
        }
        return TypedResults.Ok(ApiResponse<object>.Ok(answer));
    }

    private static async Task<Ok<ApiResponse<TaskView>>> Detail(HttpContext context, long? id, long? taskId, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var wanted = id ?? taskId ?? throw new ApiErrors.BadRequestException("id: required");
        var task = await Visible(context, wanted, tasks, cancellationToken);
        return TypedResults.Ok(ApiResponse<TaskView>.Ok(TaskView.Of(task, await tasks.HistoryAsync(wanted, cancellationToken),
            await tasks.AttemptsAsync(wanted, cancellationToken)) with { Log = await tasks.LogAsync(wanted, cancellationToken: cancellationToken) }));
    }

    private static async Task<Ok<ApiResponse<TaskPageView>>> Page(HttpContext context, TaskPageRequest request, ITaskStore tasks, CancellationToken cancellationToken)
    {
        if (request.PageNum < 1)
        {
            throw new ApiErrors.BadRequestException($"pageNum: {request.PageNum} is not 1 or more");
        }
        if (request.PageSize is < 1 or > 500)
        {
            throw new ApiErrors.BadRequestException($"pageSize: {request.PageSize} is not between 1 and 500");
        }
        if ((long)(request.PageNum - 1) * request.PageSize > int.MaxValue)
        {
            throw new ApiErrors.BadRequestException($"pageNum: page {request.PageNum} of {request.PageSize} is beyond any list");
        }
        if (request.Status is { } s && !Enum.IsDefined((TaskStatus)s))
        {
            throw new ApiErrors.BadRequestException($"status: {s} is not a task status (0..9)");
        }
        if (request.Type is { } t && OperationCatalog.Find(t) is null)
        {
            throw new ApiErrors.BadRequestException($"type: {t} is not a task type");
        }
        var sort = (request.Sort ?? "createdAt,desc").Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "createdat,desc" or "createdat" => TaskSort.CreatedDescending,
            "createdat,asc" => TaskSort.CreatedAscending,
            "updatedat,desc" or "updatedat" => TaskSort.UpdatedDescending,
            "updatedat,asc" => TaskSort.UpdatedAscending,
            _ => throw new ApiErrors.BadRequestException($"sort: '{request.Sort}' is not createdAt or updatedAt with ,asc or ,desc"),
        };
        var query = new TaskQuery(Caller.Of(context).Visibility, (TaskStatus?)request.Status, (TaskType?)request.Type, request.Name,
            request.CreatedFrom, request.CreatedTo, sort);
        var page = await tasks.ListAsync(query, (request.PageNum - 1) * request.PageSize, request.PageSize, cancellationToken);
        return TypedResults.Ok(ApiResponse<TaskPageView>.Ok(new TaskPageView(page.Items.Select(i => TaskView.Of(i)).ToList(), page.Total, request.PageNum, request.PageSize)));
    }

    private static async Task<Ok<ApiResponse<object>>> Delete(HttpContext context, long? id, long? taskId, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var wanted = id ?? taskId ?? throw new ApiErrors.BadRequestException("id: required");
        var task = await Visible(context, wanted, tasks, cancellationToken);
        if (!await tasks.DeleteNotStartedAsync(wanted, cancellationToken))
        {
            throw new TaskException($"task {wanted} is {task.Status.SeedName()}: only tasks that have not started can be deleted");
        }
        return TypedResults.Ok(ApiResponse<object>.Ok(new { taskId = wanted }));
    }

    private static async Task<Ok<ApiResponse<TaskView>>> Retry(HttpContext context, RetryRequest request, ITaskStore tasks, TaskSignal signal,
        CancellationToken cancellationToken)
    {
        await Visible(context, request.TaskId, tasks, cancellationToken);
        var retried = await tasks.RetryAsync(request.TaskId, Caller.Of(context).User, cancellationToken);
        signal.Notify();
        return TypedResults.Ok(ApiResponse<TaskView>.Ok(TaskView.Of(retried)));
    }

    private static async Task<Accepted<ApiResponse<object>>> Cancel(HttpContext context, RetryRequest request, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var task = await Visible(context, request.TaskId, tasks, cancellationToken);
        if (!await tasks.RequestCancelAsync(request.TaskId, cancellationToken))
        {
            throw new TaskException(task.Status == TaskStatus.NotStarted
                ? $"task {task.Id} has not started: delete it instead"
                : $"task {task.Id} is {task.Status.SeedName()}: only running tasks can be cancelled");
        }
        return TypedResults.Accepted($"/processtask/query/task/detail?taskId={task.Id}", ApiResponse<object>.Ok(new { taskId = task.Id }));
    }

    private static async Task<Ok<ApiResponse<object>>> Restart(HttpContext context, RestartRequest request, ITaskStore tasks, TaskSignal signal,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Of(context);
        IReadOnlyList<long> ids;
        if (request.TaskIds is { Count: > 0 } named)
        {
            ids = named;
        }
        else if (request.Status is { } s && ((TaskStatus)s).IsFailed())
        {
            var page = await tasks.ListAsync(new TaskQuery(caller.Visibility, (TaskStatus)s), 0, 10_000, cancellationToken);
            ids = page.Items.Select(t => t.Id).ToList();
        }
        else
        {
            throw new ApiErrors.BadRequestException("give taskIds, or a failed status: DOWNLOAD_FAILED 9, PROCESSING_FAILED 4, PUBLISH_FAILED 8");
        }
        var restarted = new List<long>();
        var skipped = new List<object>();
        foreach (var id in ids)
        {
            try
            {
                await Visible(context, id, tasks, cancellationToken);
                await tasks.RetryAsync(id, caller.User, cancellationToken);
                restarted.Add(id);
            }
            catch (TaskException e)
            {
                skipped.Add(new { taskId = id, reason = e.Message });
            }
        }
        if (restarted.Count > 0)
        {
            signal.Notify();
        }
        return TypedResults.Ok(ApiResponse<object>.Ok(new { restarted, skipped }));
    }

    private static async Task<Ok<ApiResponse<object>>> Cleanup(HttpContext context, CleanupRequest request, TaskCleanup cleanup, CancellationToken cancellationToken)
    {
        if (!(request.OlderThanDays >= 0))
        {
            throw new ApiErrors.BadRequestException("olderThanDays: 0 or more");
        }
        var report = await cleanup.RunAsync(TimeSpan.FromDays(request.OlderThanDays), Caller.Of(context).Visibility, cancellationToken, request.DryRun);
        return TypedResults.Ok(ApiResponse<object>.Ok(new
        {
            dryRun = report.DryRun,
            deleted = report.Tasks,
            removedFiles = report.Files.Select(f => new { f.Id, f.Name, f.Size, f.TaskId }),
            removedBytes = report.Bytes,
        }));
    }

    /// <summary>The task if the caller may see it; another owner's task is "not found", not "forbidden".</summary>
    private static Ok<ApiResponse<IReadOnlyList<TaskTypeView>>> Types() =>
        TypedResults.Ok(ApiResponse<IReadOnlyList<TaskTypeView>>.Ok(OperationCatalog.All.Select(TaskTypeView.Of).ToList()));

    private static async Task<ProcessingTask> Visible(HttpContext context, long taskId, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(taskId, cancellationToken);
        return task is not null && Caller.Of(context).MaySee(task.Owner) ? task : throw new TaskNotFoundException(taskId);
    }
}
