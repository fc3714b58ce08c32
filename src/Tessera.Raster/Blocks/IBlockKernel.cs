namespace Tessera.Raster.Blocks;

/// <summary>
/// A per-pixel computation from N input bands to M output bands, run block by block. One instance per worker
/// thread (it may keep scratch buffers), so implementations need not be thread-safe.
/// </summary>
public interface IBlockKernel
{
    /// <summary>Fills every output of the block from its inputs. NaN in an input means nodata there.</summary>
    void Process(RasterBlock block);
}
