using System.Collections.Concurrent;

namespace Tessera.Tasks.Workers;

/// <summary>
/// What this process's workers measured: duration of each stage (a histogram), failures per stage and error kind,
/// and the last heartbeat of each worker (its last claim or lease renewal). Thread-safe; read by the <c>/metrics</c> endpoint, and written as a
/// <see cref="MetricsSnapshot"/> by a supervised worker process for its server to export.
/// </summary>
public sealed class TaskMetrics
{
    /// <summary>Upper bounds of the duration buckets, in seconds.</summary>
    public static readonly double[] Buckets = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800];

    private readonly ConcurrentDictionary<string, Histogram> _durations = new();
    private readonly ConcurrentDictionary<(string Stage, string Kind), long> _failures = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _heartbeats = new();
    private long _changes;

    public sealed class Histogram
    {
        private readonly long[] _counts = new long[Buckets.Length + 1];
        private long _count;
        private double _sum;
        private readonly Lock _gate = new();

        public void Observe(double seconds)
        {
            lock (_gate)
            {
                var i = Array.FindIndex(Buckets, b => seconds <= b);
                _counts[i < 0 ? Buckets.Length : i]++;
                _count++;
                _sum += seconds;
            }
        }

        /// <summary>Counts per bucket (not cumulative; the last is above every bound), the total count and the sum.</summary>
        public StageDurations Read()
        {
            lock (_gate)
            {
                return new StageDurations((long[])_counts.Clone(), _count, _sum);
            }
        }
    }

    /// <param name="errorKind">What failed, when the stage failed (<see cref="ErrorKinds.Of"/>); null when it succeeded.</param>
    public void StageFinished(string stage, TimeSpan duration, string? errorKind = null)
    {
        _durations.GetOrAdd(stage, _ => new Histogram()).Observe(duration.TotalSeconds);
        if (errorKind is not null)
        {
            _failures.AddOrUpdate((stage, errorKind), 1, (_, n) => n + 1);
        }
        Interlocked.Increment(ref _changes);
    }

    public void Heartbeat(string worker, DateTimeOffset at)
    {
        _heartbeats[worker] = at;
        Interlocked.Increment(ref _changes);
    }

    /// <summary>Grows whenever something is measured: a reporter writes a snapshot only when it moved.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Everything measured so far, as plain data (serialisable, and merged with other processes' by <see cref="MetricsSnapshot.Plus"/>).</summary>
    public MetricsSnapshot Snapshot() => new(
        _durations.ToDictionary(d => d.Key, d => d.Value.Read()),
        _failures.Select(f => new FailureCount(f.Key.Stage, f.Key.Kind, f.Value)).ToList(),
        _heartbeats.ToDictionary(h => h.Key, h => h.Value.ToUnixTimeMilliseconds() / 1000.0));
}

/// <summary>A stage's durations: counts per bucket of <see cref="TaskMetrics.Buckets"/> (the last above them all), count and sum.</summary>
public sealed record StageDurations(long[] Counts, long Count, double Sum)
{
    public StageDurations Plus(StageDurations other) =>
        new(Counts.Zip(other.Counts, (a, b) => a + b).ToArray(), Count + other.Count, Sum + other.Sum);
}

/// <summary>How many times a stage failed with one kind of error.</summary>
public sealed record FailureCount(string Stage, string Kind, long Count);

/// <summary>What one or more processes' workers measured; heartbeats are Unix seconds.</summary>
public sealed record MetricsSnapshot(
    IReadOnlyDictionary<string, StageDurations> Durations,
    IReadOnlyList<FailureCount> Failures,
    IReadOnlyDictionary<string, double> Heartbeats)
{
    public static readonly MetricsSnapshot Empty = new(new Dictionary<string, StageDurations>(), [], new Dictionary<string, double>());

    /// <summary>Both together: durations and failures added, the later heartbeat of each worker.</summary>
    public MetricsSnapshot Plus(MetricsSnapshot other)
    {
        var durations = new Dictionary<string, StageDurations>(Durations);
        foreach (var (stage, d) in other.Durations)
        {
            durations[stage] = durations.TryGetValue(stage, out var mine) ? mine.Plus(d) : d;
        }
        var failures = Failures.Concat(other.Failures).GroupBy(f => (f.Stage, f.Kind))
            .Select(g => new FailureCount(g.Key.Stage, g.Key.Kind, g.Sum(f => f.Count))).ToList();
        var heartbeats = new Dictionary<string, double>(Heartbeats);
        foreach (var (worker, at) in other.Heartbeats)
        {
            heartbeats[worker] = heartbeats.TryGetValue(worker, out var mine) ? Math.Max(mine, at) : at;
        }
        return new MetricsSnapshot(durations, failures, heartbeats);
    }
}
