namespace Tessera.Raster.Output;

/// <summary>
/// How a result is stored: the format (COG, the default, or GTiff) and GDAL creation options
/// ("NAME=VALUE") that add to or override the defaults of that format.
/// </summary>
public sealed record OutputOptions(string Format = OutputFormats.Cog, IReadOnlyList<string>? CreationOptions = null)
{
    public IReadOnlyList<string> CreationOptionList => CreationOptions ?? [];
}

/// <summary>The formats a result can be written in.</summary>
public static class OutputFormats
{
    public const string Cog = "COG";
    public const string GTiff = "GTiff";

    public static string Normalize(string format) => format.Trim().ToUpperInvariant() switch
    {
        "COG" => Cog,
        "GTIFF" or "GEOTIFF" => GTiff,
        _ => throw new RasterArgumentException($"unknown output format '{format}'; use COG or GTiff"),
    };
}
