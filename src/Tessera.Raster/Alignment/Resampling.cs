namespace Tessera.Raster.Alignment;

/// <summary>How an input on another grid is resampled onto the reference grid (GDAL's warp kernels).</summary>
public enum Resampling
{
    Nearest,
    Bilinear,
    Cubic,
    Average,
}

/// <summary>Names of <see cref="Resampling"/> as GDAL and the command line spell them.</summary>
public static class ResamplingNames
{
    public static string ToGdal(this Resampling r) => r switch
    {
        Resampling.Nearest => "near",
        Resampling.Bilinear => "bilinear",
        Resampling.Cubic => "cubic",
        Resampling.Average => "average",
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    public static Resampling Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "nearest" or "near" => Resampling.Nearest,
        "bilinear" => Resampling.Bilinear,
        "cubic" => Resampling.Cubic,
        "average" => Resampling.Average,
        _ => throw new RasterArgumentException($"unknown resampling '{name}'; use nearest, bilinear, cubic or average"),
    };
}
