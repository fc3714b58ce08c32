namespace Tessera.Raster.Rendering;

/// <summary>A band's own style, known from its description (an index result's "NDVI"): a colormap over a fixed range; null: none.</summary>
public delegate (Colormap Colormap, ValueRange Range)? KnownStyle(string bandDescription);

/// <summary>The style a raster is shown in when the caller names none.</summary>
public static class RenderStyles
{
    /// <summary>
    /// Three bands or more: the first three as RGB, each stretched over its 2–98 % range. One or two bands:
    /// the first, in the style <paramref name="known"/> gives for its description (red-yellow-green from -1 to 1 for
    /// NDVI), else viridis over its 2–98 % range.
    /// </summary>
    public static RenderStyle Default(IReadOnlyList<RasterBandInfo> bands, Func<int, ValueRange> stretch, KnownStyle? known = null)
    {
        if (bands.Count >= 3)
        {
            return new RgbStyle(1, 2, 3, stretch(1), stretch(2), stretch(3));
        }
        return known?.Invoke(bands[0].Description) is { } own
            ? new ColormapStyle(1, own.Colormap, own.Range)
            : new ColormapStyle(1, Colormap.Viridis, stretch(1));
    }

    /// <summary>
    /// The default style changed by what a caller asked (tile query parameters): <paramref name="bands"/> (one
    /// band, or three for RGB), <paramref name="colormap"/> and <paramref name="rescale"/> (one range, or one per band).
    /// </summary>
    public static RenderStyle Customise(RenderStyle defaults, int bandCount, IReadOnlyList<int>? bands, string? colormap,
        IReadOnlyList<ValueRange>? rescale, Func<int, ValueRange> stretch)
    {
        foreach (var b in bands ?? [])
        {
            if (b < 1 || b > bandCount)
            {
                throw new RasterArgumentException($"band {b} does not exist: the raster has {bandCount} band(s)");
            }
        }
        if (bands is { Count: not (1 or 3) })
        {
            throw new RasterArgumentException($"give 1 band (colormap) or 3 bands (RGB), not {bands.Count}");
        }
        if (rescale is { Count: not (1 or 3) })
        {
            throw new RasterArgumentException($"give 1 rescale range, or 3 (one per RGB band), not {rescale.Count}");
        }
        var rgb = bands is { Count: 3 } || (bands is null && defaults is RgbStyle && colormap is null);
        if (rgb)
        {
            int r, g, b;
            if (bands is { Count: 3 })
            {
                (r, g, b) = (bands[0], bands[1], bands[2]);
            }
            else
            {
                var d = (RgbStyle)defaults;
                (r, g, b) = (d.Red, d.Green, d.Blue);
            }
            if (colormap is not null)
            {
                throw new RasterArgumentException("a colormap applies to one band: give bands=N with it");
            }
            ValueRange Range(int i, int band) => rescale is null ? stretch(band) : rescale[rescale.Count == 3 ? i : 0];
            return new RgbStyle(r, g, b, Range(0, r), Range(1, g), Range(2, b));
        }
        var single = bands?[0] ?? defaults.Bands[0];
        if (rescale is { Count: 3 })
        {
            throw new RasterArgumentException("3 rescale ranges need 3 bands");
        }
        var map = colormap is null
            ? (defaults as ColormapStyle)?.Colormap ?? Colormap.Viridis
            : Colormap.Parse(colormap);
        var range = rescale?[0]
            ?? (defaults is ColormapStyle c && c.Band == single && colormap is null ? c.Range : stretch(single));
        return new ColormapStyle(single, map, range);
    }
}
