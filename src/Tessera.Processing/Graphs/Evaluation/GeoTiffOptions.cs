using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Raster;
using Tessera.Raster.Output;
using Tessera.Raster.Rendering;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// <c>save_result</c>'s options for GeoTIFF (<c>GTiff</c>) and <c>COG</c>, as GDAL's creation options: <c>tiled</c>
/// (GTiff; a COG is always tiled), <c>compress</c> (<c>deflate</c>, <c>zstd</c>, <c>lzw</c>, <c>jpeg</c>, <c>none</c>),
/// <c>jpeg_quality</c> (1–100, with jpeg), <c>photometric</c> (GTiff: <c>MINISBLACK</c>, <c>RGB</c> or, with jpeg,
/// <c>YCBCR</c>; the last two need three bands). JPEG holds 8-bit values: with it the file is Byte, values rounded
/// and clamped to 0–255 (scale them into that range first, with <c>linear_scale_range</c>). <c>colormap</c> (one of
/// Tessera's ramps, such as <c>rdylgn</c>) with <c>rescale</c> <c>[min, max]</c> renders a one-band cube as an RGB image of
/// bytes, the values from min to max along the ramp (nodata stays 0). Anything else is refused naming the option.
/// </summary>
/// <param name="Colors">The ramp a one-band cube is rendered with, or null.</param>
/// <param name="Rescale">The values at the two ends of the ramp.</param>
public sealed record GeoTiffOptions(OutputOptions Output, RasterDataType Type, Colormap? Colors = null, (double Min, double Max) Rescale = default)
{
    private static readonly string[] Names = ["tiled", "compress", "jpeg_quality", "photometric", "colormap", "rescale"];
    private static readonly string[] Compressions = ["deflate", "zstd", "lzw", "jpeg", "none"];
    private static readonly string[] Photometrics = ["MINISBLACK", "RGB", "YCBCR"];

    public static GeoTiffOptions Parse(string format, JsonObject options, int bands, string node)
    {
        var cog = string.Equals(format, "COG", StringComparison.OrdinalIgnoreCase);
        GraphException Bad(string message) => new("FormatArgumentInvalid", message, node, "options");
        foreach (var (key, _) in options)
        {
            if (!Names.Contains(key))
            {
                throw new GraphException("FormatArgumentUnsupported", $"'{key}' is not an option of {format} (it takes {string.Join(", ", Names)})", node, "options");
            }
        }
        var (colors, rescale) = Colours(options, ref bands, Bad);
        var creation = new List<string>();
        if (options["tiled"] is { } tiled)
        {
            var value = tiled.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? tiled.GetValue<bool>() : throw Bad("tiled: true or false");
            if (cog && !value)
            {
                throw Bad("tiled: a COG is always tiled");
            }
            if (!cog)
            {
                creation.Add(value ? "TILED=YES" : "TILED=NO");
            }
        }
        var compress = options["compress"] is { } c
            ? (c is JsonValue v && v.TryGetValue<string>(out var text) && Compressions.Contains(text.ToLowerInvariant()) ? text.ToLowerInvariant()
                : throw Bad($"compress: one of {string.Join(", ", Compressions)}"))
            : null;
        if (compress is not null)
        {
            creation.Add($"COMPRESS={(compress == "none" ? "NONE" : compress.ToUpperInvariant())}");
            if (compress is "deflate" or "zstd" or "lzw")
            {
                creation.Add(cog ? "PREDICTOR=YES" : "PREDICTOR=3"); // the floating-point predictor (GTiff names it by number)
            }
        }
        if (options["jpeg_quality"] is { } q)
        {
            if (compress != "jpeg")
            {
                throw Bad("jpeg_quality: only with compress jpeg");
            }
            var quality = q is JsonValue qv && qv.TryGetValue<double>(out var d) && d is >= 1 and <= 100 && d % 1 == 0 ? (int)d
                : throw Bad("jpeg_quality: a whole number from 1 to 100");
            creation.Add(string.Create(CultureInfo.InvariantCulture, $"{(cog ? "QUALITY" : "JPEG_QUALITY")}={quality}"));
        }
        if (options["photometric"] is { } p)
        {
            if (cog)
            {
                throw Bad("photometric: a COG's is chosen by GDAL; give it for GTiff");
            }
            var photometric = p is JsonValue pv && pv.TryGetValue<string>(out var name) && Photometrics.Contains(name.ToUpperInvariant()) ? name.ToUpperInvariant()
                : throw Bad($"photometric: one of {string.Join(", ", Photometrics)}");
            if (photometric is "RGB" or "YCBCR" && bands != 3)
            {
                throw Bad($"photometric {photometric}: needs three bands (red, green, blue); the cube has {bands}");
            }
            if (photometric == "YCBCR" && compress != "jpeg")
            {
                throw Bad("photometric YCBCR: only with compress jpeg");
            }
            creation.Add($"PHOTOMETRIC={photometric}");
            if (photometric == "YCBCR")
            {
                creation.Add("INTERLEAVE=PIXEL"); // JPEG's YCbCr subsampling needs the channels of a pixel together
            }
        }
        var type = compress == "jpeg" || colors is not null ? RasterDataType.Byte : RasterDataType.Float32;
        return new GeoTiffOptions(new OutputOptions(cog || creation.Count == 0 ? OutputFormats.Cog : OutputFormats.GTiff, creation), type, colors, rescale);
    }

