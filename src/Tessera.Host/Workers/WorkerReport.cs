using System.Diagnostics;
using System.Text.Json;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Workers;

/// <summary>
/// What a supervised worker process tells its server about itself, a line on its standard output
/// (<c>metrics {json}</c>): its workers' measurements and its own CPU time and memory. The server exports them in
/// <c>/metrics</c> beside its own (<see cref="WorkerProcessMetrics"/>).
/// </summary>
public sealed record WorkerReport(MetricsSnapshot Tasks, ProcessGauges Process)
{
    public const string Prefix = "metrics ";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToLine() => Prefix + JsonSerializer.Serialize(this, Json);

    /// <summary>The report a line carries, or null when the line is not one.</summary>
    public static WorkerReport? Parse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<WorkerReport>(line.AsSpan(Prefix.Length), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes a report whenever the workers measured something new, and every few seconds anyway (CPU and memory move),
    /// until <paramref name="stop"/>; a last one as it stops.
    /// </summary>
    public static async Task WriteAsync(TaskMetrics metrics, TextWriter output, CancellationToken stop)
    {
        var written = -1L;
        var since = Stopwatch.StartNew();
        while (true)
        {
            var stopping = stop.IsCancellationRequested;
            if (metrics.Changes != written || since.Elapsed > TimeSpan.FromSeconds(5) || stopping)
            {
                written = metrics.Changes;
                since.Restart();
                try
                {
                    await output.WriteLineAsync(new WorkerReport(metrics.Snapshot(), ProcessGauges.OfThisProcess()).ToLine());
                    await output.FlushAsync(CancellationToken.None);
                }
                catch (IOException)
                {
                    return; // nobody reads any more: the server is going
                }
            }
            if (stopping)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

/// <summary>A process's CPU time (user and system, seconds) and resident memory (bytes).</summary>
public sealed record ProcessGauges(double CpuSeconds, long ResidentBytes)
{
    public static ProcessGauges OfThisProcess()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new ProcessGauges(self.TotalProcessorTime.TotalSeconds, self.WorkingSet64);
    }
}
