using Microsoft.Win32.SafeHandles;

namespace Tessera.Raster.Gdal;

/// <summary>An open GDAL dataset. Closing it is explicit in writers (see <see cref="RasterDataset.Close"/>).</summary>
internal sealed class DatasetHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public DatasetHandle(IntPtr handle) : this() => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        GdalNative.GDALClose(handle);
        return true;
    }
}

/// <summary>An OGRSpatialReference, reference counted by GDAL.</summary>
internal sealed class SpatialReferenceHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public SpatialReferenceHandle(IntPtr handle) : this() => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        GdalNative.OSRRelease(handle);
        return true;
    }
}

/// <summary>An OGRCoordinateTransformation.</summary>
internal sealed class CoordinateTransformationHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public CoordinateTransformationHandle(IntPtr handle) : this() => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        GdalNative.OCTDestroyCoordinateTransformation(handle);
        return true;
    }
}
