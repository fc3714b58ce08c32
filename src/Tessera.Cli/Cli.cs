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
    public static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand("Tessera: Earth-observation processing (spectral indices, band math, raster info)");
        root.Subcommands.Add(IndexCommand.Create(context));
        root.Subcommands.Add(CalcCommand.Create(context));
        root.Subcommands.Add(MergeCommand.Create(context));
        root.Subcommands.Add(CropCommand.Create(context));
        root.Subcommands.Add(MosaicCommand.Create(context));
        root.Subcommands.Add(ZonalCommand.Create(context));
        root.Subcommands.Add(CloudRemoveCommand.Create(context));
        root.Subcommands.Add(CompositeCommand.Create(context));
        root.Subcommands.Add(PansharpenCommand.Create(context));
        root.Subcommands.Add(InfoCommand.Create(context));
        root.Subcommands.Add(TypesCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(WorkerCommand.Create(context));
        root.Subcommands.Add(TokenCommand.Create(context));
        root.Subcommands.Add(CatalogCommand.Create(context));
        foreach (var command in DownloadCommand.Create(context))
        {
            root.Subcommands.Add(command);
        }
        foreach (var client in ClientCommands.Create(context))
        {
            root.Subcommands.Add(client);
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
