namespace Tessera.Processing.Zonal;

/// <summary>
/// Statistics of one band of one raster over one zone. <see cref="Count"/> is the pixels of the zone that lie
/// on the raster; <see cref="Valid"/> those that are not no data; the rest are over the valid ones (null when
/// there are none). Std is the population standard deviation; the median of an even count is the mean of
/// the two middle values.
/// </summary>
public sealed record ZoneStatistics(string Zone, int ZoneIndex, string Raster, int Band, long Count, long Valid,
    double? Mean, double? Min, double? Max, double? Std, double? Median, double? Sum)
{
    /// <summary>What the band is (<see cref="Tessera.Raster.Info.BandLabels"/>): its description, its date, or "band N".</summary>
    public string Label { get; init; } = $"band {Band}";
}