    /// <summary>
    /// The options of a PNG: bytes (values rounded and clamped to 0–255, nodata 0), one to four bands, or a one-band cube
    /// rendered with <c>colormap</c> and <c>rescale</c>; nothing else.
    /// </summary>
    public static GeoTiffOptions ForImage(string format, JsonObject options, int bands, string node)
    {
        GraphException Bad(string message) => new("FormatArgumentInvalid", message, node, "options");
        foreach (var (key, _) in options)
        {
            if (key is not ("colormap" or "rescale"))
            {
                throw new GraphException("FormatArgumentUnsupported", $"'{key}' is not an option of {format} (it takes colormap, rescale)", node, "options");
            }
        }
        var (colors, rescale) = Colours(options, ref bands, Bad);
        if (bands > 4)
        {
            throw Bad($"{format} holds one to four bands; the cube has {bands}: choose them with filter_bands, or render one with colormap");
        }
        return new GeoTiffOptions(new OutputOptions(OutputFormats.GTiff, ["TILED=YES", "COMPRESS=NONE"]), RasterDataType.Byte, colors, rescale);
    }

    /// <summary><c>colormap</c> and <c>rescale</c>: the ramp a one-band cube is rendered with (three bands then), or none.</summary>
    private static (Colormap? Colors, (double Min, double Max) Rescale) Colours(JsonObject options, ref int bands, Func<string, GraphException> Bad)
    {
        Colormap? colors = null;
        (double Min, double Max) rescale = default;
        if (options["colormap"] is { } map)
        {
            try
            {
                colors = map is JsonValue mv && mv.TryGetValue<string>(out var mapName) ? Colormap.Parse(mapName) : throw Bad("colormap: give the name of a ramp");
            }
            catch (RasterArgumentException e)
            {
                throw Bad($"colormap: {e.Message}");
            }
            if (bands != 1)
            {
                throw Bad($"colormap: renders a cube of one band; the cube has {bands}");
            }
            rescale = options["rescale"] is JsonArray { Count: 2 } range && range[0] is JsonValue lo && lo.TryGetValue<double>(out var min)
                && range[1] is JsonValue hi && hi.TryGetValue<double>(out var max) && max > min
                ? (min, max) : throw Bad("rescale: give [min, max] (min below max), the values at the ends of the colormap");
            bands = 3;
        }
        else if (options["rescale"] is not null)
        {
            throw Bad("rescale: only with colormap");
        }
        return (colors, rescale);
    }
}
