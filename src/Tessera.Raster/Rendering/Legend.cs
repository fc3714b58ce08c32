using System.Globalization;

namespace Tessera.Raster.Rendering;

/// <summary>
/// What the colours of an image mean, for a page to draw next to it: a ramp with its range (colours from
/// low to high as #rrggbb), or the bands shown as red, green and blue with their ranges.
/// </summary>
public sealed record Legend(string Kind, string Title, string? Colormap, double? Min, double? Max, IReadOnlyList<string>? Colors,
    IReadOnlyList<LegendChannel>? Channels)
{
    /// <summary>How the drawn values spread over the legend's range: one per band shown.</summary>
    public IReadOnlyList<LegendHistogram>? Histograms { get; init; }

    public static Legend Of(RenderStyle style, IReadOnlyList<RasterBandInfo> bands) => style switch
    {
        ColormapStyle c => new Legend("colormap", Name(bands, c.Band), c.Colormap.Name, c.Range.Min, c.Range.Max,
            Enumerable.Range(0, 11).Select(i => Hex(c.Colormap[(int)Math.Round(i * 25.5)])).ToList(), null),
        RgbStyle s => new Legend("rgb", "RGB", null, null, null, null,
        [
            new LegendChannel("red", s.Red, Name(bands, s.Red), s.RedRange.Min, s.RedRange.Max),
            new LegendChannel("green", s.Green, Name(bands, s.Green), s.GreenRange.Min, s.GreenRange.Max),
            new LegendChannel("blue", s.Blue, Name(bands, s.Blue), s.BlueRange.Min, s.BlueRange.Max),
        ]),
        _ => throw new RasterArgumentException($"unknown render style {style.GetType().Name}"),
    };

    private static string Name(IReadOnlyList<RasterBandInfo> bands, int band) =>
        string.IsNullOrWhiteSpace(bands[band - 1].Description) ? $"band {band}" : bands[band - 1].Description;

    private static string Hex((byte R, byte G, byte B) c) => string.Create(CultureInfo.InvariantCulture, $"#{c.R:x2}{c.G:x2}{c.B:x2}");
}

/// <summary>One colour channel of an RGB image: which band, and the values mapped from dark to full.</summary>
public sealed record LegendChannel(string Channel, int Band, string Name, double Min, double Max);
