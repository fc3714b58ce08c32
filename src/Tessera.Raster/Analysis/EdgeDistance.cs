using Tessera.Raster.Rendering;

namespace Tessera.Raster.Analysis;

/// <summary>
/// For every valid pixel of a raster, about how far (in its pixels, up to a cap) it is from the nearest pixel
/// that is not valid — no data, or beyond the raster's edge: the weights of feathered blending. Computed on a
/// coarser copy of the raster's validity (a cell every <see cref="Step"/> pixels, read from its overviews when
/// it has them; at most 4096 cells a side) with a two-pass chamfer distance transform, so memory and time do
/// not grow with the raster's area. The result is a small in-memory GeoTIFF (<c>/vsimem/</c>) on the coarse
/// grid, to be resampled (bilinear) onto any grid; dispose removes it.
/// </summary>
public sealed class EdgeDistance : IDisposable
{
    private const int MaxCells = 4096;

    private EdgeDistance(string path, int cap, int step)
    {
        Path = path;
        Cap = cap;
        Step = step;
    }

    public string Path { get; }

    /// <summary>Distances are at most this many pixels; invalid cells are 0.</summary>
    public int Cap { get; }

    /// <summary>Pixels of the raster per cell of the distance grid, each way.</summary>
    public int Step { get; }

    public static EdgeDistance Compute(string rasterPath, int cap)
    {
        if (cap < 1)
        {
            throw new RasterArgumentException($"an edge distance cap of {cap} pixels is too small");
        }
        using var source = RasterDataset.Open(rasterPath);
        var grid = source.Grid;
        var step = Math.Max(Math.Max(1, cap / 16), (int)Math.Ceiling(Math.Max(grid.Width, grid.Height) / (double)MaxCells));
        var width = (grid.Width + step - 1) / step;
        var height = (grid.Height + step - 1) / step;
        var sample = RasterSample.Read(source, [1], Math.Max(width, height)); // no data as NaN
        (width, height) = (sample.Width, sample.Height);
        var values = sample.Planes[1];
        var distance = new float[width * height];
        var far = (float)(cap + 1.0);
        for (var i = 0; i < distance.Length; i++)
        {
            distance[i] = float.IsNaN(values[i]) ? 0 : far;
        }
        Chamfer(distance, width, height);
        // Cells to pixels; the edge of the raster is one cell beyond its border.
        var cellX = grid.Width / (double)width;
        var cellY = grid.Height / (double)height;
        var scale = (float)Math.Min(cellX, cellY);
        for (var i = 0; i < distance.Length; i++)
        {
            distance[i] = Math.Min(cap, distance[i] * scale);
        }
        var t = grid.Transform;
        var coarse = new RasterGrid(width, height,
            new GeoTransform(t.OriginX, t.PixelWidth * cellX, 0, t.OriginY, 0, t.PixelHeight * cellY), grid.CrsWkt);
        var path = $"/vsimem/tessera-edge-{Guid.NewGuid():N}.tif";
        using (var target = RasterDataset.Create(path, "GTiff", coarse, 1, RasterDataType.Float32, ["TILED=YES"]))
        {
            target.Write<float>(1, coarse.FullWindow, distance);
            target.Close();
        }
        return new EdgeDistance(path, cap, step);
    }

    /// <summary>
    /// Two-pass 3-4 chamfer distance (in cells, ≈ Euclidean within 8 %) to the nearest zero, counting every cell
    /// beyond the border as zero.
    /// </summary>
    private static void Chamfer(float[] d, int width, int height)
    {
        const float straight = 1f;
        const float diagonal = 1.3333f;
        float At(int x, int y) => x < 0 || y < 0 || x >= width || y >= height ? 0 : d[y * width + x];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = y * width + x;
                if (d[i] == 0)
                {
                    continue;
                }
                var v = Math.Min(d[i], At(x - 1, y) + straight);
                v = Math.Min(v, At(x, y - 1) + straight);
                v = Math.Min(v, At(x - 1, y - 1) + diagonal);
                d[i] = Math.Min(v, At(x + 1, y - 1) + diagonal);
            }
        }
        for (var y = height - 1; y >= 0; y--)
        {
            for (var x = width - 1; x >= 0; x--)
            {
                var i = y * width + x;
                if (d[i] == 0)
                {
                    continue;
                }
                var v = Math.Min(d[i], At(x + 1, y) + straight);
                v = Math.Min(v, At(x, y + 1) + straight);
                v = Math.Min(v, At(x + 1, y + 1) + diagonal);
                d[i] = Math.Min(v, At(x - 1, y + 1) + diagonal);
            }
        }
    }

    public void Dispose() => Tessera.Raster.Gdal.GdalNative.VSIUnlink(Path);
}
