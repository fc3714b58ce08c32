using System.Runtime.InteropServices;
using Tessera.Raster.Gdal;

namespace Tessera.Cli;

/// <summary>A <c>tessera</c> process: GDAL loaded while the command line is parsed, Ctrl+C and SIGTERM turned into a
/// cancellation of the run, the command's exit code returned.</summary>
public static class CliProcess
{
    public static int Main(string[] args, Func<string[], CliContext, int> run)
    {
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
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            cancellation.Cancel();
        });
        var code = run(args, new CliContext(Console.Out, Console.Error, !Console.IsErrorRedirected, cancellation.Token));
        // GDAL must not be unloaded while the warm-up still runs inside it (a crash at exit): let it finish first.
        warmUp.Wait();
        return code;
    }
}
