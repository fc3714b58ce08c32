namespace Tessera.Raster.Rendering;

/// <summary>How bands become colours: one band through a colormap, or three bands as red, green and blue.</summary>
public abstract record RenderStyle
{
    /// <summary>The (1-based) bands the style reads, in order.</summary>
    public abstract IReadOnlyList<int> Bands { get; }
}

/// <summary>One band mapped onto a colormap over a range.</summary>
public sealed record ColormapStyle(int Band, Colormap Colormap, ValueRange Range) : RenderStyle
{
    public override IReadOnlyList<int> Bands => [Band];
}

/// <summary>Three bands as red, green, blue, each stretched over its own range.</summary>
public sealed record RgbStyle(int Red, int Green, int Blue, ValueRange RedRange, ValueRange GreenRange, ValueRange BlueRange) : RenderStyle
{
    public override IReadOnlyList<int> Bands => [Red, Green, Blue];
}
