using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tessera.Raster.Rendering;
using Tessera.Server.Tiles;

namespace Tessera.Server.OpenEo;

/// <summary>
/// How a service's map is drawn, from its configuration (<c>colormap</c>, <c>rescale</c>, <c>bands</c>, as
/// <c>GET /service_types</c> describes them); a tile request's own parameters (<c>bands</c>, <c>colormap</c>,
/// <c>rescale</c>, <c>resampling</c>, as the file tiles take them) come first. What neither says is the coverage's
/// default: RGB of the first three bands, else the first band in its known style (an NDVI's red-yellow-green from -1 to
/// 1), else viridis over its 2–98 % range.
/// </summary>
public sealed record ServiceStyle(IReadOnlyList<int>? Bands, string? Colormap, ValueRange? Rescale)
{
    public static ServiceStyle None { get; } = new(null, null, null);

    /// <summary>The settings of a service's configuration, as <c>GET /service_types</c> describes them.</summary>
    public static readonly IReadOnlyList<string> Fields = ["colormap", "rescale", "bands"];

    /// <summary>The configuration checked: openEO's ServiceConfigUnsupported for a setting it does not know, ServiceConfigInvalid for a wrong value.</summary>
    public static ServiceStyle Parse(JsonObject configuration)
    {
        static OpenEoException Invalid(string message) => new(StatusCodes.Status400BadRequest, "ServiceConfigInvalid", $"configuration: {message}");
        foreach (var (key, _) in configuration)
        {
            if (!Fields.Contains(key))
            {
                throw new OpenEoException(StatusCodes.Status400BadRequest, "ServiceConfigUnsupported",
                    $"configuration: '{key}' is not a setting of these services (known: {string.Join(", ", Fields)})");
            }
        }
        string? colormap = null;
        if (configuration["colormap"] is { } c)
        {
            var name = c is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Invalid("colormap: give a name");
            colormap = Raster.Rendering.Colormap.All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))?.Name
                ?? throw Invalid($"colormap '{name}' is not one of {string.Join(", ", Raster.Rendering.Colormap.All.Select(m => m.Name))}");
        }
        ValueRange? rescale = null;
        if (configuration["rescale"] is { } r)
        {
            if (r is not JsonArray { Count: 2 } pair || !pair.All(n => n is JsonValue x && x.TryGetValue<double>(out _)))
            {
                throw Invalid("rescale: give two numbers, [min, max]");
            }
            var (min, max) = (pair[0]!.GetValue<double>(), pair[1]!.GetValue<double>());
            rescale = max > min ? new ValueRange(min, max) : throw Invalid("rescale: min must be below max");
        }
        List<int>? bands = null;
        if (configuration["bands"] is { } b)
        {
            if (b is not JsonArray { Count: 1 or 3 } list || !list.All(n => n is JsonValue x && x.TryGetValue<int>(out var i) && i >= 1))
            {
                throw Invalid("bands: give one band number (1-based), or three for red, green and blue");
            }
            bands = list.Select(n => n!.GetValue<int>()).ToList();
        }
        return new ServiceStyle(bands, colormap, rescale);
    }

    /// <summary>The style of a stored configuration (checked when it was stored).</summary>
    public static ServiceStyle Of(string configuration) => JsonNode.Parse(configuration) is JsonObject o ? Parse(o) : None;

    /// <summary>The render style and resampling of a tile request; a bad parameter is openEO's BadRequest naming it.</summary>
    public (RenderStyle Style, Raster.Alignment.Resampling Resampling) For(Coverage coverage, IQueryCollection query)
    {
        try
        {
            var asked = TileQuery.Parse(query["bands"], query["colormap"], query["rescale"], query["resampling"]);
            var bands = asked.Bands ?? Bands;
            var rescale = asked.Rescale ?? (Rescale is { } range ? [range] : null);
            var count = coverage.Cube.BandCount;
            // Given ranges spare the overview a stretch is worked out on.
            RenderStyle defaults = count >= 3
                ? rescale is { } given
                    ? new RgbStyle(1, 2, 3, given[0], given[Math.Min(1, given.Count - 1)], given[given.Count - 1])
                    : new RgbStyle(1, 2, 3, coverage.Stretch(1), coverage.Stretch(2), coverage.Stretch(3))
                : Tessera.Host.Publishing.ResultStyles.Known(coverage.BandNames[0]) is { } known
                    ? new ColormapStyle(1, known.Colormap, known.Range)
                    : new ColormapStyle(1, Raster.Rendering.Colormap.Viridis, rescale?[0] ?? coverage.Stretch(1));
            return (RenderStyles.Customise(defaults, count, bands, asked.Colormap ?? Colormap, rescale, coverage.Stretch), asked.Resampling);
        }
        catch (Raster.RasterArgumentException e)
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", e.Message);
        }
    }
}
