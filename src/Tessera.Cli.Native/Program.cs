using Tessera.Cli;

return CliProcess.Main(args, (arguments, context) => CommandRunner.Run(arguments, context, FileCommands.All));
