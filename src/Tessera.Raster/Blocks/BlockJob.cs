using Tessera.Raster.Alignment;

namespace Tessera.Raster.Blocks;

/// <summary>What <see cref="BlockEngine"/> runs.</summary>
/// <param name="Grid">The output grid; every input is read on it.</param>
/// <param name="Inputs">Inputs already aligned to <paramref name="Grid"/> (see <see cref="GridAligner"/>).</param>
/// <param name="OutputBands">Number of output bands the kernel fills.</param>
/// <param name="KernelFactory">Makes one kernel per worker thread.</param>
/// <param name="OutputNoData">Non-finite results are stored as this (NaN keeps NaN).</param>
/// <param name="BlockSize">Side of the square blocks, in pixels.</param>
/// <param name="Threads">Worker threads computing blocks; 0 = one per core.</param>
public sealed record BlockJob(
    RasterGrid Grid,
    IReadOnlyList<AlignedSource> Inputs,
    int OutputBands,
    Func<IBlockKernel> KernelFactory,
    double OutputNoData = double.NaN,
    int BlockSize = 512,
    int Threads = 0);
