namespace Tessera.Raster.Rendering;

/// <summary>
/// A whole raster read small (its longest side at most a given size; GDAL reads the matching overview), as
/// float planes with no data as NaN: what previews are drawn from and what stretches are computed on.
/// </summary>
public sealed record RasterSample(int Width, int Height, IReadOnlyDictionary<int, float[]> Planes)
{
    public static RasterSample Read(RasterDataset dataset, IEnumerable<int> bands, int maxSide)
    {
        var scale = Math.Min(1.0, maxSide / (double)Math.Max(dataset.Width, dataset.Height));
        var width = Math.Max(1, (int)Math.Round(dataset.Width * scale));
        var height = Math.Max(1, (int)Math.Round(dataset.Height * scale));
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
}
