using System.Diagnostics;
using System.Globalization;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera worker</c> processes started by a test on one database and data folder, each a real process
/// that can be killed with SIGKILL. Disposing kills the ones still running.
/// </summary>
internal sealed class WorkerProcesses(string dataFolder, string database, double leaseSeconds, int maxAttempts = 3) : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly Lock _gate = new();

    /// <summary>Process ids of every worker started so far, killed or not.</summary>
    public IReadOnlyList<int> Started
    {
        get
        {
            lock (_gate)
            {
                return _processes.Select(p => p.Id).ToList();
            }
        }
    }

    public int Start()
    {
        var start = new ProcessStartInfo("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "worker", "--data", dataFolder, "--db", database,
            "--lease", leaseSeconds.ToString(CultureInfo.InvariantCulture), "--max-attempts", maxAttempts.ToString(CultureInfo.InvariantCulture),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        lock (_gate)
        {
            _processes.Add(process);
        }
        return process.Id;
    }

    /// <summary>The process id in a worker id ("machine:pid:index").</summary>
    public static int ProcessIdOf(string workerId) => int.Parse(workerId.Split(':')[^2], CultureInfo.InvariantCulture);

    /// <summary>SIGKILL, as a crash inside native code would end it; waits until it is gone.</summary>
    public void Kill(int processId)
    {
        Process process;
        lock (_gate)
        {
            process = _processes.Single(p => p.Id == processId);
        }
        process.Kill();
        process.WaitForExit();
    }

    public bool IsRunning(int processId)
    {
        lock (_gate)
        {
            return _processes.Any(p => p.Id == processId && !p.HasExited);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var process in _processes)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit();
                }
                process.Dispose();
            }
            _processes.Clear();
        }
    }
}
