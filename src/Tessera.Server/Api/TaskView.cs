using System.Text.Json;
using Tessera.Tasks;

namespace Tessera.Server.Api;

/// <summary>A task as the API shows it: the seed's numbers with their names, inputs and parameters as JSON,
/// result with its download link, and (in the detail) the status history.</summary>
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
    IReadOnlyList<HistoryView>? History)
{
    public static TaskView Of(ProcessingTask t, IReadOnlyList<StatusChange>? history = null) => new(
        t.Id, t.Name, (int)t.Type, t.Type.SeedName(), (int)t.Status, t.Status.SeedName(), t.Owner,
        Parse(t.InputsJson), t.OutputFolder, t.OutputName, Parse(t.ParametersJson), t.ErrorMessage, t.Attempts,
        t.CreatedAt, t.UpdatedAt, t.Progress,
        t.Result is { } r ? new ResultView(r.OutputFileId, r.Bounds, $"/files/{r.OutputFileId}/download") : null,
        history?.Select(h => new HistoryView(h.From is { } f ? (int)f : null, h.From?.SeedName(), (int)h.To, h.To.SeedName(),
            h.At, h.Attempt, h.ErrorMessage, h.Actor)).ToList());

    private static JsonElement Parse(string json) => JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json).RootElement.Clone();
}

public sealed record ResultView(long OutputFileId, string? Bounds, string DownloadUrl);

public sealed record HistoryView(int? From, string? FromName, int To, string ToName, DateTimeOffset At, int Attempt, string? ErrorMessage, string Actor);
