using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Processing.Operations;

namespace Tessera.Cli.Commands;

/// <summary>
/// A thin client of the service: <c>tessera files upload|list</c>, <c>tessera submit</c>, <c>tessera tasks
/// show|list</c>. Server and token come from <c>--server</c>/<c>TESSERA_URL</c> and <c>--token</c>/<c>TESSERA_TOKEN</c>;
/// answers are printed as the API's JSON <c>data</c>.
/// </summary>
internal static class ClientCommands
{
    /// <summary>Where the service is and the token to use: <c>--server</c>/<c>TESSERA_URL</c>, <c>--token</c>/<c>TESSERA_TOKEN</c>.</summary>
    internal sealed class Connection
    {
        public Option<string> Server { get; } = new("--server")
        {
            Description = "The service; default $TESSERA_URL or http://127.0.0.1:8080",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_URL") ?? "http://127.0.0.1:8080",
        };

        public Option<string?> Token { get; } = new("--token")
        {
            Description = "API token; default $TESSERA_TOKEN",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_TOKEN"),
        };

        public void AddTo(Command command)
        {
            command.Options.Add(Server);
            command.Options.Add(Token);
        }

        public HttpClient Open(ParseResult parse)
        {
            var client = new HttpClient { BaseAddress = new Uri(parse.GetValue(Server)!), Timeout = TimeSpan.FromMinutes(30) };
            if (parse.GetValue(Token) is { Length: > 0 } token)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            return client;
        }
    }

