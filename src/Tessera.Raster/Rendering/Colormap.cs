namespace Tessera.Raster.Rendering;

/// <summary>
/// A ramp of 256 colours, built by linear interpolation between a few stops (the ColorBrewer and matplotlib
/// ramps users know). Index 0 is the low end of the range, 255 the high end.
/// </summary>
public sealed class Colormap
{
    private readonly byte[] _rgb;

    private Colormap(string name, IReadOnlyList<(double At, byte R, byte G, byte B)> stops)
    {
        Name = name;
        Stops = stops;
        _rgb = new byte[256 * 3];
        for (var i = 0; i < 256; i++)
        {
            var t = i / 255.0;
            var k = 1;
            while (k < stops.Count - 1 && stops[k].At < t)
            {
                k++;
            }
            var (a, b) = (stops[k - 1], stops[k]);
            var f = b.At > a.At ? Math.Clamp((t - a.At) / (b.At - a.At), 0, 1) : 0;
            _rgb[i * 3] = (byte)Math.Round(a.R + (b.R - a.R) * f);
            _rgb[i * 3 + 1] = (byte)Math.Round(a.G + (b.G - a.G) * f);
            _rgb[i * 3 + 2] = (byte)Math.Round(a.B + (b.B - a.B) * f);
        }
    }

    public string Name { get; }

    /// <summary>The stops the ramp is built from: position in 0..1 and colour.</summary>
    public IReadOnlyList<(double At, byte R, byte G, byte B)> Stops { get; }

    /// <summary>The colour of entry <paramref name="index"/> (0..255).</summary>
    public (byte R, byte G, byte B) this[int index] => (_rgb[index * 3], _rgb[index * 3 + 1], _rgb[index * 3 + 2]);

    /// <summary>Red-yellow-green, diverging (ColorBrewer RdYlGn): for indices from -1 to 1.</summary>
    public static Colormap RdYlGn { get; } = new("rdylgn",
    [
        (0.0, 165, 0, 38), (0.1, 215, 48, 39), (0.2, 244, 109, 67), (0.3, 253, 174, 97), (0.4, 254, 224, 139),
        (0.5, 255, 255, 191), (0.6, 217, 239, 139), (0.7, 166, 217, 106), (0.8, 102, 189, 99), (0.9, 26, 152, 80),
        (1.0, 0, 104, 55),
    ]);

    /// <summary>Viridis, sequential and perceptually uniform (matplotlib).</summary>
    public static Colormap Viridis { get; } = new("viridis",
    [
        (0.0, 68, 1, 84), (0.125, 71, 44, 122), (0.25, 59, 81, 139), (0.375, 44, 113, 142), (0.5, 33, 144, 141),
        (0.625, 39, 173, 129), (0.75, 92, 200, 99), (0.875, 170, 220, 50), (1.0, 253, 231, 37),
    ]);

    /// <summary>Black to white.</summary>
    public static Colormap Greys { get; } = new("greys", [(0.0, 0, 0, 0), (1.0, 255, 255, 255)]);

    /// <summary>Blues, sequential (ColorBrewer): water.</summary>
    public static Colormap Blues { get; } = new("blues",
        [(0.0, 247, 251, 255), (0.25, 198, 219, 239), (0.5, 107, 174, 214), (0.75, 33, 113, 181), (1.0, 8, 48, 107)]);

    /// <summary>Every colormap by name.</summary>
    public static IReadOnlyList<Colormap> All { get; } = [RdYlGn, Viridis, Greys, Blues];

    /// <summary>The colormap of that name (case-insensitive); <see cref="RasterArgumentException"/> naming the known ones.</summary>
    public static Colormap Parse(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new RasterArgumentException($"unknown colormap '{name}'; use {string.Join(", ", All.Select(c => c.Name))}");
}
