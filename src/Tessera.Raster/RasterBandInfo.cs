namespace Tessera.Raster;

/// <summary>What a band says about itself (what the band-info query reports).</summary>
/// <param name="Index">1-based band number.</param>
/// <param name="NoData">The nodata value, when the band has one.</param>
/// <param name="Scale">Value = raw * Scale + Offset; 1 when the band has none.</param>
/// <param name="OverviewCount">Number of overview levels (reduced-resolution copies) the band has.</param>
/// <param name="HasScaleOffset">Whether the band carries a scale or an offset other than 1 and 0.</param>
public sealed record RasterBandInfo(
    int Index,
    RasterDataType DataType,
    double? NoData,
    double Scale,
    double Offset,
    bool HasScaleOffset,
    string Description,
    int BlockWidth,
    int BlockHeight,
    int OverviewCount);
