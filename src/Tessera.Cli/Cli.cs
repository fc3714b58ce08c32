using System.CommandLine;
using Tessera.Cli.Commands;
using Tessera.Processing.BandMath;
using Tessera.Raster;

namespace Tessera.Cli;

/// <summary>
/// The <c>tessera</c> command: parses, runs, and turns every failure into one error line on stderr and an
/// exit code (0 ok, 1 failed, 2 bad usage).
/// </summary>
public static class Cli
{
    /// <summary>Every command by name, made only when needed: building all of them takes about 20 ms of a command's
    /// start, so a run builds the one it names (all of them for help, the version or a name it does not know).</summary>
    internal static readonly (string Name, Func<CliContext, Command> Create)[] Commands =
    [
        ("index", IndexCommand.Create),
        ("calc", CalcCommand.Create),
        ("merge", MergeCommand.Create),
        ("crop", CropCommand.Create),
        ("mosaic", MosaicCommand.Create),
        ("zonal", ZonalCommand.Create),
        ("cloud-remove", CloudRemoveCommand.Create),
        ("composite", CompositeCommand.Create),
        ("pansharpen", PansharpenCommand.Create),
        ("info", InfoCommand.Create),
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

    public static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand("Tessera: Earth-observation processing (spectral indices, band math, raster info)");
        var named = args.Length > 0 ? Array.FindAll(Commands, c => c.Name == args[0]) : [];
        foreach (var (_, create) in named.Length > 0 ? named : Commands)
        {
            root.Subcommands.Add(create(context));
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors.Take(1))
            {
                context.Error.WriteLine($"tessera: error: {error.Message}");
            }
            context.Error.WriteLine("Run 'tessera --help' (or 'tessera COMMAND --help') for usage.");
            return ExitCodes.BadUsage;
        }
        return parse.Invoke(new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>Runs a command body; maps exceptions to one error line and an exit code.</summary>
    internal static int Guard(CliContext context, Action body)
    {
        try
        {
            body();
            return ExitCodes.Ok;
        }
        catch (UsageException e)
        {
            return Fail(context, e.Message, ExitCodes.BadUsage);
        }
        catch (BandMathException e)
        {
            return Fail(context, e.Message, ExitCodes.BadUsage);
        }
        catch (OperationCanceledException)
        {
            return Fail(context, "cancelled", ExitCodes.Failed);
        }
        catch (Tessera.Host.Configuration.SettingException e)
        {
            return Fail(context, e.Message, ExitCodes.BadUsage);
        }
        catch (Tessera.Tasks.Workers.WorkerFailedException e)
        {
            return Fail(context, e.Message, ExitCodes.Failed);
        }
        catch (RasterException e)
        {
            return Fail(context, e.Message, ExitCodes.Failed);
        }
        catch (IOException e)
        {
            return Fail(context, e.Message, ExitCodes.Failed);
        }
        catch (HttpRequestException e)
        {
            return Fail(context, $"cannot reach the service: {e.Message}", ExitCodes.Failed);
        }
        catch (InvalidOperationException e) when (e.Source == "Tessera.Server")
        {
            return Fail(context, e.Message, ExitCodes.BadUsage);
        }
        catch (UnauthorizedAccessException e)
        {
            return Fail(context, e.Message, ExitCodes.Failed);
        }
        catch (Exception e)
        {
            // A bug, not bad input: say what broke, on one line, and fail without a stack trace dump.
            return Fail(context, $"internal error ({e.GetType().Name}): {e.Message}", ExitCodes.Failed);
        }
    }

    private static int Fail(CliContext context, string message, int code)
    {
        context.Error.WriteLine($"tessera: error: {message}");
        return code;
    }
}
