namespace Tessera.Raster.Alignment;

/// <summary>How an input on another grid than the reference is brought onto it.</summary>
public enum AlignmentMethod
{
    /// <summary>GDAL's warper (gdalwarp semantics): any CRS; no data and the outside become NaN.</summary>
    Warp,

    /// <summary>
    /// GDAL's resampled reads, as <c>gdalbuildvrt</c> stacks bands of other resolutions (inputs in the reference's
    /// CRS; others are still warped).
    /// </summary>
    Resample,

    /// <summary>
    /// For an input in the reference's CRS with nearest or bilinear resampling: read at its own resolution, block by
    /// block, and interpolated in memory as GDAL's warper would (much less reading when upsampling). Other inputs are
    /// handled as with <see cref="Resample"/>.
    /// </summary>
    Interpolate,
}
