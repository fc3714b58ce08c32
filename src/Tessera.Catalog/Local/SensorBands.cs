using Tessera.Catalog.Scenes;

namespace Tessera.Catalog.Local;

/// <summary>The bands of the sensors the scanner knows: names as in the products' files, STAC common names, wavelengths (µm).</summary>
public static class SensorBands
{
    public static readonly IReadOnlyList<CatalogBand> Sentinel2 =
    [
        new("B01", "coastal", 0.443, 0.027), new("B02", "blue", 0.490, 0.098), new("B03", "green", 0.560, 0.045),
        new("B04", "red", 0.665, 0.038), new("B05", "rededge", 0.704, 0.019), new("B06", "rededge", 0.740, 0.018),
        new("B07", "rededge", 0.783, 0.028), new("B08", "nir", 0.842, 0.145), new("B8A", "nir08", 0.865, 0.033),
        new("B09", "nir09", 0.945, 0.026), new("B10", "cirrus", 1.375, 0.075), new("B11", "swir16", 1.610, 0.143),
        new("B12", "swir22", 2.190, 0.242),
    ];

    /// <summary>Landsat 8 and 9 OLI/TIRS (bands B1..B11; surface reflectance SR_B1..SR_B7 are the same bands).</summary>
    public static readonly IReadOnlyList<CatalogBand> LandsatOli =
    [
        new("B1", "coastal", 0.44, 0.02), new("B2", "blue", 0.48, 0.06), new("B3", "green", 0.56, 0.06), new("B4", "red", 0.65, 0.04),
        new("B5", "nir08", 0.86, 0.03), new("B6", "swir16", 1.6, 0.08), new("B7", "swir22", 2.2, 0.2), new("B8", "pan", 0.59, 0.18),
        new("B9", "cirrus", 1.37, 0.02), new("B10", "lwir11", 10.9, 0.8), new("B11", "lwir12", 12.0, 1.0),
    ];

    /// <summary>The band a file's band key stands for ("SR_B4" is B4), or null for quality layers and the like.</summary>
    public static CatalogBand? Find(IReadOnlyList<CatalogBand> bands, string key)
    {
        var name = key.StartsWith("SR_", StringComparison.Ordinal) ? key[3..] : key;
        return bands.FirstOrDefault(b => b.Name == name);
    }
}
