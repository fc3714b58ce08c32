using System.Globalization;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;
using Tessera.Raster.Alignment;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// <c>load_collection</c>'s cube: the scenes the catalog finds, one time label per day (scenes of the same day
/// mosaicked, the first valid value kept), on the grid of the first scene's finest band (its CRS and pixel lattice)
/// over the spatial extent asked for, or over every scene found when none was.
/// </summary>
public static class CubeLoader
{
    /// <summary>Most pixels a cube's grid may have.</summary>
    public const long MaxPixels = 2_000_000_000;

    public static DataCube Build(IReadOnlyList<Scene> scenes, IReadOnlyList<CollectionBand> bands, Bounds? box, string? boxCrs, string node)
    {
        if (scenes.Count == 0)
        {
            throw new GraphException("NoDataAvailable", "no scene of the collection meets the extents and properties asked for", node) { IsClientError = true };
        }
        var inputs = new List<BandSource>();
        var grid = Grid(scenes, box, boxCrs, node);
        var days = scenes.GroupBy(s => s.Time.UtcDateTime.Date).OrderBy(g => g.Key).ToList();
        var values = new List<PixelExpr>();
        foreach (var day in days)
        {
            foreach (var band in bands)
            {
                var leaves = new List<PixelExpr>();
                foreach (var scene in day)
                {
                    if (scene.Bands.FirstOrDefault(b => b.Band == band.Name) is { } file)
                    {
                        inputs.Add(new BandSource($"{scene.Id}/{band.Name}", file.Path, file.BandIndex));
                        leaves.Add(new Leaf(inputs.Count - 1));
                    }
                }
                values.Add(leaves.Count switch
                {
                    0 => new Constant(double.NaN),
                    1 => leaves[0],
                    _ => new FirstValid(leaves),
                });
            }
        }
        var times = days.Select(d => d.Key.ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture)).ToList();
        return new DataCube(grid, times, bands.Select(b => b.Name).ToList(), values, inputs,
            bands.Where(b => b.CommonName is not null).ToDictionary(b => b.Name, b => b.CommonName!));
    }

    /// <summary>The grid: the finest band of the first scene gives the CRS and the lattice; the box (or the scenes) the extent.</summary>
    private static RasterGrid Grid(IReadOnlyList<Scene> scenes, Bounds? box, string? boxCrs, string node)
    {
        var first = scenes[0];
        var reference = GridAligner.ChooseReference(first.Bands.Select(b => new BandSource(b.Band, b.Path, b.BandIndex)).ToList());
        using var target = SpatialReference.FromWkt(reference.CrsWkt);
        Bounds extent;
        if (box is { } b)
        {
            using var from = SpatialReference.FromUserInput(boxCrs ?? "EPSG:4326");
            extent = from.IsSame(target) ? b : from.TransformBounds(target, b);
        }
        else
        {
            extent = scenes.SelectMany(s => s.Bands).Select(f =>
            {
                using var ds = RasterDataset.Open(f.Path);
                var g = ds.Grid;
                if (!g.HasCrs)
                {
                    return g.Bounds;
                }
                using var own = SpatialReference.FromWkt(g.CrsWkt);
                return own.IsSame(target) ? g.Bounds : own.TransformBounds(target, g.Bounds);
            }).Aggregate((a, c) => new Bounds(Math.Min(a.MinX, c.MinX), Math.Min(a.MinY, c.MinY), Math.Max(a.MaxX, c.MaxX), Math.Max(a.MaxY, c.MaxY)));
        }
        var t = reference.Transform;
        if (!t.IsNorthUp)
        {
            throw new GraphException("Internal", "the scenes' grid is rotated; only north-up grids make cubes here", node) { IsClientError = false };
        }
        var pw = t.PixelWidth;
        var ph = -t.PixelHeight;
        var col0 = Math.Floor((extent.MinX - t.OriginX) / pw + 1e-9);
        var col1 = Math.Ceiling((extent.MaxX - t.OriginX) / pw - 1e-9);
        var row0 = Math.Floor((t.OriginY - extent.MaxY) / ph + 1e-9);
        var row1 = Math.Ceiling((t.OriginY - extent.MinY) / ph - 1e-9);
        var width = (long)Math.Max(1, col1 - col0);
        var height = (long)Math.Max(1, row1 - row0);
        if (width * height > MaxPixels)
        {
            throw new GraphException("ProcessGraphComplexity",
                $"the cube would be {width} x {height} pixels at the scenes' resolution, more than {MaxPixels}: give a smaller spatial_extent", node);
        }
        return new RasterGrid((int)width, (int)height,
            new GeoTransform(t.OriginX + col0 * pw, pw, 0, t.OriginY - row0 * ph, 0, -ph), reference.CrsWkt);
    }
}
