using System.Globalization;
using Tessera.Raster;

namespace Tessera.Processing.Mosaic;

/// <summary>
/// The output grid of a mosaic and what it will cost: the union of the inputs' footprints in the target CRS,
/// at the target resolution, on the lattice of the first input when it is in the target CRS (its pixels are
/// then read as they are). Without a resolution, north-up inputs all in the target CRS keep their finest x and y
/// pixel sizes, so a shared grid of non-square pixels stays as it is. Known before anything is read but the
/// inputs' headers.
/// </summary>
public sealed record MosaicPlan(RasterGrid Grid, int Bands, RasterDataType Type, double NoData)
{
    public long Pixels => (long)Grid.Width * Grid.Height;

    public long Bytes => Pixels * Bands * Type.SizeInBytes();

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Grid.Width} x {Grid.Height} pixels x {Bands} band(s) of {Type} = {Pixels * Bands:N0} values, about {Bytes / 1e9:F1} GB uncompressed");

    public static MosaicPlan Make(MosaicRequest request)
    {
        if (request.Inputs.Count == 0)
        {
            throw new RasterArgumentException("no inputs to mosaic");
        }
        var grids = new List<(string Path, RasterGrid Grid, int Bands, RasterBandInfo First)>();
        foreach (var input in request.Inputs)
        {
            using var ds = RasterDataset.Open(input);
            if (!ds.HasGeoTransform || !ds.Grid.HasCrs)
            {
                throw new RasterArgumentException($"{input}: has no georeference: it cannot be placed in a mosaic");
            }
            grids.Add((input, ds.Grid, ds.BandCount, ds.Band(1)));
        }
        var bands = grids[0].Bands;
        foreach (var g in grids.Where(g => g.Bands != bands))
        {
            throw new RasterArgumentException($"{g.Path}: has {g.Bands} band(s), {grids[0].Path} has {bands}: mosaic inputs need the same bands");
        }
        var first = grids[0].Grid;
        string targetWkt;
        if (request.Crs is null)
        {
            targetWkt = first.CrsWkt;
        }
        else
        {
            using var srs = SpatialReference.FromUserInput(request.Crs);
            targetWkt = srs.Wkt;
        }
        using var target = SpatialReference.FromWkt(targetWkt);
        Bounds? union = null;
        var allNorthUpInTarget = true;
        foreach (var (path, grid, _, _) in grids)
        {
            using var source = SpatialReference.FromWkt(grid.CrsWkt);
            var inTarget = source.IsSame(target);
            allNorthUpInTarget &= inTarget && grid.Transform.IsNorthUp;
            var b = inTarget ? grid.Bounds : source.TransformBounds(target, grid.Bounds);
            union = union is { } so ? new Bounds(Math.Min(so.MinX, b.MinX), Math.Min(so.MinY, b.MinY), Math.Max(so.MaxX, b.MaxX), Math.Max(so.MaxY, b.MaxY)) : b;
        }
        using var firstSrs = SpatialReference.FromWkt(first.CrsWkt);
        var firstInTarget = firstSrs.IsSame(target);
        double resolutionX, resolutionY;
        if (request.Resolution is { } r)
        {
            resolutionX = resolutionY = r > 0 && double.IsFinite(r) ? r : throw new RasterArgumentException($"resolution {r} is not a positive number");
        }
        else if (allNorthUpInTarget)
        {
            // As gdalwarp chooses (since GDAL 3.7) when nothing is reprojected: the finest x and the finest y pixel
            // size, each on its own, so tiles sharing a grid of non-square pixels (reprojected Landsat, 30 x 29.97 m)
            // keep it and are read as they are instead of being resampled onto square pixels.
            resolutionX = grids.Min(g => Math.Abs(g.Grid.Transform.PixelWidth));
            resolutionY = grids.Min(g => Math.Abs(g.Grid.Transform.PixelHeight));
        }
        else if (firstInTarget)
        {
            resolutionX = resolutionY = Math.Abs(first.Transform.PixelWidth);
        }
        else
        {
            var b = firstSrs.TransformBounds(target, first.Bounds);
            resolutionX = resolutionY = Math.Sqrt(b.Width * b.Height / ((double)first.Width * first.Height));
        }
        // Snap outwards to whole pixels: on the first input's lattice when it is in the target CRS, else on 0.
        var (anchorX, anchorY) = firstInTarget && request.Resolution is null ? (first.Transform.OriginX, first.Transform.OriginY) : (0.0, 0.0);
        var u = union!.Value;
        var minX = anchorX + Math.Floor((u.MinX - anchorX) / resolutionX + 1e-9) * resolutionX;
        var maxX = anchorX + Math.Ceiling((u.MaxX - anchorX) / resolutionX - 1e-9) * resolutionX;
        var maxY = anchorY + Math.Ceiling((u.MaxY - anchorY) / resolutionY - 1e-9) * resolutionY;
        var minY = anchorY + Math.Floor((u.MinY - anchorY) / resolutionY + 1e-9) * resolutionY;
        var width = (long)Math.Round((maxX - minX) / resolutionX);
        var height = (long)Math.Round((maxY - minY) / resolutionY);
        if (width > int.MaxValue || height > int.MaxValue || width * height * bands > request.MaxPixels)
        {
            var huge = string.Create(CultureInfo.InvariantCulture, $"{width} x {height} pixels x {bands} band(s) = {width * height * bands:N0} values");
            throw new RasterArgumentException($"the mosaic would be {huge}, more than the limit of {request.MaxPixels:N0}; choose a coarser resolution or raise the limit");
        }
        var type = request.OutputType ?? Stacking.BandStacker.CommonType(grids.Select(g => g.First.DataType));
        var noData = grids.Select(g => g.First.NoData).Distinct().ToList() is [{ } only] ? only : type.DefaultNoData();
        return new MosaicPlan(new RasterGrid((int)width, (int)height, new GeoTransform(minX, resolutionX, 0, maxY, 0, -resolutionY), targetWkt),
            bands, type, noData);
    }
}
