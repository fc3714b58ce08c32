using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera download</c> and <c>tessera copy</c>: geospaas_processing's download and copy commands, as clients of
/// the service. Both select the catalog's items by time (<c>-b</c>/<c>-e</c> dates, or with <c>-r</c> the last
/// <c>-b</c> hours), place (<c>-g</c>, WKT in longitude/latitude) and a query (<c>-q</c>, a JSON object of
/// <c>/stac/search</c> fields such as <c>collections</c> and <c>query</c>); a download has the service's workers bring
/// the items' files (<c>POST /catalog/download</c>), a copy takes those already on the server
/// (<c>POST /catalog/copy</c>); both deliver them to <c>-d</c>, a folder of the server, and wait until every task ends.
/// </summary>
internal static class DownloadCommand
{
    public static Command Create(CliContext context, bool copy)
    {
        var destination = new Option<string>("--destination_path", "-d")
        {
            Description = "Folder of the server the files are delivered to (under its catalog folders; %Y, %m, %d, %H, %j: the scene's date)",
            Required = true,
        };
        var begin = new Option<string>("--begin", "-b") { Description = "First day (YYYY-MM-DD), or with -r: how many hours back from now", Required = true };
        var end = new Option<string?>("--end", "-e") { Description = "Last day (YYYY-MM-DD, included); not with -r (then: now)" };
        var relative = new Option<bool>("--rel_time_flag", "-r") { Description = "-b is a number of hours before now, and the selection ends now" };
        var geometry = new Option<string?>("--geometry", "-g") { Description = "Only scenes meeting this WKT geometry (longitude/latitude)" };
        var query = new Option<string?>("--query", "-q")
        {
            Description = "A JSON object of search fields: collections, ids, query (e.g. '{\"collections\":[\"s2\"],\"query\":{\"eo:cloud_cover\":{\"lt\":30}}}'), assets",
        };
        var link = new Option<bool>("--link", "-l") { Description = "Deliver symbolic links to the service's files instead of copies" };
        var type = new Option<string?>("--type", "-t") { Description = "The type written in flag files (with -f)" };
        var flag = new Option<bool>("--flag_file", "-f") { Description = "Write a .flag file beside each delivered file (type, id, source, addresses)" };
        var ttl = new Option<double?>("--time_to_live", "-ttl") { Description = "First remove delivered files older than this many days under the destination" };
        var config = new Option<string?>("--config_file", "-c") { Description = "A provider settings file of the server (geospaas YAML) used instead of the service's" };
        var safety = new Option<int>("--safety_limit", "-s")
        {
            Description = "Refuse the whole selection when it has more scenes than this",
            DefaultValueFactory = _ => 400,
        };
        var save = new Option<bool>("--save_path", "-a") { Description = "The catalog records the delivered files as the scenes' copies on the server (the service's own downloads are removed)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the tasks' ids and return instead of waiting for them" };
        var connection = new ClientCommands.Connection();
        var command = new Command(copy ? "copy" : "download", copy
            ? "Deliver the catalog's scenes already on the server to a folder of the server (administrators)"
            : "Download the catalog's scenes on the service's workers, delivered to a folder of the server (administrators)");
        var options = new List<Option> { destination, begin, end, relative, geometry, query, link, type, flag, ttl };
        if (!copy)
        {
            options.AddRange([config, safety, save]);
        }
        options.Add(noWait);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
        connection.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var body = Selection(parse.GetValue(query), parse.GetValue(begin)!, parse.GetValue(end), parse.GetValue(relative), parse.GetValue(geometry));
            body["destination"] = Path.GetFullPath(parse.GetValue(destination)!);
            if (parse.GetValue(link))
            {
                body["link"] = true;
            }
            if (parse.GetValue(flag))
            {
                body["flag_file"] = true;
            }
            if (parse.GetValue(type) is { } t)
            {
                body["type"] = t;
            }
            if (parse.GetValue(ttl) is { } days)
            {
                body["time_to_live"] = days;
            }
            if (!copy)
            {
                body["max_downloads"] = parse.GetValue(safety);
                if (parse.GetValue(config) is { } file)
                {
                    body["provider_settings"] = Path.GetFullPath(file);
                }
                if (parse.GetValue(save))
                {
                    body["save_path"] = true;
                }
            }
            using var client = connection.Open(parse);
            var data = ClientCommands.Data(client.PostAsJsonAsync(copy ? "/catalog/copy" : "/catalog/download", body).GetAwaiter().GetResult());
            var ids = data.GetProperty("taskIds").EnumerateArray().Select(i => i.GetInt64()).ToList();
            if (ids.Count == 0)
            {
                context.Out.WriteLine(copy ? "no scene on the server matches" : "no scene matches");
                return;
            }
            if (parse.GetValue(noWait))
            {
                ids.ForEach(id => context.Out.WriteLine(id));
                return;
            }
            WaitForAll(context, client, ids);
        }));
        return command;
    }

    /// <summary>The search fields: the query's, then the time interval and the geometry (which the query may not give too).</summary>
    internal static JsonObject Selection(string? query, string begin, string? end, bool relative, string? wkt)
    {
        JsonObject body;
        try
        {
            body = query is null ? [] : JsonNode.Parse(query) as JsonObject ?? throw new UsageException("-q/--query: give a JSON object");
        }
        catch (JsonException e)
        {
            throw new UsageException($"-q/--query: not JSON: {e.Message}");
        }
        foreach (var own in new[] { "datetime", "intersects", "bbox" })
        {
            if (body.ContainsKey(own))
            {
                throw new UsageException($"-q/--query: {own} comes from -b/-e and -g, not from the query");
            }
        }
        DateTimeOffset from, to;
        if (relative)
        {
            if (end is not null)
            {
                throw new UsageException("-e/--end: not with -r (the selection ends now)");
            }
            if (!double.TryParse(begin, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) || hours < 0)
            {
                throw new UsageException($"-b/--begin {begin}: with -r, a number of hours");
            }
            to = DateTimeOffset.UtcNow;
            from = to - TimeSpan.FromHours(hours);
        }
        else
        {
            if (end is null)
            {
                throw new UsageException("-e/--end: give the last day (YYYY-MM-DD), or -r");
            }
            from = Day(begin, "-b/--begin");
            to = Day(end, "-e/--end").AddDays(1).AddTicks(-TimeSpan.TicksPerMillisecond);
            if (to < from)
            {
                throw new UsageException($"-e/--end {end}: before -b/--begin {begin}");
            }
        }
        body["datetime"] = $"{from.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}/{to.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}";
        if (wkt is not null)
        {
            try
            {
                body["intersects"] = JsonNode.Parse(Tessera.Raster.Features.GeoJsonGeometry.GeoJsonFromWkt(wkt));
            }
            catch (Tessera.Raster.RasterArgumentException e)
            {
                throw new UsageException($"-g/--geometry: {e.Message}");
            }
        }
        return body;
    }

    private static DateTimeOffset Day(string text, string option) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            ? new DateTimeOffset(day, TimeSpan.Zero)
            : throw new UsageException($"{option} {text}: expected YYYY-MM-DD");

    /// <summary>Polls the tasks until every one ended, saying each end; a failure when any did not succeed.</summary>
    private static void WaitForAll(CliContext context, HttpClient client, IReadOnlyList<long> ids)
    {
        var open = new HashSet<long>(ids);
        var failed = new List<string>();
        while (open.Count > 0)
        {
            foreach (var id in open.ToList())
            {
                var task = ClientCommands.Data(client.GetAsync($"/processtask/query/task/detail?id={id}").GetAwaiter().GetResult());
                var status = task.GetProperty("status").GetInt32();
                if (status is 7 or 4 or 8 or 9)
                {
                    open.Remove(id);
                    var name = task.GetProperty("name").GetString();
                    var statusName = task.GetProperty("statusName").GetString();
                    context.Out.WriteLine($"{id}\t{statusName}\t{name}");
                    if (status != 7)
                    {
                        failed.Add($"task {id} ({name}) ended {statusName}: {task.GetProperty("errorMessage").GetString()}");
                    }
                }
            }
            if (open.Count > 0)
            {
                context.Cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
                context.Cancellation.ThrowIfCancellationRequested();
            }
        }
        if (failed.Count > 0)
        {
            throw new IOException(string.Join("\n", failed));
        }
    }
}
