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
    /// <summary>Runs <paramref name="job"/> into an open dataset.</summary>
    public static void Run(BlockJob job, RasterDataset output, IProgress<RasterProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Run(job, new BlockWriter(output, job), null, progress, cancellationToken);

    /// <summary>Runs <paramref name="job"/> into a result being written (a COG is then encoded in this pass).</summary>
    public static void Run(BlockJob job, Output.RasterOutput output, IProgress<RasterProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Run(job, output.TargetFor(job), output.Part, progress, cancellationToken);

    /// <summary>
    /// Runs a kernel once over a few pixels, so that its code (vector paths compiled when first run) is ready before
    /// the computing threads start. Started in the background before GDAL is needed, it compiles while the library loads
    /// and the inputs are opened, instead of holding up the first blocks (a 16 x 16 NDVI: 119-125 ms instead of
    /// 130-133 ms). What goes wrong here is left to the run itself, which makes the same kernel: the task answers false.
    /// </summary>
    public static Task<bool> PrepareInBackground(Func<IBlockKernel> kernelFactory, int inputs, int outputBands) => Task.Run(() =>
    {
        try
        {
            Prepare(kernelFactory, inputs, outputBands);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    });

    private static void Prepare(Func<IBlockKernel> kernelFactory, int inputs, int outputBands)
    {
        const int pixels = 256;
        var block = new RasterBlock(inputs, outputBands, pixels) { Window = new Window(0, 0, 16, 16) };
        for (var i = 0; i < inputs; i++)
        {
            var input = block.InputArray(i).AsSpan(0, pixels);
            input.Fill(1);
            PixelKernels.Decode(input, 0, 1, 0);
        }
        kernelFactory().Process(block);
        for (var o = 0; o < outputBands; o++)
        {
            PixelKernels.EncodeNonFinite(block.Output(o), 0);
        }
    }

    /// <summary>Blocks in flight: enough that computing threads rarely wait while the writing thread is busy with a
    /// longer piece of work (a strip of overview tiles), within about 48 MB of block buffers (inputs, outputs, their
    /// halves and an encoded tile).</summary>
    private static int InFlight(int threads, BlockJob job)
    {
        var pixels = (long)job.BlockSize * job.BlockSize;
        var blockBytes = pixels * sizeof(float) * (job.Inputs.Count + 1.25 * Math.Max(1, job.OutputBands)) + pixels * 2 * job.OutputBands;
        return (int)Math.Clamp((48L << 20) / (long)blockBytes, threads + 2, 3 * threads + 2);
    }

    /// <param name="part">The window of the job's grid the output holds (its blocks' windows are the output's, shifted by
    /// the window's corner where the inputs are read); null: the whole grid.</param>
    private static void Run(BlockJob job, IBlockTarget output, Window? part, IProgress<RasterProgress>? progress,
        CancellationToken cancellationToken)
    {
        var area = part ?? job.Grid.FullWindow;
        if (!job.Grid.FullWindow.Contains(area) || output.Width != area.Width || output.Height != area.Height || output.BandCount != job.OutputBands)
        {
            throw new RasterArgumentException("the output dataset does not match the job's grid and band count");
        }
        if (job.BlockSize < 16)
        {
            throw new RasterArgumentException("block size must be at least 16 pixels");
        }
        var layout = new BlockLayout(area.Width, area.Height, job.BlockSize);
        var threads = Math.Clamp(job.Threads > 0 ? job.Threads : Environment.ProcessorCount, 1, Math.Max(1, layout.Count));
        var capacity = job.BlockSize * job.BlockSize;
        var stored = (float)job.OutputNoData;

        // Free output blocks go round: a worker fills one, the writer writes it and gives it back.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var free = new HandOff<RasterBlock>(0, stop.Token);
        for (var i = 0; i < InFlight(threads, job); i++)
        {
            free.Add(new RasterBlock(0, job.OutputBands, capacity));
        }
        using var ready = new HandOff<RasterBlock>(InFlight(threads, job), stop.Token);
        var next = -1;
        var failures = new ConcurrentQueue<Exception>();

        // Claims the next block; false when all are claimed or the run is stopping.
        bool Claim(RasterBlock block)
        {
            if (stop.IsCancellationRequested)
            {
                return false;
            }
            var index = Interlocked.Increment(ref next);
            if (index >= layout.Count)
            {
                return false;
            }
            block.Window = layout[index];
            return true;
        }

        void Compute(RasterBlock block, AlignedReader reader, IBlockKernel kernel)
        {
            var read = block.Window with { ColOffset = block.Window.ColOffset + area.ColOffset, RowOffset = block.Window.RowOffset + area.RowOffset };
            for (var i = 0; i < job.Inputs.Count; i++)
            {
                reader.Read(job.Inputs[i], read, block.InputBuffer(i));
            }
            kernel.Process(block);
            for (var o = 0; o < job.OutputBands; o++)
            {
                PixelKernels.EncodeNonFinite(block.Output(o), stored);
            }
            output.Finish(block);
        }

        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                using var reader = new AlignedReader();
                var kernel = job.KernelFactory();
                var block = new RasterBlock(job.Inputs.Count, job.OutputBands, capacity);
                while (Claim(block))
                {
                    Compute(block, reader, kernel);
                    var outgoing = free.Take();
                    block.SwapOutputs(outgoing);
                    ready.Add(outgoing);
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

        progress?.Report(new RasterProgress("compute", 0, layout.Count));
        var written = 0L;
        try
        {
            while (ready.TryTake(out var finished))
            {
                if (!stop.IsCancellationRequested)
                {
                    output.Write(finished);
                    written++;
                    progress?.Report(new RasterProgress("compute", written, layout.Count));
                }
                free.Add(finished);
            }
        }
        catch (Exception e)
        {
            failures.Enqueue(e);
            stop.Cancel();
            while (ready.TryTake(out _))
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
