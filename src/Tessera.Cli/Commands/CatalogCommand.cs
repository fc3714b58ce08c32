using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera catalog</c>: a client of the service's catalog. <c>harvest SOURCE</c> queues a harvest of another catalog
/// (<c>POST /catalog/harvest</c>, the same fields as options); <c>add FOLDER --collection ID</c> the addition of a server
/// folder's products (<c>POST /catalog/add</c>, administrators); <c>list</c> and <c>show ID</c> read the collections
/// through the STAC API.
/// </summary>
internal static class CatalogCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("catalog", "The service's catalog of scenes: harvest other catalogs, add a server folder's products, list and show collections");
        command.Subcommands.Add(Harvest(context));
        command.Subcommands.Add(Add(context));
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Upkeep(context, "remove-downloaded", "/catalog/remove_downloaded",
            "Remove the service's downloaded files of items (administrators); files found in folders of products stay"));
        command.Subcommands.Add(Upkeep(context, "archive", "/catalog/archive",
            "Pack each item's files on the server into one tar.gz, its asset 'archive'"));
        command.Subcommands.Add(Cleanup(context));
        return command;
    }

    /// <summary>A task per item named COLLECTION/ITEM, on the items' assets (all, or those of --assets); waits for them.</summary>
    private static Command Upkeep(CliContext context, string name, string path, string description)
    {
        var items = new Argument<string[]>("items") { Description = "Items as COLLECTION/ITEM", Arity = ArgumentArity.OneOrMore };
        var assets = new Option<string[]>("--assets") { Description = "Only these assets (keys)", AllowMultipleArgumentsPerToken = true };
        var connection = new ClientCommands.Connection();
        var command = new Command(name, description);
        command.Arguments.Add(items);
        command.Options.Add(assets);
        connection.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var refs = parse.GetValue(items)!.Select(r => r.IndexOf('/') is var slash and > 0 && slash < r.Length - 1
                ? (Collection: r[..slash], Id: r[(slash + 1)..]) : throw new UsageException($"{r}: expected COLLECTION/ITEM")).ToList();
            using var client = connection.Open(parse);
            var ids = new List<long>();
            foreach (var group in refs.GroupBy(r => r.Collection))
            {
                var body = new JsonObject
                {
                    ["collections"] = new JsonArray(group.Key),
                    ["ids"] = new JsonArray(group.Select(r => (JsonNode?)r.Id).ToArray()),
                };
                if (parse.GetValue(assets) is { Length: > 0 } keys)
                {
                    body["assets"] = new JsonArray(keys.Select(k => (JsonNode?)k).ToArray());
                }
                ids.AddRange(ClientCommands.Data(client.PostAsJsonAsync(path, body).GetAwaiter().GetResult())
                    .GetProperty("taskIds").EnumerateArray().Select(i => i.GetInt64()));
            }
            if (ids.Count == 0)
            {
                context.Out.WriteLine("none of these items has files on the server");
            }
            foreach (var id in ids)
            {
                ClientCommands.WaitToEnd(context, client, id);
            }
        }));
        return command;
    }

    private static Command Cleanup(CliContext context)
    {
        var before = new Option<string>("--before") { Description = "Remove downloads made before this date (YYYY-MM-DD) or time", Required = true };
        var connection = new ClientCommands.Connection();
        var command = new Command("cleanup", "Remove every download of the service's older than a date (administrators)");
        command.Options.Add(before);
        connection.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            using var client = connection.Open(parse);
            var taskId = ClientCommands.Data(client.PostAsJsonAsync("/catalog/cleanup", new JsonObject { ["before"] = parse.GetValue(before) })
                .GetAwaiter().GetResult()).GetProperty("taskId").GetInt64();
            ClientCommands.WaitToEnd(context, client, taskId);
        }));
        return command;
    }

    private static Command Harvest(CliContext context)
    {
        var source = new Argument<string>("source") { Description = "A STAC API's root, or a static STAC catalog, collection or item URL" };
        var collections = new Option<string[]>("--collections")
        {
            Description = "Only these collections (ids; repeat or separate with commas)",
            AllowMultipleArgumentsPerToken = true,
        };
        var bbox = new Option<string?>("--bbox") { Description = "Only scenes meeting west,south,east,north (degrees)" };
        var datetime = new Option<string?>("--datetime") { Description = "Only scenes of this time or interval (A/B, '..' open)" };
        var cloud = new Option<double?>("--cloud") { Description = "Only scenes with at most this cloud cover (0-100 %)" };
        var maxItems = new Option<int?>("--max-items") { Description = "Stop after this many items" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the harvest ends; exit 1 if it failed" };
        var connection = new ClientCommands.Connection();
        var command = new Command("harvest", "Copy another catalog's collections and items into the service's catalog (assets stay remote); prints the task's id");
        command.Arguments.Add(source);
        foreach (var option in new Option[] { collections, bbox, datetime, cloud, maxItems, wait })
        {
            command.Options.Add(option);
        }
        connection.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var body = new JsonObject { ["source"] = parse.GetValue(source) };
            var ids = (parse.GetValue(collections) ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (ids.Count > 0)
            {
                body["collections"] = new JsonArray(ids.Select(c => (JsonNode?)c).ToArray());
            }
            if (parse.GetValue(bbox) is { } box)
            {
                var values = box.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToArray();
                if (values.Length != 4 || values.Any(double.IsNaN))
                {
                    throw new UsageException($"--bbox {box}: expected west,south,east,north in degrees");
                }
                body["bbox"] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
            }
            if (parse.GetValue(datetime) is { } time)
            {
                body["datetime"] = time;
            }
            if (parse.GetValue(cloud) is { } c)
            {
                body["cloud"] = c;
            }
            if (parse.GetValue(maxItems) is { } max)
            {
                body["maxItems"] = max;
            }
            using var client = connection.Open(parse);
            var taskId = ClientCommands.Data(client.PostAsJsonAsync("/catalog/harvest", body).GetAwaiter().GetResult()).GetProperty("taskId").GetInt64();
            if (parse.GetValue(wait))
            {
                ClientCommands.WaitToEnd(context, client, taskId);
            }
            else
            {
                context.Out.WriteLine(taskId);
            }
        }));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var folder = new Argument<string>("folder") { Description = "A folder of the server's machine, under its catalog folders (catalogFolders)" };
        var collection = new Option<string>("--collection") { Description = "The local collection the products go into", Required = true };
        var title = new Option<string?>("--title") { Description = "The collection's title" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the addition ends; exit 1 if it failed" };
        var connection = new ClientCommands.Connection();
        var command = new Command("add", "Add the Sentinel-2 and Landsat products of a server folder to a local collection (administrators); prints the task's id");
        command.Arguments.Add(folder);
        foreach (var option in new Option[] { collection, title, wait })
        {
            command.Options.Add(option);
        }
        connection.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var body = new JsonObject { ["folder"] = Path.GetFullPath(parse.GetValue(folder)!), ["collection"] = parse.GetValue(collection) };
            if (parse.GetValue(title) is { } text)
            {
                body["title"] = text;
            }
            using var client = connection.Open(parse);
            var taskId = ClientCommands.Data(client.PostAsJsonAsync("/catalog/add", body).GetAwaiter().GetResult()).GetProperty("taskId").GetInt64();
            if (parse.GetValue(wait))
            {
                ClientCommands.WaitToEnd(context, client, taskId);
            }
            else
            {
                context.Out.WriteLine(taskId);
            }
        }));
        return command;
    }

    private static Command List(CliContext context)
    {
        var connection = new ClientCommands.Connection();
        var command = new Command("list", "The catalog's collections: id, items you may see, extent in space and time, title");
        connection.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            using var client = connection.Open(parse);
            var all = Stac(client, "/stac/collections").GetProperty("collections");
            foreach (var collection in all.EnumerateArray())
            {
                var id = collection.GetProperty("id").GetString()!;
                var items = Stac(client, $"/stac/collections/{Uri.EscapeDataString(id)}/items?limit=1").GetProperty("numberMatched").GetInt64();
                var extent = collection.GetProperty("extent");
                var box = string.Join(',', extent.GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble().ToString("0.###", CultureInfo.InvariantCulture)));
                var interval = extent.GetProperty("temporal").GetProperty("interval")[0];
                context.Out.WriteLine($"{id}\t{items} items\t{box}\t{interval[0]}/{interval[1]}\t{(collection.TryGetProperty("title", out var t) ? t.GetString() : "")}");
            }
        }));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The collection's id" };
        var connection = new ClientCommands.Connection();
        var command = new Command("show", "A collection as the STAC API describes it, with the number of its items you may see");
        command.Arguments.Add(id);
        connection.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            using var client = connection.Open(parse);
            var path = $"/stac/collections/{Uri.EscapeDataString(parse.GetValue(id)!)}";
            var collection = JsonNode.Parse(Stac(client, path).GetRawText())!.AsObject();
            collection["numberMatched"] = Stac(client, path + "/items?limit=1").GetProperty("numberMatched").GetInt64();
            context.Out.WriteLine(collection.ToJsonString(ClientCommands.Pretty));
        }));
        return command;
    }

    /// <summary>A STAC document of the service (the STAC API answers its documents bare, errors in the service's shape).</summary>
    private static JsonElement Stac(HttpClient client, string path)
    {
        using var response = client.GetAsync(path).GetAwaiter().GetResult();
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            ClientCommands.Data(new HttpResponseMessage(response.StatusCode) { Content = new StringContent(text) });
        }
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