    internal static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    /// <summary>The answer's <c>data</c>, or the error's message as a failure.</summary>
    internal static JsonElement Data(HttpResponseMessage response)
    {
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new IOException($"{(int)response.StatusCode} from the service: {text}");
        }
        if (!response.IsSuccessStatusCode)
        {
            var message = body.TryGetProperty("message", out var m) ? m.GetString() : body.TryGetProperty("detail", out var d) ? d.GetString() : text;
            throw new IOException($"{(int)response.StatusCode}: {message}");
        }
        return body.GetProperty("data");
    }

    public static Command Files(CliContext context)
    {
        var upload = new Command("upload", "Upload a raster to the file store; prints its record");
        var file = new Argument<string>("file");
        var connection = new Connection();
        upload.Arguments.Add(file);
        connection.AddTo(upload);
        upload.SetAction(parse => Cli.Guard(context, () =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new IOException($"{path}: file not found");
            }
            using var client = connection.Open(parse);
            using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(path)), "file", Path.GetFileName(path) } };
            context.Out.WriteLine(JsonSerializer.Serialize(Data(client.PostAsync("/files", form).GetAwaiter().GetResult()), Pretty));
        }));
        var list = new Command("list", "List your files");
        var listConnection = new Connection();
        listConnection.AddTo(list);
        list.SetAction(parse => Cli.Guard(context, () =>
        {
            using var client = listConnection.Open(parse);
            context.Out.WriteLine(JsonSerializer.Serialize(Data(client.GetAsync("/files").GetAwaiter().GetResult()), Pretty));
        }));
        var command = new Command("files", "The service's file store");
        command.Subcommands.Add(upload);
        command.Subcommands.Add(list);
        return command;
    }

    public static Command Submit(CliContext context)
    {
        var type = new Option<string>("--type")
        {
            Description = "Task type: its number or name (" + string.Join(", ", OperationCatalog.All.Select(o => o.Name.ToLowerInvariant())) + ")",
            Required = true,
        };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "ROLE=FILE_ID or ROLE=FILE_ID@BAND (repeatable; no band: the type's default, all bands or the only one)",
            Required = true,
        };
        var name = new Option<string?>("--name") { Description = "Task name (default: the type)" };
        var outputName = new Option<string?>("--output-name") { Description = "Result file name" };
        var parameters = new Option<string?>("--params") { Description = "Parameters as JSON, e.g. '{\"scale\": 0.0001}'" };
        var parameter = new Option<string[]>("--param", "-p")
        {
            Description = "NAME=VALUE, one parameter, typed as the type defines it (repeatable), e.g. -p scale=0.0001 -p resampling=bilinear",
        };
        var wait = new Option<bool>("--wait") { Description = "Wait until the task ends; exit 1 if it failed" };
        var connection = new Connection();
        var command = new Command("submit", "Queue a task on the service; prints its id (or, with --wait, the finished task)");
        foreach (var option in new Option[] { type, inputs, name, outputName, parameters, parameter, wait })
        {
            command.Options.Add(option);
        }
        connection.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var typeText = parse.GetValue(type)!;
            var operation = (int.TryParse(typeText, out var n) ? OperationCatalog.Find(n) : OperationCatalog.Find(typeText.Replace('-', '_')))
                ?? throw new UsageException($"--type {typeText}: not a task type; known: " +
                    string.Join(", ", OperationCatalog.All.Select(o => $"{o.Name.ToLowerInvariant()} ({o.Number})")));
            var number = operation.Number;
            var list = parse.GetValue(inputs)!.Select(item =>
            {
                var eq = item.IndexOf('=');
                var (role, rest) = eq > 0 ? (item[..eq], item[(eq + 1)..]) : throw new UsageException($"--input {item}: expected ROLE=FILE_ID[@BAND]");
                var at = rest.IndexOf('@');
                var id = long.TryParse(at < 0 ? rest : rest[..at], out var fileId) ? fileId : throw new UsageException($"--input {item}: the file id is not a number");
                int? band = at < 0 ? null : int.TryParse(rest[(at + 1)..], out var b) ? b : throw new UsageException($"--input {item}: the band is not a number");
                return band is null ? (object)new { role, fileId = id } : new { role, fileId = id, band };
            }).ToList();
            var paramsJson = SubmitParameters.Of(operation, parse.GetValue(parameters), parse.GetValue(parameter) ?? []);
            using var client = connection.Open(parse);
            var created = Data(client.PostAsJsonAsync("/processtask/addTask", new
            {
                name = parse.GetValue(name) ?? typeText, type = number, inputs = list, outputName = parse.GetValue(outputName), @params = paramsJson,
            }).GetAwaiter().GetResult());
            var taskId = created.GetProperty("taskId").GetInt64();
            if (!parse.GetValue(wait))
            {
                context.Out.WriteLine(taskId);
                return;
            }
            WaitToEnd(context, client, taskId);
        }));
        return command;
    }

    /// <summary>Polls a task until it ends and prints it; a failure if it did not publish.</summary>
    internal static void WaitToEnd(CliContext context, HttpClient client, long taskId)
    {
        while (true)
        {
            var task = Data(client.GetAsync($"/processtask/query/task/detail?id={taskId}").GetAwaiter().GetResult());
            var status = task.GetProperty("status").GetInt32();
            if (status is 7 or 4 or 8 or 9)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(task, Pretty));
                if (status != 7)
                {
                    throw new IOException($"task {taskId} ended {task.GetProperty("statusName").GetString()}: {task.GetProperty("errorMessage").GetString()}");
                }
                return;
            }
            context.Cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
            context.Cancellation.ThrowIfCancellationRequested();
        }
    }

    public static Command Tasks(CliContext context)
    {
        var show = new Command("show", "A task with its history and result");
        var id = new Argument<long>("id");
        var connection = new Connection();
        show.Arguments.Add(id);
        connection.AddTo(show);
        show.SetAction(parse => Cli.Guard(context, () =>
        {
            using var client = connection.Open(parse);
            context.Out.WriteLine(JsonSerializer.Serialize(Data(client.GetAsync($"/processtask/query/task/detail?id={parse.GetValue(id)}").GetAwaiter().GetResult()), Pretty));
        }));
        var list = new Command("list", "Your tasks, newest first");
        var listConnection = new Connection();
        listConnection.AddTo(list);
        list.SetAction(parse => Cli.Guard(context, () =>
        {
            using var client = listConnection.Open(parse);
            context.Out.WriteLine(JsonSerializer.Serialize(Data(client.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1, pageSize = 50 }).GetAwaiter().GetResult()), Pretty));
        }));
        var command = new Command("tasks", "Tasks on the service");
        command.Subcommands.Add(show);
        command.Subcommands.Add(list);
        return command;
    }
}
