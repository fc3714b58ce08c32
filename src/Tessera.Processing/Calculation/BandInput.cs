namespace Tessera.Processing.Calculation;

/// <summary>A named input of a calculation: which band of which file, and how to turn raw values into values.</summary>
/// <param name="Name">The name the expression uses (a role such as "nir", or a letter).</param>
/// <param name="Band">As the user wrote it: PATH, PATH@N or PATH@DESCRIPTION.</param>
/// <param name="Scale">Overrides the band's own GDAL scale (value = raw * scale + offset).</param>
/// <param name="Offset">Overrides the band's own GDAL offset.</param>
/// <param name="NoData">Overrides the band's own nodata value.</param>
public sealed record BandInput(string Name, string Band, double? Scale = null, double? Offset = null, double? NoData = null);
