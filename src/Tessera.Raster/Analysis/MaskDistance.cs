namespace Tessera.Raster.Analysis;

/// <summary>
/// The chessboard distance, in pixels, from every pixel to the nearest pixel of a mask (a band, non-zero = in
/// the mask), capped: growing the mask by n pixels (a 3 x 3 square, n times) covers exactly the pixels at
/// distance ≤ n. A two-pass transform streamed row by row — down the raster into a scratch file, then back
/// up — so memory grows with the width only. Outside the raster is not in the mask.
/// </summary>
public static class MaskDistance
{
    private const float Diagonal = 1f;

    public static void Compute(string maskPath, string outputPath, int cap, CancellationToken cancellationToken = default)
    {
        if (cap < 1)
        {
            throw new RasterArgumentException($"a distance cap of {cap} pixels is too small");
        }
        using var mask = RasterDataset.Open(maskPath);
        var grid = mask.Grid;
        var (width, height) = (grid.Width, grid.Height);
        var scratchPath = outputPath + ".forward.tif";
        var far = cap + 1f;
        try
        {
            using (var scratch = RasterDataset.Create(scratchPath, "GTiff", grid, 1, RasterDataType.Float32, ["TILED=NO"]))
            {
                var previous = new float[width];
                var row = new float[width];
                var cells = new float[width];
                Array.Fill(previous, far);
                for (var y = 0; y < height; y++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    mask.Read<float>(1, new Window(0, y, width, 1), cells);
                    for (var x = 0; x < width; x++)
                    {
                        if (cells[x] != 0 && !float.IsNaN(cells[x]))
                        {
                            row[x] = 0;
                            continue;
                        }
                        var d = Math.Min(far, previous[x] + 1);
                        if (x > 0)
                        {
                            d = Math.Min(d, Math.Min(row[x - 1] + 1, previous[x - 1] + Diagonal));
                        }
                        if (x < width - 1)
                        {
                            d = Math.Min(d, previous[x + 1] + Diagonal);
                        }
                        row[x] = d;
                    }
                    scratch.Write<float>(1, new Window(0, y, width, 1), row);
                    (previous, row) = (row, previous);
                }
                scratch.Close();
            }
            using var forward = RasterDataset.Open(scratchPath);
            using var output = RasterDataset.Create(outputPath, "GTiff", grid, 1, RasterDataType.Float32, ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512"]);
            var next = new float[width];
            var current = new float[width];
            var capped = new float[width];
            Array.Fill(next, far);
            for (var y = height - 1; y >= 0; y--)
            {
                cancellationToken.ThrowIfCancellationRequested();
                forward.Read<float>(1, new Window(0, y, width, 1), current);
                for (var x = width - 1; x >= 0; x--)
                {
                    var d = Math.Min(current[x], next[x] + 1);
                    if (x < width - 1)
                    {
                        d = Math.Min(d, Math.Min(current[x + 1] + 1, next[x + 1] + Diagonal));
                    }
                    if (x > 0)
                    {
                        d = Math.Min(d, next[x - 1] + Diagonal);
                    }
                    current[x] = d;
                }
                for (var x = 0; x < width; x++)
                {
                    capped[x] = Math.Min(current[x], cap);
                }
                output.Write<float>(1, new Window(0, y, width, 1), capped);
                (next, current) = (current, next);
            }
            output.Close();
        }
        finally
        {
            if (File.Exists(scratchPath))
            {
                File.Delete(scratchPath);
            }
        }
    }
}
