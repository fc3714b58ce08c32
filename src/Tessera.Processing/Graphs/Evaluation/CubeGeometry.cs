using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Features;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// The processes on a cube's grid: resampling it (<c>resample_spatial</c>, <c>resample_cube_spatial</c>: a new grid,
/// the band files read onto it with the method asked for when the result is written) and masking or cutting it with
/// GeoJSON polygons (<c>mask_polygon</c>, <c>filter_spatial</c>: the polygons burnt once onto the grid, pixel centres
/// inside, into a file of the work folder the cube reads as one more input).
/// </summary>
public static class CubeGeometry
{
    /// <summary>The resampling methods taken here, by their openEO (gdalwarp) names.</summary>
    public static readonly string[] Methods = ["near", "bilinear", "cubic", "average"];

    public static Resampling Method(string name, Arguments a) => name switch
    {
        "near" => Resampling.Nearest,
        "bilinear" => Resampling.Bilinear,
        "cubic" => Resampling.Cubic,
        "average" => Resampling.Average,
        _ => throw new GraphException("ProcessArgumentInvalid", $"method '{name}' is not one this server resamples with ({string.Join(", ", Methods)})", a.Node, "method"),
    };

    /// <summary>
    /// The cube on a grid of the given pixel size (0: unchanged; in the new CRS, the pixel count kept) and CRS (null:
    /// unchanged) over the same extent, aligned to its upper-left corner.
    /// </summary>
    public static DataCube ResampleSpatial(DataCube cube, (double X, double Y) resolution, string? projection, Resampling method, Arguments a)
    {
        if (resolution.X < 0 || resolution.Y < 0)
        {
            throw new GraphException("ProcessArgumentInvalid", "give a positive pixel size (or 0: unchanged)", a.Node, "resolution");
        }
        using var own = SpatialReference.FromWkt(cube.Grid.CrsWkt);
        SpatialReference target;
        try
        {
            target = projection is null ? SpatialReference.FromWkt(cube.Grid.CrsWkt) : SpatialReference.FromUserInput(projection);
        }
        catch (RasterException e)
        {
            throw new GraphException("ProcessArgumentInvalid", $"'{projection}' is not a CRS: {e.Message}", a.Node, "projection");
        }
        using (target)
        {
            var sameCrs = own.IsSame(target);
            var extent = sameCrs ? cube.Grid.Bounds : own.TransformBounds(target, cube.Grid.Bounds);
            var px = resolution.X > 0 ? resolution.X : sameCrs ? cube.Grid.Transform.PixelWidth : (extent.MaxX - extent.MinX) / cube.Grid.Width;
            var py = resolution.Y > 0 ? resolution.Y : sameCrs ? -cube.Grid.Transform.PixelHeight : (extent.MaxY - extent.MinY) / cube.Grid.Height;
            var width = (long)Math.Max(1, Math.Ceiling((extent.MaxX - extent.MinX) / px - 1e-9));
            var height = (long)Math.Max(1, Math.Ceiling((extent.MaxY - extent.MinY) / py - 1e-9));
            if (width * height > CubeLoader.MaxPixels)
            {
                throw new GraphException("ProcessGraphComplexity", $"the cube would be {width} x {height} pixels, more than {CubeLoader.MaxPixels}", a.Node, "resolution");
            }
            var grid = new RasterGrid((int)width, (int)height, new GeoTransform(extent.MinX, px, 0, extent.MaxY, 0, -py), sameCrs ? cube.Grid.CrsWkt : target.Wkt);
            return OnGrid(cube, grid, method, a);
        }
    }

    /// <summary>The cube on the target cube's grid (its CRS, pixel size, lattice and extent).</summary>
    public static DataCube ResampleCubeSpatial(DataCube cube, DataCube target, Resampling method, Arguments a) => OnGrid(cube, target.Grid, method, a);

    /// <summary>
    /// The band files are read onto the new grid directly, with the method; a method other than nearest neighbour
    /// does not commute with the pixel processes, so it needs values that are still the bands as loaded.
    /// </summary>
    private static DataCube OnGrid(DataCube cube, RasterGrid grid, Resampling method, Arguments a)
    {
        if (method != Resampling.Nearest && !cube.Values.All(IsLoaded))
        {
            throw new GraphException("ProcessArgumentInvalid",
                $"method '{method.ToGdal()}' resamples the bands as loaded: resample before computing on them (or use near)", a.Node, "method");
        }
        return cube with { Grid = grid, Resamplings = Enumerable.Repeat(method, cube.Inputs.Count).ToList() };
    }

