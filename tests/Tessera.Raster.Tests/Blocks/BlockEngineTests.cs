using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Blocks;

public class BlockEngineTests
{
    /// <summary>out = 2 * in + 1, NaN stays NaN.</summary>
    private sealed class AffineKernel : IBlockKernel
    {
        public void Process(RasterBlock block)
        {
            var input = block.Input(0);
            var output = block.Output(0);
            for (var i = 0; i < input.Length; i++)
            {
                output[i] = 2 * input[i] + 1;
            }
        }
    }

    private sealed class FailingKernel(int failAtRow) : IBlockKernel
    {
        public void Process(RasterBlock block)
        {
            if (block.Window.RowOffset >= failAtRow)
            {
                throw new RasterIOException("x", "disk on fire");
            }
            block.Output(0).Fill(1);
        }
    }

    private sealed class RecordingProgress : IProgress<RasterProgress>
    {
        public List<RasterProgress> Reports { get; } = [];

        public void Report(RasterProgress value)
        {
            lock (Reports)
            {
                Reports.Add(value);
            }
        }
    }

    /// <summary>With 16-pixel file tiles the engine writes whole blocks past GDAL's cache (edge blocks padded);
    /// with 512-pixel tiles it writes windows through the cache. Both must give the same pixels.</summary>
    [Theory]
    [InlineData(1, 512)]
    [InlineData(3, 512)]
    [InlineData(1, 16)]
    [InlineData(3, 16)]
    public void Run_OddSizedGridInSmallBlocks_ComputesEveryPixelOnce(int threads, int fileTile)
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(50, 37);
        var input = SyntheticRaster.Write<short>(temp.File("in.tif"), grid, (c, r) => (short)(c * 37 + r - 100), noData: -100);
        var aligned = GridAligner.Align(new BandSource("x", input), grid, Resampling.Nearest);
        var progress = new RecordingProgress();

        var options = new OutputOptions(OutputFormats.GTiff, [$"BLOCKXSIZE={fileTile}", $"BLOCKYSIZE={fileTile}"]);
        using (var output = RasterOutput.Begin(temp.File("out.tif"), options, grid,
                   RasterDataType.Float32, ["affine"], double.NaN))
        {
            BlockEngine.Run(new BlockJob(grid, [aligned], 1, () => new AffineKernel(), BlockSize: 16, Threads: threads),
                output.Dataset, progress);
            output.Commit();
        }

        var result = SyntheticRaster.ReadAll(temp.File("out.tif"));
        for (var r = 0; r < 37; r++)
        {
            for (var c = 0; c < 50; c++)
            {
                var raw = c * 37 + r - 100;
                var v = result[r * 50 + c];
                if (raw == -100)
                {
                    Assert.True(float.IsNaN(v));
                }
                else
                {
                    Assert.Equal(2 * raw + 1, v);
                }
            }
        }
        var compute = progress.Reports.Where(p => p.Stage == "compute").ToList();
        Assert.Equal(new RasterProgress("compute", 12, 12), compute[^1]); // 4 x 3 blocks
        Assert.Equal(Enumerable.Range(0, 13).Select(i => (long)i), compute.Select(p => p.Done));
    }

    [Fact]
    public void Run_KernelFails_ErrorSurfaces_AndNothingIsLeftBehind()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(64, 64);
        var input = SyntheticRaster.Write<byte>(temp.File("in.tif"), grid, (c, r) => 1);
        var aligned = GridAligner.Align(new BandSource("x", input), grid, Resampling.Nearest);
        var e = Assert.Throws<RasterIOException>(() =>
        {
            using var output = RasterOutput.Begin(temp.File("out.tif"), new OutputOptions(), grid, RasterDataType.Float32, ["x"], double.NaN);
            BlockEngine.Run(new BlockJob(grid, [aligned], 1, () => new FailingKernel(32), BlockSize: 16, Threads: 2), output.Dataset);
            output.Commit();
        });
        Assert.Equal("disk on fire", e.Message);
        Assert.Equal([temp.File("in.tif")], temp.Files());
    }

    [Fact]
    public void Run_Cancelled_StopsBetweenBlocks_AndNothingIsLeftBehind()
    {
        using var temp = new TempFolder();
        var grid = SyntheticRaster.Grid(256, 256);
        var input = SyntheticRaster.Write<byte>(temp.File("in.tif"), grid, (c, r) => 1);
        var aligned = GridAligner.Align(new BandSource("x", input), grid, Resampling.Nearest);
        using var cancel = new CancellationTokenSource();
        var progress = new CancellingProgress(cancel, after: 3);
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            using var output = RasterOutput.Begin(temp.File("out.tif"), new OutputOptions(), grid, RasterDataType.Float32, ["x"], double.NaN);
            BlockEngine.Run(new BlockJob(grid, [aligned], 1, () => new AffineKernel(), BlockSize: 16, Threads: 2),
                output.Dataset, progress, cancel.Token);
            output.Commit(progress, cancel.Token);
        });
        Assert.True(progress.MaxDone < 256, $"{progress.MaxDone} of 256 blocks were written after cancelling");
        Assert.Equal([temp.File("in.tif")], temp.Files());
    }

    [Fact]
    public async Task PrepareInBackground_RunsTheKernelOnceOverAFewPixelsOfEveryInput()
    {
        var seen = new List<(int Inputs, int Outputs, int Pixels, float First, float Output)>();
        var prepared = await BlockEngine.PrepareInBackground(() => new RecordingKernel(seen), inputs: 2, outputBands: 1);
        Assert.True(prepared);
        var (inputs, outputs, pixels, first, output) = Assert.Single(seen);
        Assert.Equal((2, 1, 256, 1f), (inputs, outputs, pixels, first));
        Assert.Equal(3f, output);
    }

    [Fact]
    public async Task PrepareInBackground_LeavesAFailureToTheRun()
    {
        Assert.False(await BlockEngine.PrepareInBackground(() => throw new RasterArgumentException("no kernel"), 1, 1));
        Assert.False(await BlockEngine.PrepareInBackground(() => new FailingKernel(failAtRow: 0), 1, 1));
    }

    /// <summary>Records what it was given; out = in0 + 2.</summary>
    private sealed class RecordingKernel(List<(int, int, int, float, float)> seen) : IBlockKernel
    {
        public void Process(RasterBlock block)
        {
            var output = block.Output(0);
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = block.Input(0)[i] + 2;
            }
            seen.Add((block.InputCount, block.OutputCount, block.PixelCount, block.Input(1)[block.PixelCount - 1], output[0]));
        }
    }

    private sealed class CancellingProgress(CancellationTokenSource cancel, int after) : IProgress<RasterProgress>
    {
        public long MaxDone { get; private set; }

        public void Report(RasterProgress value)
        {
            MaxDone = Math.Max(MaxDone, value.Done);
            if (value.Done >= after)
            {
                cancel.Cancel();
            }
        }
    }
}
