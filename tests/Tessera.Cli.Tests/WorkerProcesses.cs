using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera worker</c> processes started by a test on one database and data folder, each a real process
/// that can be killed with SIGKILL, stopped and continued, or asked to stop with SIGTERM. What each writes on
/// standard error (its JSON log) is kept. Disposing kills the ones still running.
/// </summary>
internal sealed class WorkerProcesses(string dataFolder, string database, double leaseSeconds, int maxAttempts = 3) : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly ConcurrentDictionary<int, StringBuilder> _logs = new();
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

    /// <param name="environment">Variables to add (a wrong clock through libfaketime, say).</param>
    public int Start(IReadOnlyDictionary<string, string>? environment = null, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "worker", "--data", dataFolder, "--db", database,
            "--lease", leaseSeconds.ToString(CultureInfo.InvariantCulture), "--max-attempts", maxAttempts.ToString(CultureInfo.InvariantCulture), .. extra,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var log = _logs.GetOrAdd(process.Id, _ => new StringBuilder());
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine(line.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        _ = process.StandardOutput.ReadToEndAsync();
        lock (_gate)
        {
            _processes.Add(process);
        }
        return process.Id;
    }

    /// <summary>Environment that makes a process's clock run <paramref name="offset"/> (e.g. "-90s") off, through libfaketime.</summary>
    public static IReadOnlyDictionary<string, string> WrongClock(string offset)
    {
        var library = Directory.GetDirectories("/usr/lib").Select(d => Path.Combine(d, "faketime", "libfaketime.so.1")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("libfaketime is not installed (Debian's faketime package; scripts/test installs it)");
        return new Dictionary<string, string> { ["LD_PRELOAD"] = library, ["FAKETIME"] = offset };
    }

    /// <summary>What the worker wrote on standard error so far (its log).</summary>
    public string Log(int processId)
    {
        var log = _logs[processId];
        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>The process id in a worker id ("machine:pid:index").</summary>
    public static int ProcessIdOf(string workerId) => int.Parse(workerId.Split(':')[^2], CultureInfo.InvariantCulture);

    private Process Find(int processId)
    {
        lock (_gate)
        {
            return _processes.Single(p => p.Id == processId);
        }
    }

    /// <summary>SIGKILL, as a crash inside native code would end it; waits until it is gone.</summary>
    public void Kill(int processId)
    {
        var process = Find(processId);
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Sends a signal by name (TERM, STOP, CONT) with the system's kill command.</summary>
    public static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, processId.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} failed");
        }
    }

    /// <summary>The exit code once the process ended, or null if it still runs after <paramref name="timeout"/>.</summary>
    public int? ExitCode(int processId, TimeSpan timeout)
    {
        var process = Find(processId);
        if (!process.WaitForExit(timeout))
        {
            return null;
        }
        process.WaitForExit(); // and until what it wrote last has been read (the log)
        return process.ExitCode;
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
                    try
                    {
                        Signal(process.Id, "CONT"); // a stopped process cannot die until continued
                    }
                    catch (InvalidOperationException)
                    {
                    }
                    process.Kill();
                    process.WaitForExit();
                }
                process.Dispose();
            }
            _processes.Clear();
        }
    }
}
