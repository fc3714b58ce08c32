using Tessera.Raster;

namespace Tessera.Processing.Clouds;

/// <summary>How a composite picks each pixel from the clear observations: their median, or the clearest one
/// (the lowest mask value, e.g. a cloud probability; the first in the order given on a tie).</summary>
public enum CompositeMethod
{
    Median,
    Clearest,
}

public static class CompositeMethods
{
    public static CompositeMethod Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "median" => CompositeMethod.Median,
        "clearest" => CompositeMethod.Clearest,
        _ => throw new RasterArgumentException($"unknown composite method '{name}'; use median or clearest"),
    };
}
