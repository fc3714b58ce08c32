using Tessera.Raster;

namespace Tessera.Processing.Mosaic;

/// <summary>How overlapping inputs make one value: blended by distance to their edges (feather), the first or
/// last valid input (in the order given), the smallest, the largest, or the mean of the valid ones. No data
/// never counts.</summary>
public enum MosaicMethod
{
    /// <summary>Each valid value weighted by its distance to its input's edge (no data or border), capped at
    /// the feather width: seams fade over that width instead of stepping.</summary>
    Feather,
    First,
    Last,
    Min,
    Max,
    Mean,
}

public static class MosaicMethods
{
    public static MosaicMethod Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "feather" => MosaicMethod.Feather,
        "first" => MosaicMethod.First,
        "last" => MosaicMethod.Last,
        "min" => MosaicMethod.Min,
        "max" => MosaicMethod.Max,
        "mean" => MosaicMethod.Mean,
        _ => throw new RasterArgumentException($"unknown mosaic method '{name}'; use feather, first, last, min, max or mean"),
    };
}
