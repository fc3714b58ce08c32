namespace Tessera.Raster.Info;

/// <summary>
/// Everything a user asks of a raster before using it: size, bands, data types, CRS, bounds (native and
/// lon/lat), resolution, nodata, scale/offset, descriptions and block sizes; optionally statistics.
/// This is the answer to a band-info query.
/// </summary>
public sealed record RasterDescription(
    string Path,
    string Driver,
    int Width,
    int Height,
    int BandCount,
    string? CrsWkt,
    int? Epsg,
    double[]? GeoTransform,
    Bounds? Bounds,
    Bounds? LonLatBounds,
    double? ResolutionX,
    double? ResolutionY,
    IReadOnlyList<BandDescription> Bands)
{
    /// <summary>Reads the description of an open dataset; <paramref name="statistics"/> computes exact band statistics.</summary>
    public static RasterDescription Of(RasterDataset ds, bool statistics = false)
    {
        var grid = ds.Grid;
        int? epsg = null;
        Bounds? lonLat = null;
        Bounds? bounds = null;
        double[]? transform = null;
        double? resX = null, resY = null;
        if (ds.HasGeoTransform)
        {
            var gt = grid.Transform;
            transform = gt.ToArray();
            bounds = grid.Bounds;
            resX = Math.Sqrt(gt.PixelWidth * gt.PixelWidth + gt.ColumnRotation * gt.ColumnRotation);
            resY = Math.Sqrt(gt.PixelHeight * gt.PixelHeight + gt.RowRotation * gt.RowRotation);
        }
        if (grid.HasCrs)
        {
            using var srs = SpatialReference.FromWkt(grid.CrsWkt);
            epsg = srs.EpsgCode;
            if (bounds is { } b)
            {
                try
                {
                    using var wgs84 = SpatialReference.Wgs84();
                    lonLat = srs.TransformBounds(wgs84, b);
                }
                catch (GridAlignmentException)
                {
                    lonLat = null; // a CRS without a path to WGS 84 still has native bounds
                }
            }
        }
        var bands = ds.Bands.Select(band => new BandDescription(
            band.Index,
            band.DataType.ToString(),
            band.NoData,
            band.Scale,
            band.Offset,
            band.Description,
            band.BlockWidth,
            band.BlockHeight,
            band.OverviewCount,
            statistics ? Statistics(ds, band.Index) : null)).ToList();
        return new RasterDescription(ds.Path, ds.DriverName, ds.Width, ds.Height, ds.BandCount,
            grid.HasCrs ? grid.CrsWkt : null, epsg, transform, bounds, lonLat, resX, resY, bands);
    }

    private static BandStatistics Statistics(RasterDataset ds, int band) => BandStatistics.Compute(ds, band);
}

/// <summary>One band of a <see cref="RasterDescription"/>.</summary>
public sealed record BandDescription(
    int Index,
    string DataType,
    double? NoData,
    double Scale,
    double Offset,
    string Description,
    int BlockWidth,
    int BlockHeight,
    int OverviewCount,
    BandStatistics? Statistics);

