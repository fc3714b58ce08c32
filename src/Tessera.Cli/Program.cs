using Tessera.Cli;

return CliProcess.Main(args, Cli.Run);
