using System.Runtime.ExceptionServices;

namespace Tessera.Raster.Blocks;

/// <summary>Runs the same work loop on several long-running threads (each claiming its own items) and waits.</summary>
public static class WorkerThreads
{
    /// <summary>The thread count for a request: <paramref name="requested"/> if positive, else one per core; at most <paramref name="items"/>.</summary>
    public static int Count(int requested, int items) => Math.Clamp(requested > 0 ? requested : Environment.ProcessorCount, 1, Math.Max(1, items));

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> threads; the first failure (other than
    /// a cancellation, when there is one) is rethrown as it was thrown.</summary>
    public static void Run(int threads, Action work)
    {
        var tasks = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(work, TaskCreationOptions.LongRunning)).ToArray();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e)
        {
            var inner = e.Flatten().InnerExceptions;
            ExceptionDispatchInfo.Capture(inner.FirstOrDefault(x => x is not OperationCanceledException) ?? inner[0]).Throw();
        }
    }
}
