namespace Tessera.Raster.Rendering;

/// <summary>Formats a tile or preview is sent in.</summary>
public enum ImageFormat
{
    Png,
    Webp,

    /// <summary>The float values themselves, for programs: a NumPy .npy array (bands, rows, columns), NaN = no data.</summary>
    Npy,
}

public static class ImageFormats
{
    /// <summary>From a file extension ("png", "webp", "npy"); null when it is none of them.</summary>
    public static ImageFormat? FromExtension(string extension) => extension.ToLowerInvariant() switch
    {
        "png" => ImageFormat.Png,
        "webp" => ImageFormat.Webp,
        "npy" => ImageFormat.Npy,
        _ => null,
    };

    public static string MediaType(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Webp => "image/webp",
        _ => "application/octet-stream",
    };
}
