using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Workers;

/// <summary>
/// Runs the server's workers in a child process (<c>tessera worker</c> on the same data folder and database)
/// and restarts it whenever it dies, so that a native crash inside GDAL during one task never takes the API
/// down. New tasks wake the child at once: the supervisor writes a line to its standard input. When the child
/// dies, the tasks it held are taken back at once (counted as attempts, as an expired lease is), instead of
/// waiting for their leases to run out.
/// The child's measurements arrive on its standard output and are kept for <c>/metrics</c> (<see cref="WorkerProcessMetrics"/>).
/// </summary>
public sealed class WorkerSupervisor(ServiceParts parts, ServiceOptions options, TaskRescuer rescuer, WorkerProcessMetrics reports, ILogger<WorkerSupervisor> log)
    : BackgroundService
{
    /// <summary>The child process now running, for tests and diagnostics.</summary>
    public static int? CurrentChildId { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var restarts = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var child = Start();
            CurrentChildId = child.Id;
            log.LogInformation("worker process {Pid} started", child.Id);
            using var childStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var wake = ForwardWakeUpsAsync(child, childStop.Token);
            var read = ReadReportsAsync(child);
            try
            {
                await child.WaitForExitAsync(stoppingToken);
                log.LogError("worker process {Pid} ended with code {Code}; restarting it", child.Id, child.ExitCode);
                await TakeBackAsync(child.Id, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // Shutting down: closing its input asks the child to stop; it gives back the task in hand.
                child.StandardInput.Close();
                if (!child.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    child.Kill(entireProcessTree: true);
                }
            }
            childStop.Cancel();
            await wake;
            await read;
            reports.Ended(child.Id);
            CurrentChildId = null;
            if (!stoppingToken.IsCancellationRequested)
            {
                // Back off a little if it keeps dying at once.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * ++restarts)), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The dead child's tasks back to the queue; if the database is away too, their leases expire as usual.</summary>
    private async Task TakeBackAsync(int childId, CancellationToken stoppingToken)
    {
        try
        {
            await rescuer.RescueWorkerAsync(ServiceParts.WorkerIdPrefix(childId), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("taking back the tasks of worker process {Pid} failed ({Message}); their leases will expire", childId, e.Message);
        }
    }

    private Process Start()
    {
        var (file, prefix) = options.WorkerCommand!.Value;
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in prefix.Concat(["worker", "--data", options.DataFolder, "--workers", Math.Max(1, options.Workers).ToString(System.Globalization.CultureInfo.InvariantCulture), "--wake-on-stdin",
                     "--role", Tessera.Tasks.Workers.WorkerRoles.Name(options.Role),
                     "--split-tile", options.SplitTile.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--lease", options.Lease.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--max-attempts", options.MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--preview-size", options.PreviewSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--leftover-age", (options.LeftoverAge ?? TimeSpan.FromHours(1)).TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--give-up-after", (options.GiveUpAfter ?? TimeSpan.FromMinutes(5)).TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(argument);
        }
        // The settings given (only those: the child's defaults are the same).
        foreach (var (flag, value) in new[]
        {
            ("--db", options.Database),
            ("--allowed-hosts", options.AllowedHosts),
            ("--provider-settings", options.ProviderSettings),
            ("--task-retry-delay", options.TaskRetryDelay?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("--catalog-folders", options.CatalogFolders),
            ("--publish-host", options.Publish?.HostSetting),
            ("--publish-root", options.Publish?.Root),
            ("--publish-path", options.Publish is { PathUnderRoot.Length: > 0 } publish ? publish.PathUnderRoot : null),
            ("--publish-key", options.Publish?.Key),
            ("--publish-known-hosts", options.Publish?.KnownHosts),
            ("--publish-url", options.Publish?.UrlBase),
        })
        {
            if (value is not null)
            {
                start.ArgumentList.Add(flag);
                start.ArgumentList.Add(value);
            }
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start the worker process {file}");
    }

    /// <summary>The child's reports, until its output ends; anything else it writes there is passed on as it is.</summary>
    private async Task ReadReportsAsync(Process child)
    {
        try
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (WorkerReport.Parse(line) is { } report)
                {
                    reports.Report(child.Id, report);
                }
                else
                {
                    Console.Out.WriteLine(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // the child is gone
        }
    }

    private async Task ForwardWakeUpsAsync(Process child, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await parts.Signal.WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System, stop);
                await child.StandardInput.WriteLineAsync("wake".AsMemory(), stop);
                await child.StandardInput.FlushAsync(stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // the child is gone or going: the supervisor loop takes it from here
        }
    }
}
