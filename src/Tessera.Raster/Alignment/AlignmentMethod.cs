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
}
