using System.Globalization;
using Tessera.Raster.Alignment;
using Tessera.Raster.Rendering;

namespace Tessera.Server.Tiles;

/// <summary>
/// How a caller wants a tile drawn (query parameters, as TiTiler names them): <c>bands=4,3,2</c> (one band, or
/// three for RGB), <c>colormap=viridis</c>, <c>rescale=min,max</c> (once, or once per RGB band),
/// <c>resampling=nearest|bilinear|cubic|average</c>. Absent: the file's default style.
/// </summary>
public sealed record TileQuery(IReadOnlyList<int>? Bands, string? Colormap, IReadOnlyList<ValueRange>? Rescale, Resampling Resampling)
{
    public static TileQuery Default { get; } = new(null, null, null, Resampling.Nearest);

    /// <summary>Parses the parameters; <see cref="Tessera.Raster.RasterArgumentException"/> names a bad one.</summary>
    public static TileQuery Parse(string? bands, string? colormap, IEnumerable<string>? rescale, string? resampling)
    {
        List<int>? bandList = null;
        if (!string.IsNullOrWhiteSpace(bands))
        {
            bandList = [];
            foreach (var part in bands.Split(','))
            {
                if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                {
                    throw new Tessera.Raster.RasterArgumentException($"bands '{bands}' is not a list of band numbers such as 4,3,2");
                }
                bandList.Add(b);
            }
        }
        var ranges = rescale?.Where(r => !string.IsNullOrWhiteSpace(r)).Select(ValueRange.Parse).ToList();
        return new TileQuery(bandList, string.IsNullOrWhiteSpace(colormap) ? null : Raster.Rendering.Colormap.Parse(colormap).Name,
            ranges is { Count: > 0 } ? ranges : null,
            string.IsNullOrWhiteSpace(resampling) ? Resampling.Nearest : ResamplingNames.Parse(resampling));
    }

    /// <summary>A stable text of the query, for cache keys.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"b={string.Join(',', Bands ?? [])};c={Colormap};r={string.Join(';', (Rescale ?? []).Select(r => $"{r.Min:R},{r.Max:R}"))};s={Resampling}");
}
