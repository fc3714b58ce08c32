using Tessera.Raster;

namespace Tessera.Processing.Mosaic;

/// <summary>How overlapping inputs make one value: the first or last valid input (in the order given), the
/// smallest, the largest, or the mean of the valid ones. No data never counts.</summary>
public enum MosaicMethod
{
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
        "first" => MosaicMethod.First,
        "last" => MosaicMethod.Last,
        "min" => MosaicMethod.Min,
        "max" => MosaicMethod.Max,
        "mean" => MosaicMethod.Mean,
        _ => throw new RasterArgumentException($"unknown mosaic method '{name}'; use first, last, min, max or mean"),
    };
}
