using Tessera.Raster.Blocks;
using Tessera.Raster.Output;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// A raster cube of one time as a PNG image (<see cref="GeoTiffOptions.ForImage"/>): one to four bands of bytes (grey,
/// grey and alpha, RGB, RGBA; values rounded and clamped to 0–255, scale them first), or one band rendered along a ramp
/// (<c>colormap</c>, <c>rescale</c>). Computed block by block into a plain GeoTIFF beside the output, then encoded by
/// GDAL's PNG driver (its georeference in a world file is not sent).
/// </summary>
public static class PngCubeWriter
{
    public const string Format = "PNG";

    public static bool Takes(string format) => string.Equals(format, Format, StringComparison.OrdinalIgnoreCase);

    public static void Check(SavedResult result, string node)
    {
        GeoTiffOptions.ForImage(Format, result.Options, result.Cube.BandCount, node);
        if (result.Cube.TimeCount > 1)
        {
            throw new GraphException("DataCubeDimensionsUnsupported",
                $"the cube still has {result.Cube.TimeCount} times; PNG holds one: reduce the dimension t first (reduce_dimension)", node, "data");
        }
    }

    public static void Write(SavedResult result, string path, string node, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        Check(result, node);
        var options = GeoTiffOptions.ForImage(Format, result.Options, result.Cube.BandCount, node);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var bytes = Path.Combine(folder, $".png-{Guid.NewGuid():N}.tif");
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.png");
        try
        {
            CubeWriter.Write(result.Cube, options, bytes, progress, cancellationToken);
            DriverCopy.Write(bytes, temporary, "PNG", [], null, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(bytes);
            File.Delete(temporary);
            File.Delete(temporary + ".aux.xml");
        }
    }
}
