namespace Tessera.Raster.Rendering;

/// <summary>Turns float pixels (NaN = no data) into RGBA bytes with a <see cref="RenderStyle"/>; no data is transparent.</summary>
public static class Renderer
{
    /// <param name="bands">One plane per band of <see cref="RenderStyle.Bands"/>, each width x height, row-major.</param>
    public static byte[] Render(RenderStyle style, IReadOnlyList<float[]> bands, int width, int height)
    {
        var pixels = width * height;
        var rgba = new byte[pixels * 4];
        switch (style)
        {
            case ColormapStyle c:
            {
                var values = bands[0];
                for (var i = 0; i < pixels; i++)
                {
                    var v = values[i];
                    if (!float.IsFinite(v))
                    {
                        continue; // transparent
                    }
                    var (r, g, b) = c.Colormap[c.Range.Index(v)];
                    rgba[i * 4] = r;
                    rgba[i * 4 + 1] = g;
                    rgba[i * 4 + 2] = b;
                    rgba[i * 4 + 3] = 255;
                }
                break;
            }
            case RgbStyle s:
            {
                var (red, green, blue) = (bands[0], bands[1], bands[2]);
                for (var i = 0; i < pixels; i++)
                {
                    if (!float.IsFinite(red[i]) || !float.IsFinite(green[i]) || !float.IsFinite(blue[i]))
                    {
                        continue;
                    }
                    rgba[i * 4] = (byte)s.RedRange.Index(red[i]);
                    rgba[i * 4 + 1] = (byte)s.GreenRange.Index(green[i]);
                    rgba[i * 4 + 2] = (byte)s.BlueRange.Index(blue[i]);
                    rgba[i * 4 + 3] = 255;
                }
                break;
            }
            default:
                throw new RasterArgumentException($"unknown render style {style.GetType().Name}");
        }
        return rgba;
    }
}
