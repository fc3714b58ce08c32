namespace Tessera.Raster.Alignment;

/// <summary>
/// How to read one <see cref="BandSource"/> on the reference grid: either straight from the file (same grid,
/// possibly shifted by whole pixels), interpolated in memory from the file's own grid, or through a virtual raster
/// made by GDAL. Holds no open handle:
/// every thread opens <see cref="OpenPath"/> itself.
/// </summary>
/// <param name="OpenPath">The file, or the XML of a warped VRT.</param>
/// <param name="Band">The band to read in what <see cref="OpenPath"/> opens.</param>
/// <param name="ColShift">Source column = reference column + ColShift (direct reads only).</param>
/// <param name="RowShift">Source row = reference row + RowShift (direct reads only).</param>
/// <param name="SourceWidth">Width of what <see cref="OpenPath"/> opens.</param>
/// <param name="SourceHeight">Height of what <see cref="OpenPath"/> opens.</param>
/// <param name="NoData">The raw value read as nodata, if any (NaN is always nodata).</param>
/// <param name="Scale">Applied after nodata masking: value = raw * Scale + Offset.</param>
/// <param name="Mapping">When set, <see cref="OpenPath"/> is read at its own resolution and interpolated onto the
/// reference grid in memory (see <see cref="GridInterpolator"/>); the shifts are then unused.</param>
public sealed record AlignedSource(
    BandSource Source,
    string OpenPath,
    int Band,
    bool IsWarped,
    int ColShift,
    int RowShift,
    int SourceWidth,
    int SourceHeight,
    double? NoData,
    double Scale,
    double Offset,
    GridMapping? Mapping = null);
