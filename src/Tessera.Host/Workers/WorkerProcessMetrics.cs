using Tessera.Tasks.Workers;

namespace Tessera.Host.Workers;

/// <summary>
/// The measurements of the server's worker processes, as their reports arrive (<see cref="WorkerReport"/>): the
/// running child's last report, added to what the children before it had counted, so that counters never go back
/// when a child is restarted (heartbeats are the running child's only).
/// </summary>
public sealed class WorkerProcessMetrics
{
    private readonly Lock _gate = new();
    private MetricsSnapshot _ended = MetricsSnapshot.Empty;
    private (int Pid, WorkerReport Report)? _running;

    public void Report(int pid, WorkerReport report)
    {
        lock (_gate)
        {
            if (_running is { } running && running.Pid != pid)
            {
                _ended = _ended.Plus(Counts(running.Report.Tasks));
            }
            _running = (pid, report);
        }
    }

    /// <summary>A child ended: its last report's counts stay, its process gauges go.</summary>
    public void Ended(int pid)
    {
        lock (_gate)
        {
            if (_running is { } running && running.Pid == pid)
            {
                _ended = _ended.Plus(Counts(running.Report.Tasks));
                _running = null;
            }
        }
    }

    /// <summary>An ended child's counters; its workers' heartbeats end with it (a stale one would look like a stuck worker forever).</summary>
    private static MetricsSnapshot Counts(MetricsSnapshot tasks) => tasks with { Heartbeats = new Dictionary<string, double>() };

    /// <summary>Everything the worker processes measured, and the running one's CPU and memory (null when none runs).</summary>
    public (MetricsSnapshot Tasks, ProcessGauges? Process) Read()
    {
        lock (_gate)
        {
            return _running is { } running ? (_ended.Plus(running.Report.Tasks), running.Report.Process) : (_ended, null);
        }
    }
}
