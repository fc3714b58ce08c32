using System.Globalization;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// A raster cube as netCDF (CF 1.8, classic format with 64-bit offsets) that keeps its time dimension: one Float32
/// variable per band label (<c>value</c> without bands) over <c>(t, y, x)</c> (<c>(y, x)</c> once <c>t</c> is reduced),
/// NaN as <c>_FillValue</c>; coordinate variables <c>t</c> (days since 1970-01-01), <c>y</c> and <c>x</c> (pixel
/// centres, north first) and a grid mapping <c>crs</c> with the CRS's WKT and the geotransform, as GDAL and xarray read
/// them. Each time is computed block by block into a plain GeoTIFF beside the output, then copied in, a few rows at a
/// time: memory does not grow with the cube.
/// </summary>
public static class NetCdfCubeWriter
{
    public const string Format = "netCDF";

    public static bool Takes(string format) => string.Equals(format, Format, StringComparison.OrdinalIgnoreCase);

    public static void Check(SavedResult result, string node)
    {
        foreach (var (key, _) in result.Options)
        {
            throw new GraphException("FormatArgumentUnsupported", $"'{key}' is not an option of netCDF (it takes none)", node, "options");
        }
        var cube = result.Cube;
        if ((long)cube.Grid.Width * cube.Grid.Height * cube.TimeCount * 4 >= 0xFFFFFFFCL)
        {
            throw new GraphException("FormatUnsuitable", "a band of the cube over all its times would be 4 GiB or more, more than a netCDF file here holds: save fewer times or a smaller extent", node, "data");
        }
    }

    public static void Write(SavedResult result, string path, string node, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        Check(result, node);
        var cube = result.Cube;
        var grid = cube.Grid;
        var (width, height, times, bands) = (grid.Width, grid.Height, cube.TimeCount, cube.BandCount);
        var labels = (cube.Bands ?? ["value"]).Select(Name).ToList();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        try
        {
            using (var nc = new NetCdfClassic(temporary))
            {
                var variables = Define(nc, cube, labels);
                var slice = Path.Combine(folder, $".netcdf-{Guid.NewGuid():N}.tif");
                try
                {
                    for (var t = 0; t < times; t++)
                    {
                        CubeWriter.WriteTime(cube, t, slice, progress, cancellationToken);
                        using (var raster = RasterDataset.Open(slice))
                        {
                            const int Rows = 256;
                            var buffer = new float[Rows * width];
                            for (var b = 0; b < bands; b++)
                            {
                                for (var row = 0; row < height; row += Rows)
                                {
                                    cancellationToken.ThrowIfCancellationRequested();
                                    var count = Math.Min(Rows, height - row);
                                    var span = buffer.AsSpan(0, count * width);
                                    raster.Read<float>(b + 1, new Window(0, row, width, count), span);
                                    nc.Write(variables[b], ((long)t * height + row) * width, span);
                                }
                            }
                        }
                        File.Delete(slice);
                    }
                }
                finally
                {
                    File.Delete(slice);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Dimensions, coordinates, the grid mapping and one variable per band; the coordinates written.</summary>
    private static List<int> Define(NetCdfClassic nc, DataCube cube, IReadOnlyList<string> labels)
    {
        var grid = cube.Grid;
        var g = grid.Transform;
        using var crs = SpatialReference.FromWkt(grid.CrsWkt);
        var geographic = crs.IsGeographic;
        nc.AddAttribute(null, "Conventions", "CF-1.8");
        nc.AddAttribute(null, "title", "openEO result");
        var hasTime = cube.Times is not null;
        if (hasTime)
        {
            nc.AddDimension("t", cube.Times!.Count);
        }
        nc.AddDimension("y", grid.Height);
        nc.AddDimension("x", grid.Width);
        int? time = null;
        if (hasTime)
        {
            time = nc.AddVariable("t", NetCdfClassic.NcType.Double, "t");
            nc.AddAttribute(time, "standard_name", "time");
            nc.AddAttribute(time, "units", "days since 1970-01-01 00:00:00");
            nc.AddAttribute(time, "calendar", "standard");
        }
        var y = nc.AddVariable("y", NetCdfClassic.NcType.Double, "y");
        nc.AddAttribute(y, "standard_name", geographic ? "latitude" : "projection_y_coordinate");
        nc.AddAttribute(y, "units", geographic ? "degrees_north" : "m");
        var x = nc.AddVariable("x", NetCdfClassic.NcType.Double, "x");
        nc.AddAttribute(x, "standard_name", geographic ? "longitude" : "projection_x_coordinate");
        nc.AddAttribute(x, "units", geographic ? "degrees_east" : "m");
        var mapping = nc.AddVariable("crs", NetCdfClassic.NcType.Int);
        nc.AddAttribute(mapping, "crs_wkt", crs.Wkt);
        nc.AddAttribute(mapping, "spatial_ref", crs.Wkt);
        nc.AddAttribute(mapping, "GeoTransform", string.Join(' ', new[] { g.OriginX, g.PixelWidth, g.RowRotation, g.OriginY, g.ColumnRotation, g.PixelHeight }
            .Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        var dims = hasTime ? new[] { "t", "y", "x" } : ["y", "x"];
        var variables = new List<int>();
        foreach (var label in labels)
        {
            var v = nc.AddVariable(label, NetCdfClassic.NcType.Float, dims);
            nc.AddAttribute(v, "_FillValue", NetCdfClassic.NcType.Float, double.NaN);
            nc.AddAttribute(v, "grid_mapping", "crs");
            variables.Add(v);
        }
        nc.EndDefinitions();
        if (time is { } tv)
        {
            nc.Write(tv, 0, cube.Times!.Select(DaysSinceEpoch).ToArray().AsSpan());
        }
        nc.Write(y, 0, Enumerable.Range(0, grid.Height).Select(j => g.OriginY + (j + 0.5) * g.PixelHeight).ToArray().AsSpan());
        nc.Write(x, 0, Enumerable.Range(0, grid.Width).Select(i => g.OriginX + (i + 0.5) * g.PixelWidth).ToArray().AsSpan());
        nc.Write(mapping, 0, new double[] { 0 }.AsSpan());
        return variables;
    }

    private static double DaysSinceEpoch(string label) =>
        (DateTimeOffset.Parse(label, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) - DateTimeOffset.UnixEpoch).TotalDays;

    /// <summary>A band label as a netCDF variable name (letters, digits and underscores, not starting with a digit).</summary>
    private static string Name(string label)
    {
        var name = new string(label.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
        name = name.Length == 0 || char.IsAsciiDigit(name[0]) ? "_" + name : name;
        return name is "t" or "y" or "x" or "crs" ? name + "_band" : name; // not the name of a coordinate
    }
}
