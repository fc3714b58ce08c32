namespace Tessera.Tasks.Workers;

/// <summary>
/// Waits that double after each failure in a row, from <paramref name="first"/> up to <paramref name="longest"/>,
/// with a random part so that workers that failed together do not retry together; back to the start after a success.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan longest)
{
    private int _failures;

    /// <summary>Failures in a row so far.</summary>
    public int Failures => _failures;

    public TimeSpan Next()
    {
        var steps = Math.Min(_failures++, 16);
        var delay = Math.Min(longest.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, steps));
        return TimeSpan.FromMilliseconds(delay * (0.75 + Random.Shared.NextDouble() * 0.5));
    }

    public void Reset() => _failures = 0;
}