    private static bool IsLoaded(PixelExpr value) => value switch
    {
        Leaf or Constant => true,
        FirstValid f => f.Values.All(v => v is Leaf),
        _ => false,
    };

    /// <summary>
    /// Values whose pixel centre is outside every polygon (inside one, when <paramref name="inside"/>) replaced by
    /// <paramref name="replacement"/> (nodata by default); values that are nodata stay so.
    /// </summary>
    public static DataCube MaskPolygon(DataCube cube, JsonNode? geometries, double replacement, bool inside, string workFolder, Arguments a, string argument = "mask")
    {
        using var vector = Polygons(geometries, workFolder, a, argument);
        return Masked(cube, vector, replacement, inside, workFolder);
    }

    /// <summary>The cube cut to the polygons' bounding box, the pixels whose centre is in none of them set to nodata.</summary>
    public static DataCube FilterSpatial(DataCube cube, JsonNode? geometries, string workFolder, Arguments a)
    {
        using var vector = Polygons(geometries, workFolder, a, "geometries");
        var extent = vector.Extent ?? throw new GraphException("ProcessArgumentInvalid", "the geometries are empty", a.Node, "geometries");
        var cut = CubeProcesses.FilterBbox(cube, extent, null, a, "geometries");
        return Masked(cut, vector, double.NaN, false, workFolder);
    }

    private static DataCube Masked(DataCube cube, VectorFile vector, double replacement, bool inside, string workFolder)
    {
        var path = Path.Combine(workFolder, $"polygons-{Guid.NewGuid():N}.tif");
        Rasterizer.Burn(vector, cube.Grid, path: path); // kept until the work folder goes: the cube reads it when written
        var leaf = new Leaf(cube.Inputs.Count);
        var values = cube.Values.Select(v =>
        {
            PixelExpr replaced = double.IsNaN(replacement) ? new Constant(double.NaN) : new Conditional(new Unary("is_nodata", v), v, new Constant(replacement));
            return (PixelExpr)(inside ? new Conditional(leaf, replaced, v) : new Conditional(leaf, v, replaced));
        }).ToList();
        return cube with
        {
            Values = values,
            Inputs = [.. cube.Inputs, new BandSource("polygons", path, 1, NoData: 255)],
            Resamplings = [.. cube.AllResamplings, Resampling.Nearest],
        };
    }

    /// <summary>GeoJSON polygons (a Polygon or MultiPolygon, a Feature of one, or a FeatureCollection of them) written to the work folder and opened.</summary>
    private static VectorFile Polygons(JsonNode? geometries, string workFolder, Arguments a, string argument)
    {
        if (geometries is not JsonObject geojson)
        {
            throw new GraphException("ProcessArgumentInvalid", "give GeoJSON: a Polygon or MultiPolygon, a Feature of one, or a FeatureCollection of them", a.Node, argument);
        }
        JsonArray features;
        switch (geojson["type"]?.ToString())
        {
            case "FeatureCollection":
                features = geojson["features"] as JsonArray ?? throw new GraphException("ProcessArgumentInvalid", "a FeatureCollection without features", a.Node, argument);
                break;
            case "Feature":
                features = [geojson.DeepClone()];
                break;
            case "Polygon" or "MultiPolygon":
                features = [new JsonObject { ["type"] = "Feature", ["properties"] = new JsonObject(), ["geometry"] = geojson.DeepClone() }];
                break;
            default:
                throw new GraphException("ProcessArgumentInvalid",
                    $"GeoJSON of type '{geojson["type"]}': give a Polygon or MultiPolygon, a Feature of one, or a FeatureCollection of them", a.Node, argument);
        }
        var polygons = 0;
        for (var i = 0; i < features.Count; i++)
        {
            var type = features[i]?["geometry"]?["type"]?.ToString();
            if (type is "Polygon" or "MultiPolygon")
            {
                polygons++;
            }
            else if (type is not null)
            {
                throw new GraphException("ProcessArgumentInvalid", $"feature {i} is a {type}; only polygons are taken here", a.Node, argument);
            }
        }
        if (polygons == 0)
        {
            throw new GraphException("ProcessArgumentInvalid", "no polygon in the GeoJSON", a.Node, argument);
        }
        Directory.CreateDirectory(workFolder);
        var path = Path.Combine(workFolder, $"polygons-{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, new JsonObject { ["type"] = "FeatureCollection", ["features"] = features.DeepClone() }.ToJsonString());
        try
        {
            return VectorFile.Open(path);
        }
        catch (RasterException e)
        {
            throw new GraphException("ProcessArgumentInvalid", $"the GeoJSON cannot be read: {e.Message}", a.Node, argument);
        }
    }
}
