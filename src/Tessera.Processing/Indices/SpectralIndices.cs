namespace Tessera.Processing.Indices;

/// <summary>The spectral indices Tessera computes, with their formulas and band roles. An index is defined here
/// alone: its task type, <c>tessera index</c>, the types listing and the STAC collections follow from it.</summary>
public static class SpectralIndices
{
    /// <summary>Normalized Difference Vegetation Index (Rouse et al. 1974).</summary>
    public static readonly SpectralIndex Ndvi = new("NDVI", 7, "Normalized Difference Vegetation Index",
        "clamp((nir - red) / (nir + red), -1, 1)", ["nir", "red"], false, "Rouse et al. 1974");

    /// <summary>Enhanced Vegetation Index (Huete et al. 2002), MODIS coefficients G=2.5, C1=6, C2=7.5, L=1.</summary>
    public static readonly SpectralIndex Evi = new("EVI", 8, "Enhanced Vegetation Index",
        "2.5 * (nir - red) / (nir + 6 * red - 7.5 * blue + 1)", ["nir", "red", "blue"], true, "Huete et al. 2002");

    /// <summary>Normalized Difference Water Index, McFeeters' form (green and NIR; McFeeters 1996).</summary>
    public static readonly SpectralIndex Ndwi = new("NDWI", 9, "Normalized Difference Water Index (McFeeters)",
        "clamp((green - nir) / (green + nir), -1, 1)", ["green", "nir"], false, "McFeeters 1996");

    /// <summary>Normalized Difference Built-up Index (Zha et al. 2003).</summary>
    public static readonly SpectralIndex Ndbi = new("NDBI", 10, "Normalized Difference Built-up Index",
        "clamp((swir - nir) / (swir + nir), -1, 1)", ["swir", "nir"], false, "Zha et al. 2003");

    /// <summary>Burned Area Index (Chuvieco et al. 2002): inverse squared distance to the charcoal point (0.1, 0.06).</summary>
    public static readonly SpectralIndex Bai = new("BAI", 11, "Burned Area Index",
        "1 / ((0.1 - red)^2 + (0.06 - nir)^2)", ["red", "nir"], true, "Chuvieco et al. 2002", Diverging: false);

    /// <summary>Soil Adjusted Vegetation Index (Huete 1988), soil brightness factor L.</summary>
    public static readonly SpectralIndex Savi = new("SAVI", 16, "Soil Adjusted Vegetation Index",
        "clamp((1 + L) * (nir - red) / (nir + red + L), -1, 1)", ["nir", "red"], true, "Huete 1988",
        Constants: [new("L", 0.5, 0, 1, "soil brightness correction: 0 for dense vegetation (SAVI = NDVI), 1 for sparse; 0.5 suits most land")]);

    /// <summary>Modified Soil Adjusted Vegetation Index, the closed form MSAVI2 (Qi et al. 1994).</summary>
    public static readonly SpectralIndex Msavi = new("MSAVI", 17, "Modified Soil Adjusted Vegetation Index (MSAVI2)",
        "clamp((2 * nir + 1 - sqrt((2 * nir + 1)^2 - 8 * (nir - red))) / 2, -1, 1)", ["nir", "red"], true, "Qi et al. 1994");

    /// <summary>Normalized Burn Ratio (Key and Benson 2006): NIR against SWIR 2.</summary>
    public static readonly SpectralIndex Nbr = new("NBR", 18, "Normalized Burn Ratio",
        "clamp((nir - swir2) / (nir + swir2), -1, 1)", ["nir", "swir2"], false, "Key and Benson 2006");

    /// <summary>Normalized Burn Ratio 2 (USGS): SWIR 1 against SWIR 2.</summary>
    public static readonly SpectralIndex Nbr2 = new("NBR2", 19, "Normalized Burn Ratio 2",
        "clamp((swir1 - swir2) / (swir1 + swir2), -1, 1)", ["swir1", "swir2"], false, "USGS Landsat spectral indices");

    /// <summary>Normalized Difference Moisture Index (Gao 1996; USGS): NIR against SWIR 1.</summary>
    public static readonly SpectralIndex Ndmi = new("NDMI", 20, "Normalized Difference Moisture Index",
        "clamp((nir - swir1) / (nir + swir1), -1, 1)", ["nir", "swir1"], false, "Gao 1996");

    public static IReadOnlyList<SpectralIndex> All { get; } = [Ndvi, Evi, Ndwi, Ndbi, Bai, Savi, Msavi, Nbr, Nbr2, Ndmi];

    /// <summary>The index of that name (case-insensitive), or null.</summary>
    public static SpectralIndex? Find(string name) =>
        All.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>What a role is: the band it names.</summary>
    public static string RoleDescription(string role) => role switch
    {
        "nir" => "the near-infrared band (Landsat 8/9 B5, Sentinel-2 B08)",
        "red" => "the red band (Landsat 8/9 B4, Sentinel-2 B04)",
        "green" => "the green band (Landsat 8/9 B3, Sentinel-2 B03)",
        "blue" => "the blue band (Landsat 8/9 B2, Sentinel-2 B02)",
        "swir" or "swir1" => "the first short-wave infrared band, about 1.6 µm (Landsat 8/9 B6, Sentinel-2 B11)",
        "swir2" => "the second short-wave infrared band, about 2.2 µm (Landsat 8/9 B7, Sentinel-2 B12)",
        _ => $"the {role} band",
    };

    /// <summary>The role an index calls by another name: NDBI's <c>swir</c> is SWIR 1 (<c>--swir1</c> or <c>--swir</c>).</summary>
    public static string Canonical(string role) => role == "swir" ? "swir1" : role;
}
