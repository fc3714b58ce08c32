namespace Tessera.Processing.Radiometry;

/// <summary>
/// The Harmonized Landsat Sentinel-2 (HLS) bandpass adjustment of Sentinel-2 MSI surface reflectance to Landsat-8 OLI:
/// <c>OLI = slope x MSI + intercept</c> per band, with the published coefficients (HLS v1.4, Claverie et al. 2018), by
/// the MSI band they apply to (the narrow NIR, B8A, stands for OLI's NIR).
/// </summary>
public static class HlsBandpass
{
    public static readonly IReadOnlyDictionary<string, (double Slope, double Intercept)> MsiToOli = new Dictionary<string, (double, double)>
    {
        ["B01"] = (0.9959, -0.0002),
        ["B02"] = (0.9778, -0.004),
        ["B03"] = (1.0053, -0.0009),
        ["B04"] = (0.9765, 0.0009),
        ["B8A"] = (0.9983, -0.0001),
        ["B11"] = (0.9987, -0.0011),
        ["B12"] = (1.003, -0.0012),
    };
}
