using Tessera.Processing.Graphs.Evaluation;
using Tessera.Server.OpenEo;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// The cache of evaluated coverages: one evaluation however many requests ask at once, kept while used and for a while
/// after, dropped once idle or forgotten, but never disposed while a request still reads it; a failed evaluation is
/// not kept.
/// </summary>
public sealed class CoverageCacheTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly Clock _clock = new();

    public void Dispose() => _root.Dispose();

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Counts how often what a coverage owns was disposed.</summary>
    private sealed class Owner : IDisposable
    {
        public int Disposed;

        public void Dispose() => Interlocked.Increment(ref Disposed);
    }

    private Coverage Make(string id, Owner owner)
    {
        var path = _root.File($"{id}-{Guid.NewGuid():N}.tif");
        SyntheticRaster.Write<float>(path, SyntheticRaster.Grid(20, 10), (c, r) => c + r);
        return new Coverage(id, id, CubeReader.OfFile(path), owner);
    }

    [Fact]
    public async Task ConcurrentReaders_ShareOneEvaluation_KeptUntilIdle()
    {
        using var cache = new CoverageCache(_clock);
        var owner = new Owner();
        var made = 0;
        var gate = new TaskCompletionSource();
        async Task<Coverage> Slow()
        {
            Interlocked.Increment(ref made);
            await gate.Task;
            return Make("a", owner);
        }

        var first = cache.LeaseAsync("service:a:1", Slow, CancellationToken.None);
        var second = cache.LeaseAsync("service:a:1", Slow, CancellationToken.None);
        gate.SetResult();
        using (var one = await first)
        using (var two = await second)
        {
            Assert.Same(one.Coverage, two.Coverage);
        }
        Assert.Equal(1, made);

        _clock.Now += TimeSpan.FromMinutes(5);
        (await cache.LeaseAsync("service:b:1", () => Task.FromResult(Make("b", new Owner())), CancellationToken.None)).Dispose();
        Assert.Equal(0, owner.Disposed); // not idle long enough
        (await cache.LeaseAsync("service:a:1", Slow, CancellationToken.None)).Dispose();
        Assert.Equal(1, made);

        _clock.Now += CoverageCache.Idle + TimeSpan.FromSeconds(1);
        (await cache.LeaseAsync("service:b:1", () => Task.FromResult(Make("b", new Owner())), CancellationToken.None)).Dispose();
        Assert.Equal(1, owner.Disposed);
        (await cache.LeaseAsync("service:a:1", Slow, CancellationToken.None)).Dispose();
        Assert.Equal(2, made); // evaluated again
    }

    [Fact]
    public async Task AForgottenCoverage_IsDisposedOnlyOnceItsLastReaderIsDone()
    {
        using var cache = new CoverageCache(_clock);
        var owner = new Owner();
        var lease = await cache.LeaseAsync("service:a:1", () => Task.FromResult(Make("a", owner)), CancellationToken.None);

        cache.Forget("service:a:");
        Assert.Equal(0, owner.Disposed);
        Assert.NotNull(CubeReader.Read(lease.Coverage.Cube, lease.Coverage.Cube.Grid)); // still readable
        lease.Dispose();
        lease.Dispose();

        Assert.Equal(1, owner.Disposed);
    }

    [Fact]
    public async Task AFailedEvaluation_IsNotKept()
    {
        using var cache = new CoverageCache(_clock);
        var attempts = 0;
        Task<Coverage> Failing() => ++attempts == 1 ? throw new InvalidOperationException("no scenes") : Task.FromResult(Make("a", new Owner()));

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.LeaseAsync("service:a:1", Failing, CancellationToken.None));
        using var lease = await cache.LeaseAsync("service:a:1", Failing, CancellationToken.None);

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task BeyondItsCapacity_TheLeastRecentlyUsedIdleCoverageGoes()
    {
        using var cache = new CoverageCache(_clock);
        var owners = Enumerable.Range(0, CoverageCache.Capacity + 1).Select(_ => new Owner()).ToList();
        for (var i = 0; i <= CoverageCache.Capacity; i++)
        {
            _clock.Now += TimeSpan.FromSeconds(1);
            var owner = owners[i];
            (await cache.LeaseAsync($"service:{i}:1", () => Task.FromResult(Make($"s{i}", owner)), CancellationToken.None)).Dispose();
        }

        Assert.Equal([1, .. Enumerable.Repeat(0, CoverageCache.Capacity)], owners.Select(o => o.Disposed));
    }
    [Fact]
    public async Task ReadsBeyondTheComputingSlotsAndTheWaitingOnes_AreRefusedAsBusy()
    {
        using var cache = new CoverageCache(_clock, computing: 1, maxWaiting: 1);
        using var release = new ManualResetEventSlim();
        var running = cache.ComputeAsync(() => { release.Wait(); return 1; }, CancellationToken.None);
        var waiting = cache.ComputeAsync(() => 2, CancellationToken.None);

        await Assert.ThrowsAsync<Tessera.Server.Tiles.TilesBusyException>(() => cache.ComputeAsync(() => 3, CancellationToken.None));
        release.Set();
        Assert.Equal((1, 2), (await running, await waiting));
        Assert.Equal(4, await cache.ComputeAsync(() => 4, CancellationToken.None));
    }
}
