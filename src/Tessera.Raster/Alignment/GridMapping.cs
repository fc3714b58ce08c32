namespace Tessera.Raster.Alignment;

/// <summary>
/// How a reference grid maps onto a source grid in the same CRS, both north-up: the centre of reference pixel
/// (c, r) lies at source pixel coordinates u = ColOffset + ColScale × (c + 0.5), v = RowOffset + RowScale × (r + 0.5)
/// (pixel edges at whole numbers, as GDAL counts them).
/// </summary>
public sealed record GridMapping(double ColOffset, double ColScale, double RowOffset, double RowScale, Resampling Resampling)
{
    public static GridMapping Between(RasterGrid reference, RasterGrid source, Resampling resampling)
    {
        var r = reference.Transform;
        var s = source.Transform;
        return new GridMapping(
            (r.OriginX - s.OriginX) / s.PixelWidth, r.PixelWidth / s.PixelWidth,
            (r.OriginY - s.OriginY) / s.PixelHeight, r.PixelHeight / s.PixelHeight,
            resampling);
    }
}
