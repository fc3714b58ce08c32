using System.Collections.Concurrent;

namespace Tessera.Tasks.Workers;

/// <summary>
/// What this process's workers measured: duration of each stage (a histogram), failures per stage, and the
/// last heartbeat of each worker. Thread-safe; read by the <c>/metrics</c> endpoint.
/// </summary>
public sealed class TaskMetrics
{
    /// <summary>Upper bounds of the duration buckets, in seconds.</summary>
    public static readonly double[] Buckets = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800];

    private readonly ConcurrentDictionary<string, Histogram> _durations = new();
    private readonly ConcurrentDictionary<string, long> _failures = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _heartbeats = new();

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

        /// <summary>Cumulative counts per bucket (the last is +Inf), the total count and the sum.</summary>
        public (long[] Cumulative, long Count, double Sum) Snapshot()
        {
            lock (_gate)
            {
                var cumulative = new long[_counts.Length];
                long running = 0;
                for (var i = 0; i < _counts.Length; i++)
                {
                    running += _counts[i];
                    cumulative[i] = running;
                }
                return (cumulative, _count, _sum);
            }
        }
    }

    public void StageFinished(string stage, TimeSpan duration, bool failed)
    {
        _durations.GetOrAdd(stage, _ => new Histogram()).Observe(duration.TotalSeconds);
        if (failed)
        {
            _failures.AddOrUpdate(stage, 1, (_, n) => n + 1);
        }
    }

    public void Heartbeat(string worker, DateTimeOffset at) => _heartbeats[worker] = at;

    public IReadOnlyDictionary<string, Histogram> Durations => _durations;

    public IReadOnlyDictionary<string, long> Failures => _failures;

    public IReadOnlyDictionary<string, DateTimeOffset> Heartbeats => _heartbeats;
}
