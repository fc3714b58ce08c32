namespace Tessera.Raster;

/// <summary>
/// What kind of name a raster path is: a plain file, or something GDAL resolves itself (virtual file systems
/// such as <c>/vsicurl/</c>, subdatasets such as <c>NETCDF:"f.nc":var</c>, or inline VRT XML), which must be
/// passed to GDAL untouched.
/// </summary>
public static class RasterPaths
{
    public static bool IsPlainFile(string path)
    {
        var trimmed = path.TrimStart();
        if (trimmed.StartsWith("/vsi", StringComparison.Ordinal) || trimmed.StartsWith('<'))
        {
            return false;
        }
        var colon = path.IndexOf(':');
        // "DRIVER:..." names a subdataset; "C:\..." (one letter) is a Windows drive.
        return colon <= 1 || !path[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }

    /// <summary>The absolute path of a plain file; other names unchanged.</summary>
    public static string Normalize(string path) => IsPlainFile(path) ? Path.GetFullPath(path) : path;
}
