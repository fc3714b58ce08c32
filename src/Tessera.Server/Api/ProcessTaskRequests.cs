using System.Text.Json;

namespace Tessera.Server.Api;

/// <summary>
/// POST /processtask/addTask: <c>{"name", "type", "inputs": [{"role", "fileId", "band"}], "outputPath", "outputName",
/// "params"}</c>. Also accepted: <c>inputs</c> as an object (role → {"fileId", "band"}), <c>outputFolder</c> for
/// <c>outputPath</c> and <c>parameters</c> for <c>params</c>.
/// </summary>
public sealed record AddTaskRequest(string? Name, int? Type, JsonElement Inputs, string? OutputPath, string? OutputFolder, string? OutputName,
    JsonElement? Params, JsonElement? Parameters);

/// <summary>POST /processtask/query/page. Pages count from 1; filters are optional; <paramref name="Sort"/> is
/// "createdAt" or "updatedAt", with ",asc" or ",desc" (default "createdAt,desc").</summary>
public sealed record TaskPageRequest(int PageNum = 1, int PageSize = 20, int? Status = null, int? Type = null, string? Name = null,
    DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null, string? Sort = null);

/// <summary>POST /processtask/query/file/bandInfo.</summary>
public sealed record BandInfoRequest(long FileId);

/// <summary>POST /processtask/retry.</summary>
public sealed record RetryRequest(long TaskId);

/// <summary>A page of tasks as the seed's list query returns it.</summary>
public sealed record TaskPageView(IReadOnlyList<TaskView> Records, long Total, int PageNum, int PageSize);

/// <summary>POST /processtask/restart: retry the caller's failed tasks, named by id or all of one failed status.</summary>
public sealed record RestartRequest(IReadOnlyList<long>? TaskIds = null, int? Status = null);

/// <summary>POST /processtask/cleanup: delete the caller's finished tasks last changed more than N days ago and the result
/// files no task uses any more; with <c>dryRun</c>, only say what that would remove.</summary>
public sealed record CleanupRequest(double OlderThanDays, bool DryRun = false);
