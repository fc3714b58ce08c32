using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Tessera.Host;
using Tessera.Server.Hosting;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera serve</c>: the HTTP API with an embedded worker, on SQLite and a local data folder.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data")
        {
            Description = "Data folder (database, files, work); default $TESSERA_DATA or ./tessera-data",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_DATA") ?? "tessera-data",
        };
        var port = new Option<int>("--port")
        {
            Description = "Port on 127.0.0.1; default $TESSERA_PORT or 8080",
            DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("TESSERA_PORT"), out var p) ? p : 8080,
        };
        var url = new Option<string?>("--url")
        {
            Description = "Full address to listen on, instead of --port; an address other than loopback needs API tokens ('tessera token create')",
        };
        var noWorker = new Option<bool>("--no-worker") { Description = "API only (workers run as 'tessera worker')" };
        var workers = new Option<int>("--workers")
        {
            Description = "Embedded workers: tasks run at once (0: none)",
            DefaultValueFactory = _ => 1,
        };
        var database = new Option<string?>("--db", "--database")
        {
            Description = "PostgreSQL for scale-out (postgres://user:password@host:port/db); default $TESSERA_DATABASE, else SQLite in the data folder",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_DATABASE"),
        };
        var command = new Command("serve", "Run the processing service: REST API, task queue on SQLite, embedded worker");
        command.Options.Add(data);
        command.Options.Add(port);
        command.Options.Add(url);
        command.Options.Add(noWorker);
        command.Options.Add(workers);
        command.Options.Add(database);
        var lease = new LeaseArguments();
        lease.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var address = parse.GetValue(url) ?? $"http://127.0.0.1:{parse.GetValue(port)}";
            var (leaseDuration, maxAttempts) = lease.Read(parse);
            var host = new ServiceOptions(Path.GetFullPath(parse.GetValue(data)!), Workers: parse.GetValue(noWorker) ? 0 : parse.GetValue(workers),
                Database: parse.GetValue(database), WorkerCommand: OwnCommand(), LeaseDuration: leaseDuration, MaxAttempts: maxAttempts,
                PreviewSize: lease.ReadPreviewSize(parse), LeftoverAge: lease.ReadLeftoverAge(parse), GiveUpAfter: lease.ReadGiveUpAfter(parse));
            var options = new ServerOptions(host, address, AdminToken: Environment.GetEnvironmentVariable("TESSERA_ADMIN_TOKEN"));
            string? firstToken = null;
            var app = TesseraServer.BuildAsync(options, token =>
            {
                firstToken = token;
                context.Error.WriteLine($"tessera: first start: admin token (shown once, kept hashed): {token}\n" +
                    $"         use it as 'Authorization: Bearer {token}'");
            }).GetAwaiter().GetResult();
            app.StartAsync(context.Cancellation).GetAwaiter().GetResult();
            // Said once the server listens: the address works as soon as it is printed.
            context.Error.WriteLine($"tessera: serving {options.Url} (data: {options.DataFolder}); Ctrl+C stops");
            var page = options.Url.TrimEnd('/') + "/";
            context.Error.WriteLine(firstToken is null
                ? $"tessera: web page: {page} (it asks for a token)"
                : $"tessera: web page: {page}#token={firstToken}");
            app.WaitForShutdownAsync(context.Cancellation).GetAwaiter().GetResult();
        }));
        return command;
    }

    /// <summary>How to start this same program again: the apphost, or "dotnet tessera.dll".</summary>
    private static (string, string[]) OwnCommand()
    {
        var path = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [typeof(ServeCommand).Assembly.Location])
            : (path, []);
    }
}
