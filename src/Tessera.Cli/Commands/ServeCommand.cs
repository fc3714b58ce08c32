using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Tessera.Host.Configuration;
using Tessera.Server.Hosting;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera serve</c>: the HTTP API with an embedded worker, on SQLite and a local data folder.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "Run the processing service: REST API, task queue on SQLite, embedded worker");
        var settings = new SettingOptions(command, Settings.Data, Settings.Port, Settings.Listen, Settings.Workers, Settings.Role, Settings.Database,
            Settings.Lease, Settings.MaxAttempts, Settings.PreviewSize, Settings.LeftoverAge, Settings.GiveUpAfter, Settings.MaxUploadMegabytes,
            Settings.KeepFinishedDays, Settings.MinFreeMegabytes, Settings.AllowedHosts, Settings.ProviderSettings, Settings.CatalogFolders,
            Settings.TaskRetryDelay, Settings.HarvestConfig, Settings.OpenEoSyncMegapixels, Settings.SplitTile, Settings.BasemapUrl, Settings.AdminToken, Settings.PublishHost, Settings.PublishRoot, Settings.PublishPath,
            Settings.PublishKey, Settings.PublishKnownHosts, Settings.PublishUrl);
        var noWorker = new Option<bool>("--no-worker") { Description = "API only (workers run as 'tessera worker')" };
        command.Options.Add(noWorker);
        command.SetAction(parse => Cli.Guard(context, () =>
        {
            var read = settings.Read(parse, context.Environment);
            var address = read.Get(Settings.Listen) ?? $"http://127.0.0.1:{read.Get(Settings.Port)}";
            var options = new ServerOptions(read.Service(OwnCommand(), parse.GetValue(noWorker) ? 0 : null), address, AdminToken: read.Get(Settings.AdminToken));
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
