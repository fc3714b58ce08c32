namespace Tessera.Raster;

/// <summary>
/// GDAL's affine geotransform: x = OriginX + col * PixelWidth + row * RowRotation,
/// y = OriginY + col * ColumnRotation + row * PixelHeight (PixelHeight is negative for north-up images).
/// </summary>
public readonly record struct GeoTransform(
    double OriginX, double PixelWidth, double RowRotation, double OriginY, double ColumnRotation, double PixelHeight)
{
    /// <summary>The transform GDAL reports for rasters without georeference.</summary>
    public static GeoTransform Identity { get; } = new(0, 1, 0, 0, 0, 1);

    public static GeoTransform FromArray(ReadOnlySpan<double> c) => new(c[0], c[1], c[2], c[3], c[4], c[5]);

    public double[] ToArray() => [OriginX, PixelWidth, RowRotation, OriginY, ColumnRotation, PixelHeight];

    public bool IsNorthUp => RowRotation == 0 && ColumnRotation == 0;

    /// <summary>Pixel area in squared CRS units (for choosing the finest grid).</summary>
    public double PixelArea => Math.Abs(PixelWidth * PixelHeight - RowRotation * ColumnRotation);

    public (double X, double Y) PixelToWorld(double col, double row) =>
        (OriginX + col * PixelWidth + row * RowRotation, OriginY + col * ColumnRotation + row * PixelHeight);

    /// <summary>Whether two transforms describe the same grid up to a fraction of a pixel.</summary>
    public bool IsCloseTo(GeoTransform other, double pixelTolerance = 1e-6)
    {
        var tolX = Math.Abs(PixelWidth) * pixelTolerance;
        var tolY = Math.Abs(PixelHeight) * pixelTolerance;
        return Math.Abs(OriginX - other.OriginX) <= tolX && Math.Abs(OriginY - other.OriginY) <= tolY
            && Math.Abs(PixelWidth - other.PixelWidth) <= tolX && Math.Abs(PixelHeight - other.PixelHeight) <= tolY
            && Math.Abs(RowRotation - other.RowRotation) <= tolX && Math.Abs(ColumnRotation - other.ColumnRotation) <= tolY;
    }
}
