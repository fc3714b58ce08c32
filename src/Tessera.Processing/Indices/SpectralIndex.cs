namespace Tessera.Processing.Indices;

/// <summary>
/// A spectral index: a band-math formula over named spectral roles, computed on reflectance.
/// </summary>
/// <param name="Name">Short name, also the output band's description ("NDVI").</param>
/// <param name="TaskType">The task type number of the processing service (seed TaskType; new indices get new numbers).</param>
/// <param name="Formula">The formula in the band-math language, over <paramref name="Roles"/> and <paramref name="Constants"/>.</param>
/// <param name="ScaleSensitive">Whether the value depends on the reflectance scale (EVI, BAI, SAVI); ratios of
/// differences (NDVI, NDWI, NDBI) do not, as long as the offset is zero.</param>
/// <param name="Diverging">Shown red-yellow-green from -1 to 1 (else viridis over the values' own range).</param>
/// <param name="Constants">Coefficients the caller may change (SAVI's L), each a parameter of the task type.</param>
public sealed record SpectralIndex(
    string Name,
    int TaskType,
    string Title,
    string Formula,
    IReadOnlyList<string> Roles,
    bool ScaleSensitive,
    string Reference,
    bool Diverging = true,
    IReadOnlyList<IndexConstant>? Constants = null);

/// <summary>A coefficient of an index formula: its name in the formula, default, allowed range and meaning.</summary>
public sealed record IndexConstant(string Name, double Default, double Minimum, double Maximum, string Description);
