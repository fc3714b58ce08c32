using System.Collections.Concurrent;
using Tessera.Raster.Alignment;
using Tessera.Raster.Kernels;

namespace Tessera.Raster.Blocks;

/// <summary>
/// Runs a kernel over a grid block by block. Worker threads each open their own datasets (one handle per
/// thread), read the aligned inputs of a block, run the kernel and hand the outputs to the calling thread,
/// which alone writes to the output dataset. Blocks in flight are bounded (threads + 2), so memory is set by
/// block size, band count and thread count, never by image size. Cancellation is checked between blocks.
/// </summary>
public static class BlockEngine
{
    public static void Run(BlockJob job, RasterDataset output, IProgress<RasterProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (output.Width != job.Grid.Width || output.Height != job.Grid.Height || output.BandCount != job.OutputBands)
        {
            throw new RasterArgumentException("the output dataset does not match the job's grid and band count");
        }
        if (job.BlockSize < 16)
        {
            throw new RasterArgumentException("block size must be at least 16 pixels");
        }
        var layout = new BlockLayout(job.Grid.Width, job.Grid.Height, job.BlockSize);
        var threads = Math.Clamp(job.Threads > 0 ? job.Threads : Environment.ProcessorCount, 1, Math.Max(1, layout.Count));
        var capacity = job.BlockSize * job.BlockSize;
        var stored = (float)job.OutputNoData;

        // Free output blocks go round: worker fills one, writer writes it and gives it back.
        using var free = new BlockingCollection<RasterBlock>();
        for (var i = 0; i < threads + 2; i++)
        {
            free.Add(new RasterBlock(0, job.OutputBands, capacity));
        }
        using var ready = new BlockingCollection<RasterBlock>(threads + 2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;
        var failures = new ConcurrentQueue<Exception>();

        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                using var reader = new AlignedReader();
                var kernel = job.KernelFactory();
                var block = new RasterBlock(job.Inputs.Count, job.OutputBands, capacity);
                int index;
                while ((index = Interlocked.Increment(ref next)) < layout.Count)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    block.Window = layout[index];
                    for (var i = 0; i < job.Inputs.Count; i++)
                    {
                        reader.Read(job.Inputs[i], block.Window, block.InputBuffer(i));
                    }
                    kernel.Process(block);
                    for (var o = 0; o < job.OutputBands; o++)
                    {
                        PixelKernels.EncodeNonFinite(block.Output(o), stored);
                    }
                    var outgoing = free.Take(stop.Token);
                    block.SwapOutputs(outgoing);
                    ready.Add(outgoing, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
                stop.Cancel();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        _ = Task.WhenAll(workers).ContinueWith(_ => ready.CompleteAdding(), TaskScheduler.Default);

        // When output blocks are exactly the file's Float32 tiles, whole blocks go straight to the driver.
        var direct = Enumerable.Range(1, job.OutputBands).All(b =>
            output.Band(b).DataType == RasterDataType.Float32
            && output.Band(b).BlockWidth == job.BlockSize && output.Band(b).BlockHeight == job.BlockSize);
        var padding = direct ? new float[capacity] : [];
        long written = 0;
        progress?.Report(new RasterProgress("compute", 0, layout.Count));
        try
        {
                foreach (var block in ready.GetConsumingEnumerable())
            {
                if (!stop.IsCancellationRequested)
                {
                    for (var o = 0; o < job.OutputBands; o++)
                    {
                        if (direct)
                        {
                            output.WriteBlock<float>(o + 1, block.Window.ColOffset / job.BlockSize,
                                block.Window.RowOffset / job.BlockSize, block.Window, block.Output(o), padding);
                        }
                        else
                        {
                            output.Write<float>(o + 1, block.Window, block.Output(o));
                        }
                    }
                    written++;
                    progress?.Report(new RasterProgress("compute", written, layout.Count));
                }
                free.Add(block);
            }
        }
        catch (Exception e)
        {
            failures.Enqueue(e);
            stop.Cancel();
            foreach (var _ in ready.GetConsumingEnumerable())
            {
                // drain so workers blocked on a full queue can finish
            }
        }
        Task.WaitAll(workers);
        if (!failures.IsEmpty)
        {
            var first = failures.First();
            if (first is RasterException)
            {
                throw first;
            }
            throw new RasterException(first.Message, first);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
