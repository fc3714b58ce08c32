using Tessera.Cli;
using Tessera.Raster.Gdal;

// Loading GDAL, its GeoTIFF driver and the PROJ database takes tens of milliseconds: do it while the command
// line is parsed. A failure is reported by the first command that needs GDAL.
var warmUp = GdalRuntime.WarmUpInBackground();

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C asks the run to stop between blocks and clean up; a second one kills the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};
// SIGTERM (a service manager, a deploy) stops the same way: workers give back their tasks, servers drain.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    cancellation.Cancel();
});
var code = Cli.Run(args, new CliContext(Console.Out, Console.Error, !Console.IsErrorRedirected, cancellation.Token));
// GDAL must not be unloaded while the warm-up still runs inside it (a crash at exit): let it finish first.
warmUp.Wait();
return code;
