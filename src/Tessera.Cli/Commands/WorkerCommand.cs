using System.CommandLine;
using Tessera.Host.Configuration;
using Tessera.Host.Workers;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera worker</c>: runs tasks from a shared PostgreSQL database, without the HTTP API.</summary>
internal static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("worker", "Run tasks from the queue (scale-out: any number, sharing PostgreSQL and the data folder)");
        var settings = new SettingOptions(command, Settings.Data, Settings.Database, Settings.Workers, Settings.Role, Settings.Lease, Settings.MaxAttempts,
            Settings.PreviewSize, Settings.LeftoverAge, Settings.GiveUpAfter, Settings.AllowedHosts,
            Settings.ProviderSettings, Settings.CatalogFolders, Settings.TaskRetryDelay, Settings.SplitTile, Settings.PublishHost, Settings.PublishRoot, Settings.PublishPath,
            Settings.PublishKey, Settings.PublishKnownHosts, Settings.PublishUrl);
        var wakeOnStdin = new Option<bool>("--wake-on-stdin") { Description = "Wake on each input line; stop at its end; report measurements on standard output (used by tessera serve)", Hidden = true };
        command.Options.Add(wakeOnStdin);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var options = settings.Read(parse, context.Environment).Service();
            context.Error.WriteLine($"tessera: worker running (data: {options.DataFolder}, database: {(options.Database is null ? "SQLite" : "PostgreSQL")}); Ctrl+C stops");
            // Supervised by tessera serve: woken through standard input, measurements reported on standard output.
            var supervised = parse.GetValue(wakeOnStdin);
            WorkerHost.RunAsync(options, context.Cancellation, supervised ? Console.In : null, reports: supervised ? Console.Out : null).GetAwaiter().GetResult();
        }));
        return command;
    }
}
