namespace Tessera.Raster.Rendering;

/// <summary>
/// A whole raster read small (its longest side at most a given size; GDAL reads the matching overview), as
/// float planes with no data as NaN: what previews are drawn from and what stretches are computed on.
/// </summary>
public sealed record RasterSample(int Width, int Height, IReadOnlyDictionary<int, float[]> Planes)
{
    /// <summary>The size of the sample of a <paramref name="width"/> x <paramref name="height"/> raster.</summary>
    public static (int Width, int Height) SizeFor(int width, int height, int maxSide)
    {
        var scale = Math.Min(1.0, maxSide / (double)Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    public static RasterSample Read(RasterDataset dataset, IEnumerable<int> bands, int maxSide)
    {
        var (width, height) = SizeFor(dataset.Width, dataset.Height, maxSide);
        var planes = new Dictionary<int, float[]>();
        foreach (var band in bands.Distinct())
        {
            var plane = new float[width * height];
            dataset.ReadResampled<float>(band, new Window(0, 0, dataset.Width, dataset.Height), width, height, plane);
            if (dataset.Band(band).NoData is { } noData)
            {
                var nd = (float)noData;
                for (var i = 0; i < plane.Length; i++)
                {
                    if (plane[i] == nd)
                    {
                        plane[i] = float.NaN;
                    }
                }
            }
            planes[band] = plane;
        }
        return new RasterSample(width, height, planes);
    }

    /// <summary>The 2–98 % range of a band's finite values, or a unit range when it has none.</summary>
    public ValueRange Stretch(int band)
    {
        var copy = Planes[band].ToArray();
        return ValueRange.Percentiles(copy) ?? new ValueRange(0, 1);
    }

    /// <summary>
    /// A sample taken from a level of the raster already in memory (an overview level made in the processing pass, or
    /// the full resolution): each sample pixel the level's pixel under its centre; <paramref name="noData"/> becomes NaN.
    /// </summary>
    public static RasterSample FromLevel(int rasterWidth, int rasterHeight, int levelWidth, int levelHeight,
        IReadOnlyDictionary<int, float[]> levelPlanes, int maxSide, float noData)
    {
        var (width, height) = SizeFor(rasterWidth, rasterHeight, maxSide);
        var columns = new int[width];
        for (var i = 0; i < width; i++)
        {
            columns[i] = Math.Min(levelWidth - 1, (int)((i + 0.5) * levelWidth / width));
        }
        var planes = new Dictionary<int, float[]>();
        foreach (var (band, level) in levelPlanes)
        {
            var plane = new float[width * height];
            for (var r = 0; r < height; r++)
            {
                var row = Math.Min(levelHeight - 1, (int)((r + 0.5) * levelHeight / height));
                for (var c = 0; c < width; c++)
                {
                    var v = level[row * levelWidth + columns[c]];
                    plane[r * width + c] = v == noData ? float.NaN : v;
                }
            }
            planes[band] = plane;
        }
        return new RasterSample(width, height, planes);
    }

    private const string Magic = "TSRSMPL1";

    /// <summary>Saves the sample (a file that goes from the processing of a result to its publishing).</summary>
    public void Write(string path)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(System.Text.Encoding.ASCII.GetBytes(Magic));
            writer.Write(Width);
            writer.Write(Height);
            writer.Write(Planes.Count);
            foreach (var (band, plane) in Planes)
            {
                writer.Write(band);
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(plane.AsSpan()));
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A sample saved by <see cref="Write"/>, or null when there is none (or it is not one).</summary>
    public static RasterSample? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var reader = new BinaryReader(File.OpenRead(path));
        if (System.Text.Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length)) != Magic)
        {
            return null;
        }
        var width = reader.ReadInt32();
        var height = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (width < 1 || height < 1 || count is < 0 or > 3 || (long)width * height > 1L << 24)
        {
            return null;
        }
        var planes = new Dictionary<int, float[]>();
        for (var i = 0; i < count; i++)
        {
            var band = reader.ReadInt32();
            var plane = new float[width * height];
            try
            {
                reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(plane.AsSpan()));
            }
            catch (EndOfStreamException)
            {
                return null;
            }
            planes[band] = plane;
        }
        return new RasterSample(width, height, planes);
    }
}
