using Tessera.Raster.Gdal;

namespace Tessera.Raster.Alignment;

/// <summary>
/// One open raster warped into another (both already made: the target's grid says where), by GDAL's warper with an
/// exact coordinate transformation, so that a part of a raster warped alone gets the values the whole would. Float32
/// targets start as no data (NaN) everywhere; what no source pixel reaches stays so.
/// </summary>
public static unsafe class RasterWarp
{
    public static void Into(RasterDataset source, RasterDataset target, Resampling resampling)
    {
        using var argv = new CStringList(["-r", resampling.ToGdal(), "-dstnodata", "nan", "-wo", "INIT_DEST=NO_DATA", "-et", "0"]);
        GdalErrors.Reset();
        var options = GdalNative.GDALWarpAppOptionsNew(argv.Pointer, IntPtr.Zero);
        if (options == IntPtr.Zero)
        {
            throw new RasterIOException(source.Path, $"bad warp options: {GdalErrors.Describe("rejected")}");
        }
        try
        {
            var handle = source.Handle;
            int usageError;
            if (GdalNative.GDALWarp(null, target.Handle, 1, &handle, options, &usageError) == IntPtr.Zero)
            {
                throw new RasterIOException(source.Path, $"cannot warp: {GdalErrors.Describe("GDAL warp failed")}");
            }
        }
        finally
        {
            GdalNative.GDALWarpAppOptionsFree(options);
        }
    }
}
