using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// Writes what a graph saves: the cube's values computed block by block in one pass (each block's band files read on
/// the cube's grid, nearest neighbour unless the cube was resampled otherwise, then every expression over them; band files no value uses are not read), as
/// GeoTIFF (<c>GTiff</c>, Tessera's cloud-optimized layout) or <c>COG</c>, one band per label of <c>bands</c>, Float32
/// with NaN as nodata. A cube that still has several times is refused: reduce <c>t</c> first.
/// </summary>
public static class CubeWriter
{
    /// <summary>The formats this writer takes, as <c>GET /file_formats</c> lists them (names compared without case).</summary>
    public static readonly string[] Formats = ["GTiff", "COG"];

    public static string MediaType(string format) => "image/tiff; application=geotiff" + (IsCog(format) ? "; profile=cloud-optimized" : "");

    public static string Extension(string format) => ".tif";

    private static bool IsCog(string format) => string.Equals(format, "COG", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the format and options before any pixel is read.</summary>
    public static void Check(SavedResult result, string node)
    {
        if (!Formats.Any(f => string.Equals(f, result.Format, StringComparison.OrdinalIgnoreCase)))
        {
            throw new GraphException("FormatUnsupported", $"format '{result.Format}' is not one this server writes ({string.Join(", ", Formats)})", node, "format");
        }
        GeoTiffOptions.Parse(result.Format, result.Options, result.Cube.BandCount, node);
        if (result.Cube.TimeCount > 1)
        {
            throw new GraphException("DataCubeDimensionsUnsupported",
                $"the cube still has {result.Cube.TimeCount} times; {result.Format} holds one: reduce the dimension t first (reduce_dimension)", node, "data");
        }
    }

    /// <summary>What writing the result takes: band pixels read (the grid's pixels times the band files its values use) and
    /// the result's size uncompressed, in bytes.</summary>
    public static (long BandPixels, long Bytes, int Files) Estimate(SavedResult result)
    {
        var cube = result.Cube;
        var used = new SortedSet<int>();
        for (var b = 0; b < cube.BandCount; b++)
        {
            PixelExprs.Leaves(cube.Value(0, b), used);
        }
        var pixels = (long)cube.Grid.Width * cube.Grid.Height;
        var options = GeoTiffOptions.Parse(result.Format, result.Options, cube.BandCount, "save");
        var bytesPerValue = options.Type == RasterDataType.Byte ? 1 : 4;
        return (pixels * used.Count, pixels * (options.Colors is null ? cube.BandCount : 3) * bytesPerValue, used.Count);
    }

    public static void Write(SavedResult result, string path, string node, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        Check(result, node);
        Write(result.Cube, GeoTiffOptions.Parse(result.Format, result.Options, result.Cube.BandCount, node), path, progress, cancellationToken);
    }

    /// <summary>
    /// Time <paramref name="time"/> of the cube (every band) as a plain GeoTIFF (tiled, uncompressed, NaN as nodata): what
    /// the writers of several times (netCDF) and of statistics over a cube (vector cubes) read back.
    /// </summary>
    public static void WriteTime(DataCube cube, int time, string path, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var slice = cube with
        {
            Times = cube.Times is null ? null : [cube.Times[time]],
            Values = Enumerable.Range(0, cube.BandCount).Select(b => cube.Value(time, b)).ToList(),
        };
        var plain = new JsonObject { ["tiled"] = true, ["compress"] = "none" };
        Write(slice, GeoTiffOptions.Parse("GTiff", plain, cube.BandCount, "save"), path,
            progress is null || cube.TimeCount == 1 ? progress : new StageProgress(progress, $"time {time + 1} of {cube.TimeCount}"), cancellationToken);
    }

    /// <summary>The cube's first time written as a GeoTIFF with these options (checked already).</summary>
    public static void Write(DataCube cube, GeoTiffOptions options, string path, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var outputs = Enumerable.Range(0, cube.BandCount).Select(b => cube.Value(0, b)).ToList();
        // Only the band files some value reads, renumbered.
        var used = new SortedSet<int>();
        foreach (var value in outputs)
        {
            PixelExprs.Leaves(value, used);
        }
        var renumber = used.Select((old, i) => (old, i)).ToDictionary(p => p.old, p => p.i);
        var done = new Dictionary<PixelExpr, PixelExpr>(ReferenceEqualityComparer.Instance);
        var exprs = outputs.Select(o => Renumber(o, renumber, done)).ToList();
        var inputs = used.Select(i => GridAligner.Align(cube.Inputs[i], cube.Grid, cube.ResamplingOf(i))).ToList();
        var descriptions = cube.Bands?.ToList() ?? ["value"];
        if (options.Colors is { } colors)
        {
            exprs = ColourRamp.Channels(exprs[0], colors, options.Rescale.Min, options.Rescale.Max);
            descriptions = ["red", "green", "blue"];
        }
        // Byte (JPEG) has no NaN: nodata is 0 there, as GDAL's JPEG-in-TIFF readers expect none better.
        using var output = RasterOutput.Begin(path, options.Output, cube.Grid, options.Type, descriptions,
            options.Type == RasterDataType.Float32 ? double.NaN : 0);
        BlockEngine.Run(new BlockJob(cube.Grid, inputs, exprs.Count, () => new CubeKernel(exprs),
            options.Type == RasterDataType.Float32 ? double.NaN : 0), output, progress, cancellationToken);
        output.Commit(progress, cancellationToken);
    }

    /// <summary>The expression over the renumbered inputs, what was shared staying shared.</summary>
    private static PixelExpr Renumber(PixelExpr expr, IReadOnlyDictionary<int, int> map, Dictionary<PixelExpr, PixelExpr> done) =>
        PixelExprs.MapLeaves(expr, i => map[i], done);
}
