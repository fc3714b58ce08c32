namespace Tessera.Raster.Alignment;

/// <summary>
/// One band of one raster, as an input of a computation.
/// </summary>
/// <param name="Name">What the band is called in the computation (a role such as "nir" or an expression name),
/// used in error messages.</param>
/// <param name="Band">1-based band number.</param>
/// <param name="NoData">Overrides the band's own nodata value (for files that do not tag it).</param>
/// <param name="Scale">Overrides the band's GDAL scale: value = raw * scale + offset.</param>
/// <param name="Offset">Overrides the band's GDAL offset.</param>
public sealed record BandSource(
    string Name,
    string Path,
    int Band = 1,
    double? NoData = null,
    double? Scale = null,
    double? Offset = null);
