namespace Tessera.Processing.Indices;

/// <summary>The spectral indices Tessera computes, with their formulas and band roles.</summary>
public static class SpectralIndices
{
    /// <summary>Normalized Difference Vegetation Index (Rouse et al. 1974).</summary>
    public static readonly SpectralIndex Ndvi = new("NDVI", 7, "Normalized Difference Vegetation Index",
        "(nir - red) / (nir + red)", ["nir", "red"], false, "Rouse et al. 1974");

    /// <summary>Enhanced Vegetation Index (Huete et al. 2002), MODIS coefficients G=2.5, C1=6, C2=7.5, L=1.</summary>
    public static readonly SpectralIndex Evi = new("EVI", 8, "Enhanced Vegetation Index",
        "2.5 * (nir - red) / (nir + 6 * red - 7.5 * blue + 1)", ["nir", "red", "blue"], true, "Huete et al. 2002");

    /// <summary>Normalized Difference Water Index, McFeeters' form (green and NIR; McFeeters 1996).</summary>
    public static readonly SpectralIndex Ndwi = new("NDWI", 9, "Normalized Difference Water Index (McFeeters)",
        "(green - nir) / (green + nir)", ["green", "nir"], false, "McFeeters 1996");

    /// <summary>Normalized Difference Built-up Index (Zha et al. 2003).</summary>
    public static readonly SpectralIndex Ndbi = new("NDBI", 10, "Normalized Difference Built-up Index",
        "(swir - nir) / (swir + nir)", ["swir", "nir"], false, "Zha et al. 2003");

    /// <summary>Burned Area Index (Chuvieco et al. 2002): inverse squared distance to the charcoal point (0.1, 0.06).</summary>
    public static readonly SpectralIndex Bai = new("BAI", 11, "Burned Area Index",
        "1 / ((0.1 - red)^2 + (0.06 - nir)^2)", ["red", "nir"], true, "Chuvieco et al. 2002");

    public static IReadOnlyList<SpectralIndex> All { get; } = [Ndvi, Evi, Ndwi, Ndbi, Bai];

    /// <summary>The index of that name (case-insensitive), or null.</summary>
    public static SpectralIndex? Find(string name) =>
        All.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));
}
