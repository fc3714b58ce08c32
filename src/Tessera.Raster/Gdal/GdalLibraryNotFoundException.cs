namespace Tessera.Raster.Gdal;

/// <summary>The GDAL shared library could not be loaded; the message says how to install it.</summary>
public sealed class GdalLibraryNotFoundException : RasterException
{
    public GdalLibraryNotFoundException(IReadOnlyList<string> tried)
        : base(BuildMessage(tried))
    {
    }

    private static string BuildMessage(IReadOnlyList<string> tried)
    {
        var how = OperatingSystem.IsWindows()
            ? "install GDAL 3.4 or newer (OSGeo4W or conda) and put its bin folder on PATH"
            : OperatingSystem.IsMacOS()
                ? "install GDAL 3.4 or newer: brew install gdal"
                : "install GDAL 3.4 or newer: sudo apt-get install libgdal32 (Debian 12) or libgdal34 (Ubuntu 24.04)";
        return $"GDAL library not found (tried {string.Join(", ", tried)}); {how}, " +
               $"or set {GdalLibraryResolver.OverrideVariable} to the library's path";
    }
}
