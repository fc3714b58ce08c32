using Tessera.Raster.Rendering;

namespace Tessera.Processing.Graphs.Cubes;

/// <summary>
/// A value rendered along a colour ramp, as three pixel expressions (red, green, blue, 0–255): the value's place between
/// <c>min</c> and <c>max</c> (clamped to the ends), each channel interpolated linearly between the ramp's stops, as
/// <see cref="Colormap"/> builds its table. Nodata stays nodata.
/// </summary>
public static class ColourRamp
{
    public static List<PixelExpr> Channels(PixelExpr value, Colormap ramp, double min, double max)
    {
        var place = new Binary("divide", new Binary("subtract", value, new Constant(min)), new Constant(max - min));
        var t = new Conditional(new Binary("lt", place, new Constant(0)), new Constant(0),
            new Conditional(new Binary("gt", place, new Constant(1)), new Constant(1), place));
        return [Channel(t, ramp, s => s.R), Channel(t, ramp, s => s.G), Channel(t, ramp, s => s.B)];
    }

    private static PixelExpr Channel(PixelExpr t, Colormap ramp, Func<(double At, byte R, byte G, byte B), byte> of)
    {
        var stops = ramp.Stops;
        // From the last segment back: t at or below a segment's end lies in it (or in one before).
        PixelExpr channel = Segment(t, stops[^2], stops[^1], of);
        for (var k = stops.Count - 2; k >= 1; k--)
        {
            channel = new Conditional(new Binary("lte", t, new Constant(stops[k].At)), Segment(t, stops[k - 1], stops[k], of), channel);
        }
        // A nodata value fails every comparison and ends in the last segment, which keeps it nodata.
        return channel;
    }

    private static PixelExpr Segment(PixelExpr t, (double At, byte R, byte G, byte B) a, (double At, byte R, byte G, byte B) b,
        Func<(double At, byte R, byte G, byte B), byte> of)
    {
        var (from, to) = (of(a), (double)of(b));
        var slope = (to - from) / (b.At - a.At);
        return new Binary("add", new Constant(from), new Binary("multiply", new Binary("subtract", t, new Constant(a.At)), new Constant(slope)));
    }
}
