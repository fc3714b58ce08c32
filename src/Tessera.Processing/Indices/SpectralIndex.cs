namespace Tessera.Processing.Indices;

/// <summary>
/// A spectral index: a band-math formula over named spectral roles, computed on reflectance.
/// </summary>
/// <param name="Name">Short name, also the output band's description ("NDVI").</param>
/// <param name="TaskType">The task type number of the processing service (seed TaskType).</param>
/// <param name="Formula">The formula in the band-math language, over <paramref name="Roles"/>.</param>
/// <param name="ScaleSensitive">Whether the value depends on the reflectance scale (EVI, BAI); ratios of
/// differences (NDVI, NDWI, NDBI) do not, as long as the offset is zero.</param>
public sealed record SpectralIndex(
    string Name,
    int TaskType,
    string Title,
    string Formula,
    IReadOnlyList<string> Roles,
    bool ScaleSensitive,
    string Reference);
