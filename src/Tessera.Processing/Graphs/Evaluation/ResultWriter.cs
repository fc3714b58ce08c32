using Tessera.Raster.Blocks;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// What <c>save_result</c> writes, by the kind of data saved: a raster cube through <see cref="CubeWriter"/> (GeoTIFF,
/// COG), <see cref="NetCdfCubeWriter"/> or <see cref="PngCubeWriter"/>, a vector cube (<c>aggregate_spatial</c>) through
/// <see cref="VectorCubeWriter"/>. A format for the other kind is refused naming the ones that fit.
/// </summary>
public static class ResultWriter
{
    /// <summary>Every output format, with the kind of data it holds (<c>raster</c> or <c>vector</c>).</summary>
    public static IReadOnlyList<(string Format, string Kind)> Formats { get; } =
    [
        .. CubeWriter.Formats.Select(f => (f, "raster")), (NetCdfCubeWriter.Format, "raster"), (PngCubeWriter.Format, "raster"),
        .. VectorCubeWriter.Formats.Select(f => (f, "vector")),
    ];

    private static IEnumerable<string> RasterFormats => Formats.Where(f => f.Kind == "raster").Select(f => f.Format);

    public static string MediaType(SavedResult result) => MediaType(result.Format);

    private static string MediaType(string format) =>
        VectorCubeWriter.Takes(format) ? VectorCubeWriter.MediaType(format)
        : NetCdfCubeWriter.Takes(format) ? "application/x-netcdf"
        : PngCubeWriter.Takes(format) ? "image/png"
        : CubeWriter.MediaType(format);

    public static string Extension(SavedResult result) => Extension(result.Format);

    /// <summary>The extension of a format's files (<c>.tif</c> for the raster formats).</summary>
    public static string Extension(string format) =>
        VectorCubeWriter.Takes(format) ? VectorCubeWriter.Extension(format)
        : NetCdfCubeWriter.Takes(format) ? ".nc"
        : PngCubeWriter.Takes(format) ? ".png"
        : CubeWriter.Extension(format);

    /// <summary>The media type of a result file by its extension (a job's stored result).</summary>
    public static string MediaTypeOfFile(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".gpkg" => VectorCubeWriter.MediaType("GPKG"),
        ".geojson" => VectorCubeWriter.MediaType("GeoJSON"),
        ".json" => VectorCubeWriter.MediaType("JSON"),
        ".csv" => VectorCubeWriter.MediaType("CSV"),
        ".nc" => MediaType(NetCdfCubeWriter.Format),
        ".png" => MediaType(PngCubeWriter.Format),
        _ => CubeWriter.MediaType("COG"),
    };

    /// <summary>Checks the format and options before any pixel is read.</summary>
    public static void Check(SavedResult result, string node)
    {
        if (!Formats.Any(f => string.Equals(f.Format, result.Format, StringComparison.OrdinalIgnoreCase)))
        {
            throw new GraphException("FormatUnsupported",
                $"format '{result.Format}' is not one this server writes ({string.Join(", ", Formats.Select(f => f.Format))})", node, "format");
        }
        if (result.Vector is not null)
        {
            VectorCubeWriter.Check(result, node);
        }
        else if (VectorCubeWriter.Takes(result.Format))
        {
            throw new GraphException("FormatUnsuitable",
                $"format '{result.Format}' holds vector data (the result of aggregate_spatial); the result is a raster cube: save it as one of {string.Join(", ", RasterFormats)}",
                node, "format");
        }
        else if (NetCdfCubeWriter.Takes(result.Format))
        {
            NetCdfCubeWriter.Check(result, node);
        }
        else if (PngCubeWriter.Takes(result.Format))
        {
            PngCubeWriter.Check(result, node);
        }
        else
        {
            CubeWriter.Check(result, node);
        }
    }

    /// <summary>What writing the result takes: band pixels read, the result's size uncompressed in bytes, band files read.</summary>
    public static (long BandPixels, long Bytes, int Files) Estimate(SavedResult result)
    {
        if (result.Vector is not { } vector)
        {
            return NetCdfCubeWriter.Takes(result.Format) || PngCubeWriter.Takes(result.Format) ? RasterEstimate(result.Cube) : CubeWriter.Estimate(result);
        }
        var cube = vector.Raster;
        var rows = (long)vector.Features.Count * cube.TimeCount;
        var bytes = rows * cube.BandCount * (vector.TargetDimension is null ? 1 : 3) * 24;
        if (!vector.Meets)
        {
            return (0, bytes, 0);
        }
        var (bandPixels, _, files) = RasterEstimate(cube);
        return (bandPixels, bytes, files);
    }

    /// <summary>Band pixels read over every time, and the values' size as Float32.</summary>
    private static (long BandPixels, long Bytes, int Files) RasterEstimate(Cubes.DataCube cube)
    {
        var used = new SortedSet<int>();
        foreach (var value in cube.Values)
        {
            Cubes.PixelExprs.Leaves(value, used);
        }
        var pixels = (long)cube.Grid.Width * cube.Grid.Height;
        return (pixels * used.Count, pixels * cube.Values.Count * 4, used.Count);
    }

    public static void Write(SavedResult result, string path, string node, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        Check(result, node);
        if (result.Vector is not null)
        {
            VectorCubeWriter.Write(result, path, node, progress, cancellationToken);
        }
        else if (NetCdfCubeWriter.Takes(result.Format))
        {
            NetCdfCubeWriter.Write(result, path, node, progress, cancellationToken);
        }
        else if (PngCubeWriter.Takes(result.Format))
        {
            PngCubeWriter.Write(result, path, node, progress, cancellationToken);
        }
        else
        {
            CubeWriter.Write(result, path, node, progress, cancellationToken);
        }
    }
}
