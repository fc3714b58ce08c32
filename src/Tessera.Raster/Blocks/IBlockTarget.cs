namespace Tessera.Raster.Blocks;

/// <summary>
/// Where <see cref="BlockEngine"/> puts what it computes: each block is first finished on the thread that computed it
/// (after its non-finite values became nodata), then written on the engine's own thread, one block at a time.
/// </summary>
internal interface IBlockTarget
{
    int Width { get; }

    int Height { get; }

    int BandCount { get; }

    /// <summary>On the computing thread: work that can run in parallel (statistics, overviews, encoding).</summary>
    void Finish(RasterBlock block);

    /// <summary>On the engine's thread, in the order blocks finish.</summary>
    void Write(RasterBlock block);
}
