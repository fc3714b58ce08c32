namespace Tessera.Raster.Info;

/// <summary>
/// Decodes every block of every band once, so that a file whose header opens but whose data does not (a
/// truncated upload, flipped bits in compressed tiles, offsets pointing past the end) is found when it arrives
/// instead of when somebody asks for its preview or a task reads it.
/// </summary>
public static class RasterIntegrity
{
    /// <summary>
    /// Reads the whole raster block by block, rows of blocks shared out between <paramref name="threads"/> threads
    /// (each with a dataset of its own; the first uses <paramref name="dataset"/>); <see cref="RasterIOException"/>
    /// naming a band and window that cannot be decoded.
    /// </summary>
    public static void Check(RasterDataset dataset, CancellationToken cancellationToken = default, int threads = 0)
    {
        var first = dataset.Band(1);
        var blockHeight = Math.Max(1, first.BlockHeight);
        var blockRows = (dataset.Height + blockHeight - 1) / blockHeight;
        var workers = Math.Clamp(threads > 0 ? threads : Environment.ProcessorCount, 1, blockRows);
        if (workers == 1)
        {
            CheckRows(dataset, 0, blockRows, cancellationToken);
            return;
        }
        // Contiguous runs of block rows: each thread reads its part of the file in order. The first failure stops the others.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, part =>
        {
            var (from, to) = (blockRows * part / workers, blockRows * (part + 1) / workers);
            try
            {
                if (part == 0)
                {
                    CheckRows(dataset, from, to, stop.Token);
                    return;
                }
                using var own = RasterDataset.Open(dataset.Path);
                CheckRows(own, from, to, stop.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                failures.Enqueue(e);
                stop.Cancel();
            }
            catch (OperationCanceledException)
            {
                // stopped because another part failed, or the caller cancelled: said below
            }
        });
        if (failures.TryDequeue(out var failure))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static void CheckRows(RasterDataset dataset, int fromBlockRow, int toBlockRow, CancellationToken cancellationToken)
    {
        var first = dataset.Band(1);
        var blockWidth = Math.Max(1, first.BlockWidth);
        var blockHeight = Math.Max(1, first.BlockHeight);
        // Blocks in file order with the bands inside: a pixel-interleaved block is decoded once and its other
        // bands come from GDAL's cache. Values are converted to bytes: only decoding matters here.
        var buffer = new byte[(long)blockWidth * blockHeight];
        for (var blockRow = fromBlockRow; blockRow < toBlockRow; blockRow++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = blockRow * blockHeight;
            for (var col = 0; col < dataset.Width; col += blockWidth)
            {
                var window = new Window(col, row, Math.Min(blockWidth, dataset.Width - col), Math.Min(blockHeight, dataset.Height - row));
                for (var band = 1; band <= dataset.BandCount; band++)
                {
                    dataset.Read<byte>(band, window, buffer.AsSpan(0, (int)window.PixelCount));
                }
            }
        }
    }
}
