using System.CommandLine;
using Tessera.Cli.Commands;

namespace Tessera.Cli;

/// <summary>
/// The whole <c>tessera</c> command: the commands on files (<see cref="FileCommands"/>) and those of the service
/// (serve, worker, the catalog, the clients of a running service).
/// </summary>
public static class Cli
{
    /// <summary>Every command by name, made only when needed.</summary>
    internal static readonly (string Name, Func<CliContext, Command> Create)[] Commands =
    [
        .. FileCommands.All,
        ("types", TypesCommand.Create),
        ("serve", ServeCommand.Create),
        ("worker", WorkerCommand.Create),
        ("token", TokenCommand.Create),
        ("catalog", CatalogCommand.Create),
        ("download", context => DownloadCommand.Create(context, copy: false)),
        ("copy", context => DownloadCommand.Create(context, copy: true)),
        ("files", ClientCommands.Files),
        ("submit", ClientCommands.Submit),
        ("tasks", ClientCommands.Tasks),
    ];

    public static int Run(string[] args, CliContext context) => CommandRunner.Run(args, context, Commands);

    /// <summary>Runs a command body of the service's commands: <see cref="CommandRunner.Guard"/>, which also knows the service's failures.</summary>
    internal static int Guard(CliContext context, Action body) => CommandRunner.Guard(context, body, ServiceFailure);

    private static (string, int)? ServiceFailure(Exception e) => e switch
    {
        Tessera.Host.Configuration.SettingException => (e.Message, ExitCodes.BadUsage),
        Tessera.Tasks.Workers.WorkerFailedException => (e.Message, ExitCodes.Failed),
        HttpRequestException => ($"cannot reach the service: {e.Message}", ExitCodes.Failed),
        InvalidOperationException when e.Source == "Tessera.Server" => (e.Message, ExitCodes.BadUsage),
        _ => null,
    };
}
