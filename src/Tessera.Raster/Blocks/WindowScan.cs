using Tessera.Raster.Alignment;

namespace Tessera.Raster.Blocks;

/// <summary>
/// Reads aligned inputs over a grid window by window (row-major squares of <c>side</c> pixels) and hands each
/// window's values (NaN = no data) to a callback: for statistics gathered before or instead of a
/// <see cref="BlockEngine"/> run. Memory is one window per input and thread.
/// </summary>
public static class WindowScan
{
    /// <summary>On the calling thread, in window order.</summary>
    /// <param name="visit">Gets the window and one buffer per input (the first PixelCount values count).</param>
    public static void Run(RasterGrid grid, IReadOnlyList<AlignedSource> inputs, Action<Window, float[][]> visit,
        CancellationToken cancellationToken = default, int side = 512)
    {
        using var reader = new AlignedReader();
        var buffers = inputs.Select(_ => new float[side * side]).ToArray();
        var layout = new BlockLayout(grid.Width, grid.Height, side);
        for (var i = 0; i < layout.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Read(reader, inputs, layout[i], buffers);
            visit(layout[i], buffers);
        }
    }

    /// <summary>
    /// On several threads (each with its own reader): <paramref name="summarise"/> turns each window into a partial
    /// result, and the partial results come back in window order, so that folding them gives the same answer
    /// whatever the thread count.
    /// </summary>
    public static IReadOnlyList<T> Map<T>(RasterGrid grid, IReadOnlyList<AlignedSource> inputs, Func<Window, float[][], T> summarise,
        CancellationToken cancellationToken = default, int side = 512, int threads = 0)
    {
        var layout = new BlockLayout(grid.Width, grid.Height, side);
        var results = new T[layout.Count];
        var next = -1;
        WorkerThreads.Run(WorkerThreads.Count(threads, layout.Count), () =>
        {
            using var reader = new AlignedReader();
            var buffers = inputs.Select(_ => new float[side * side]).ToArray();
            int i;
            while ((i = Interlocked.Increment(ref next)) < layout.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Read(reader, inputs, layout[i], buffers);
                results[i] = summarise(layout[i], buffers);
            }
        });
        return results;
    }

    private static void Read(AlignedReader reader, IReadOnlyList<AlignedSource> inputs, Window window, float[][] buffers)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            reader.Read(inputs[i], window, buffers[i]);
        }
    }
}
