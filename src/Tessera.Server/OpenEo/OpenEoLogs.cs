using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tessera.Tasks.Jobs;

namespace Tessera.Server.OpenEo;

/// <summary>
/// A job's or a service's logs as openEO answers them: <c>offset</c> (the id of the last entry seen), <c>limit</c> (at
/// most 10,000) and <c>level</c> (the least level shown: <c>debug info warning error</c>) read from the query, the entries
/// as <c>{id, level, message, time}</c>.
/// </summary>
internal static class OpenEoLogs
{
    public static async Task<IResult> AnswerAsync(HttpContext context, Func<long, int, Task<IReadOnlyList<JobLogEntry>>> read)
    {
        var query = context.Request.Query;
        var after = long.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, 10_000) : 10_000;
        var levels = WebService.LogLevels.ToList();
        var least = query["level"].ToString() is { Length: > 0 } level
            ? levels.Contains(level) ? levels.IndexOf(level)
                : throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"level: give one of {string.Join(", ", levels)}")
            : 0;
        var logs = new JsonArray();
        foreach (var entry in await read(after, limit))
        {
            if (levels.IndexOf(entry.Level) < least)
            {
                continue;
            }
            logs.Add(new JsonObject
            {
                ["id"] = entry.Sequence.ToString(CultureInfo.InvariantCulture),
                ["level"] = entry.Level,
                ["message"] = entry.Message,
                ["time"] = entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            });
        }
        return Results.Text(new JsonObject { ["logs"] = logs, ["links"] = new JsonArray() }.ToJsonString(), "application/json", System.Text.Encoding.UTF8);
    }
}
