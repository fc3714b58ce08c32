using System.CommandLine;
using Tessera.Host.Workers;
using Tessera.Host;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera worker</c>: runs tasks from a shared PostgreSQL database, without the HTTP API.</summary>
internal static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data")
        {
            Description = "Data folder shared with the server (files, work); default $TESSERA_DATA or ./tessera-data",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_DATA") ?? "tessera-data",
        };
        var database = new Option<string?>("--db", "--database")
        {
            Description = "PostgreSQL (postgres://user:password@host:port/db); default $TESSERA_DATABASE, else SQLite in the data folder",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_DATABASE"),
        };
        var workers = new Option<int>("--workers") { Description = "Tasks run at once", DefaultValueFactory = _ => 1 };
        var wakeOnStdin = new Option<bool>("--wake-on-stdin") { Description = "Wake on each input line; stop at its end (used by tessera serve)", Hidden = true };
        var command = new Command("worker", "Run tasks from the queue (scale-out: any number, sharing PostgreSQL and the data folder)");
        command.Options.Add(data);
        command.Options.Add(database);
        command.Options.Add(workers);
        command.Options.Add(wakeOnStdin);
        var lease = new LeaseArguments();
        lease.AddTo(command);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var (leaseDuration, maxAttempts) = lease.Read(parse);
            var options = new ServiceOptions(Path.GetFullPath(parse.GetValue(data)!), Workers: parse.GetValue(workers),
                Database: parse.GetValue(database), LeaseDuration: leaseDuration, MaxAttempts: maxAttempts,
                PreviewSize: lease.ReadPreviewSize(parse), LeftoverAge: lease.ReadLeftoverAge(parse), GiveUpAfter: lease.ReadGiveUpAfter(parse));
            context.Error.WriteLine($"tessera: worker running (data: {options.DataFolder}, database: {(options.Database is null ? "SQLite" : "PostgreSQL")}); Ctrl+C stops");
            WorkerHost.RunAsync(options, context.Cancellation, parse.GetValue(wakeOnStdin) ? Console.In : null).GetAwaiter().GetResult();
        }));
        return command;
    }
}
