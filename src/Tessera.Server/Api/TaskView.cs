using System.Text.Json;
using Tessera.Processing.Operations;
using Tessera.Tasks;

namespace Tessera.Server.Api;

/// <summary>A task as the API shows it: the seed's numbers with their names, inputs and parameters as JSON,
/// result with its download link, and (in the detail) the status history and the attempts (one per claim by a worker);
/// <c>Warnings</c>: what the caller was told when the task was added.</summary>
public sealed record TaskView(
    long Id,
    string Name,
    int Type,
    string TypeName,
    int Status,
    string StatusName,
    string Owner,
    JsonElement Inputs,
    string? OutputFolder,
    string? OutputName,
    JsonElement Parameters,
    string? ErrorMessage,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    TaskProgress? Progress,
    ResultView? Result,
    IReadOnlyList<HistoryView>? History,
    IReadOnlyList<TaskAttempt>? AttemptHistory,
    IReadOnlyList<string>? Warnings)
{
    /// <summary>The task's log (claims, stages and their durations, what the processing said, failures), in its detail only.</summary>
    public IReadOnlyList<TaskLogLine>? Log { get; init; }

    public static TaskView Of(ProcessingTask t, IReadOnlyList<StatusChange>? history = null, IReadOnlyList<TaskAttempt>? attempts = null) => new(
        t.Id, t.Name, (int)t.Type, Tessera.Host.Catalog.CatalogTaskTypes.NameOf(t.Type.Number), (int)t.Status, t.Status.SeedName(), t.Owner,
        Parse(t.InputsJson), t.OutputFolder, t.OutputName, Parse(t.ParametersJson), t.ErrorMessage, t.Attempts,
        t.CreatedAt, t.UpdatedAt, t.Progress,
        ResultOf(t),
        history?.Select(h => new HistoryView((int)h.To, h.To.SeedName(), h.At, h.From is { } f ? (int)f : null, h.From?.SeedName(),
            h.Attempt, h.ErrorMessage, h.Actor)).ToList(),
        attempts,
        t.Warnings?.Split('\n'));

    /// <summary>A published task's result, as its type's definition says it is (a table, a report kept beside it).</summary>
    private static ResultView? ResultOf(ProcessingTask t) => t.Result is not { } r ? null
        : OperationCatalog.Find(t.Type.Number) is { } o ? ResultView.Of(r, o.Output == OutputKind.Table, o.Reports)
        : ResultView.Of(r);

    private static JsonElement Parse(string json) => JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json).RootElement.Clone();
}

/// <summary>A published task's result: its file, where to see and fetch it, and its footprint (west, south, east, north).
/// A table (zonal statistics) has only its download.</summary>
public sealed record ResultView(long OutputFileId, string? PreviewUrl, string? LegendUrl, string? TileUrl, string? TileJsonUrl, string DownloadUrl,
    double[]? Bounds, string Kind)
{
    /// <summary>The processing report kept beside the result (its quality, the cloud replaced), when its type keeps one.</summary>
    public string? ReportUrl { get; init; }

    public static ResultView Of(TaskResult result, bool table = false, bool reports = false)
    {
        var urls = TilesApi.Urls(result.OutputFileId);
        var bounds = table ? null : ParseBounds(result.Bounds);
        return new ResultView(result.OutputFileId, table ? null : urls.Preview, table ? null : urls.Legend, bounds is null ? null : urls.TileTemplate,
            bounds is null ? null : urls.TileJson, $"/files/{result.OutputFileId}/download", bounds, table ? "table" : "raster")
        {
            ReportUrl = reports ? $"/files/{result.OutputFileId}/report.json" : null,
        };
    }

    private static double[]? ParseBounds(string? bounds) =>
        bounds?.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>One status change: the status entered (number and seed name), when, and from which status.</summary>
public sealed record HistoryView(int Status, string StatusName, DateTimeOffset At, int? From, string? FromName, int Attempt,
    string? ErrorMessage, string Actor);
