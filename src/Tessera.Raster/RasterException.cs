namespace Tessera.Raster;

/// <summary>Base of every error raised by the raster layer; the message is meant for the user as it is.</summary>
public class RasterException : Exception
{
    public RasterException(string message) : base(message)
    {
    }

    public RasterException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>A raster could not be opened: missing file, not a raster GDAL knows, or no permission.</summary>
public sealed class RasterOpenException(string path, string message) : RasterException(message)
{
    public string Path { get; } = path;
}

/// <summary>Reading or writing pixels, or creating or closing a dataset, failed.</summary>
public sealed class RasterIOException(string path, string message) : RasterException(message)
{
    public string Path { get; } = path;
}

/// <summary>A request the raster cannot satisfy: band out of range, window outside the raster, bad option.</summary>
public sealed class RasterArgumentException(string message) : RasterException(message);

/// <summary>Inputs that cannot be put on one grid: no common area, or no usable georeference.</summary>
public sealed class GridAlignmentException(string message) : RasterException(message);
