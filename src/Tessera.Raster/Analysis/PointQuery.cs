using Tessera.Raster.Info;

namespace Tessera.Raster.Analysis;

/// <summary>Every band's value at one place of a raster (TiTiler's point query): the pixel under a lon/lat point.</summary>
public static class PointQuery
{
    /// <summary>One band's value there; null (and <c>NoData</c>) when it is the band's no data or NaN.</summary>
    public sealed record BandValue(int Band, string Label, double? Value, bool NoData);

    /// <summary>Where the point fell (in the raster's CRS and its pixel) and the values.</summary>
    public sealed record Result(double X, double Y, int Column, int Row, IReadOnlyList<BandValue> Values);

    /// <summary>The values at (<paramref name="lon"/>, <paramref name="lat"/>); null when the point lies outside the raster.</summary>
    public static Result? At(RasterDataset raster, double lon, double lat)
    {
        if (!raster.HasGeoTransform || string.IsNullOrEmpty(raster.CrsWkt))
        {
            throw new RasterArgumentException("the raster has no georeference: a lon/lat point cannot be placed on it");
        }
        Span<double> x = [lon];
        Span<double> y = [lat];
        using (var wgs84 = SpatialReference.Wgs84())
        using (var crs = SpatialReference.FromWkt(raster.CrsWkt))
        {
            if (!wgs84.Transform(crs, x, y)[0])
            {
                return null;
            }
        }
        // The inverse of the geotransform (rotation allowed).
        var t = raster.GeoTransform;
        var determinant = t.PixelWidth * t.PixelHeight - t.RowRotation * t.ColumnRotation;
        var dx = x[0] - t.OriginX;
        var dy = y[0] - t.OriginY;
        var column = Math.Floor((t.PixelHeight * dx - t.RowRotation * dy) / determinant);
        var row = Math.Floor((-t.ColumnRotation * dx + t.PixelWidth * dy) / determinant);
        if (column < 0 || row < 0 || column >= raster.Width || row >= raster.Height)
        {
            return null;
        }
        var labels = BandLabels.Of(raster);
        var values = new List<BandValue>(raster.BandCount);
        Span<double> one = stackalloc double[1];
        for (var b = 1; b <= raster.BandCount; b++)
        {
            raster.Read(b, new Window((int)column, (int)row, 1, 1), one);
            var noData = double.IsNaN(one[0]) || raster.Band(b).NoData is { } nd && one[0] == nd;
            values.Add(new BandValue(b, labels[b - 1], noData ? null : one[0], noData));
        }
        return new Result(x[0], y[0], (int)column, (int)row, values);
    }
}
