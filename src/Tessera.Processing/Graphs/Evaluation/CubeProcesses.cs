using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// The cube processes: each makes a new lazy cube from its input's (labels chosen, grid cut, values as new pixel
/// expressions over the same inputs), so that nothing is read before the result is written.
/// </summary>
public static class CubeProcesses
{
    public static DataCube FilterBands(DataCube cube, IReadOnlyList<string> bands, Arguments a)
    {
        if (cube.Bands is null)
        {
            throw new GraphException("DimensionMissing", "the cube has no bands dimension any more", a.Node, "data");
        }
        if (bands.Count == 0)
        {
            throw new GraphException("BandFilterParameterMissing", "give the bands to keep", a.Node, "bands");
        }
        var indices = bands.Select(name => cube.BandIndex(name) ?? throw new GraphException("ProcessArgumentInvalid",
            $"'{name}' is not a band of the cube (it has {string.Join(", ", cube.Bands)})", a.Node, "bands")).ToList();
        var values = new List<PixelExpr>();
        for (var t = 0; t < cube.TimeCount; t++)
        {
            values.AddRange(indices.Select(b => cube.Value(t, b)));
        }
        return cube with { Bands = indices.Select(b => cube.Bands[b]).ToList(), Values = values };
    }

    public static DataCube FilterTemporal(DataCube cube, (DateTimeOffset? Start, DateTimeOffset? End) extent, Arguments a)
    {
        if (cube.Times is null)
        {
            throw new GraphException("DimensionMissing", "the cube has no t dimension any more", a.Node, "data");
        }
        var kept = Enumerable.Range(0, cube.Times.Count).Where(t =>
        {
            var time = DateTimeOffset.Parse(cube.Times[t], System.Globalization.CultureInfo.InvariantCulture);
            return (extent.Start is null || time >= extent.Start) && (extent.End is null || time < extent.End);
        }).ToList();
        var values = kept.SelectMany(t => Enumerable.Range(0, cube.BandCount).Select(b => cube.Value(t, b))).ToList();
        return cube with { Times = kept.Select(t => cube.Times[t]).ToList(), Values = values };
    }

    public static DataCube FilterBbox(DataCube cube, Bounds box, string? crs, Arguments a, string argument = "extent")
    {
        using var from = SpatialReference.FromUserInput(crs ?? "EPSG:4326");
        using var target = SpatialReference.FromWkt(cube.Grid.CrsWkt);
        var extent = from.IsSame(target) ? box : from.TransformBounds(target, box);
        var t = cube.Grid.Transform;
        var col0 = Math.Max(0, (int)Math.Floor((extent.MinX - t.OriginX) / t.PixelWidth + 1e-9));
        var col1 = Math.Min(cube.Grid.Width, (int)Math.Ceiling((extent.MaxX - t.OriginX) / t.PixelWidth - 1e-9));
        var row0 = Math.Max(0, (int)Math.Floor((extent.MaxY - t.OriginY) / t.PixelHeight + 1e-9));
        var row1 = Math.Min(cube.Grid.Height, (int)Math.Ceiling((extent.MinY - t.OriginY) / t.PixelHeight - 1e-9));
        if (col1 <= col0 || row1 <= row0)
        {
            throw new GraphException("ProcessArgumentInvalid", "the box does not meet the cube", a.Node, argument);
        }
        var (x, y) = t.PixelToWorld(col0, row0);
        return cube with { Grid = new RasterGrid(col1 - col0, row1 - row0, t with { OriginX = x, OriginY = y }, cube.Grid.CrsWkt) };
    }

    /// <summary>(nir - red) / (nir + red) per time: without a target band, the bands dimension goes; with one, the NDVI is added to the bands under that name.</summary>
    public static DataCube Ndvi(DataCube cube, string nir, string red, string? targetBand, Arguments a)
    {
        if (cube.Bands is null)
        {
            throw new GraphException("DimensionAmbiguous", "the cube has no bands dimension to take nir and red from", a.Node, "data");
        }
        var n = cube.BandIndex(nir) ?? throw new GraphException("NirBandAmbiguous", $"no band '{nir}' (the cube has {string.Join(", ", cube.Bands)})", a.Node, "nir");
        var r = cube.BandIndex(red) ?? throw new GraphException("RedBandAmbiguous", $"no band '{red}' (the cube has {string.Join(", ", cube.Bands)})", a.Node, "red");
        var values = new List<PixelExpr>();
        for (var t = 0; t < cube.TimeCount; t++)
        {
            var (x, y) = (cube.Value(t, n), cube.Value(t, r));
            var ndvi = new Binary("divide", new Binary("subtract", x, y), new Binary("add", x, y));
            if (targetBand is null)
            {
                values.Add(ndvi);
            }
            else
            {
                values.AddRange(Enumerable.Range(0, cube.BandCount).Select(b => cube.Value(t, b)));
                values.Add(ndvi);
            }
        }
        if (targetBand is not null && cube.Bands.Contains(targetBand))
        {
            throw new GraphException("BandExists", $"the cube has a band '{targetBand}' already", a.Node, "target_band");
        }
        return cube with { Bands = targetBand is null ? null : [.. cube.Bands, targetBand], Values = values };
    }

    /// <summary>The dimension reduced by the reducer, pixel by pixel, over the values along it (labels kept for array_element).</summary>
    public static DataCube Reduce(DataCube cube, ProcessGraph reducer, string dimension, Arguments a)
    {
        var values = new List<PixelExpr>();
        switch (dimension)
        {
            case "t" when cube.Times is not null:
                for (var b = 0; b < cube.BandCount; b++)
                {
                    var series = Enumerable.Range(0, cube.TimeCount).Select(t => cube.Value(t, b)).ToList();
                    values.Add(Compile(reducer, new CallbackCompiler.ValueArray(series, cube.Times), a));
                }
                return cube with { Times = null, Values = values };
            case "bands" when cube.Bands is not null:
                for (var t = 0; t < cube.TimeCount; t++)
                {
                    var spectrum = Enumerable.Range(0, cube.BandCount).Select(b => cube.Value(t, b)).ToList();
                    values.Add(Compile(reducer, new CallbackCompiler.ValueArray(spectrum, cube.Bands, cube.CommonNames), a));
                }
                return cube with { Bands = null, Values = values };
            default:
                throw new GraphException("DimensionNotAvailable",
                    $"the cube has no dimension '{dimension}' (it has x, y{(cube.Times is null ? "" : ", t")}{(cube.Bands is null ? "" : ", bands")})", a.Node, "dimension");
        }
    }

    /// <summary>Every value of the cube through the process (a callback of x).</summary>
    public static DataCube Apply(DataCube cube, ProcessGraph process, Arguments a) =>
        cube with { Values = cube.Values.Select(v => CompileValue(process, v, a)).ToList() };

    private static PixelExpr Compile(ProcessGraph reducer, CallbackCompiler.ValueArray data, Arguments a)
    {
        try
        {
            return CallbackCompiler.Compile(reducer, new Dictionary<string, object> { ["data"] = data }, a.Node);
        }
        catch (GraphException e)
        {
            throw new GraphException(e.Code, $"in its callback: {e.Message}", a.Node, "reducer");
        }
    }

    private static PixelExpr CompileValue(ProcessGraph process, PixelExpr x, Arguments a)
    {
        try
        {
            return CallbackCompiler.Compile(process, new Dictionary<string, object> { ["x"] = x }, a.Node);
        }
        catch (GraphException e)
        {
            throw new GraphException(e.Code, $"in its callback: {e.Message}", a.Node, "process");
        }
    }
}
