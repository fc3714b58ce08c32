using System.Globalization;
using System.Xml.Linq;

namespace Tessera.Catalog.Local;

/// <summary>
/// What the scanner reads of a Sentinel-2 product's MTD_MSIL1C.xml or MTD_MSIL2A.xml (at the root of its .SAFE folder):
/// PRODUCT_START_TIME, SPACECRAFT_NAME ("Sentinel-2A") and Cloud_Coverage_Assessment.
/// </summary>
public sealed record Sentinel2Metadata(DateTimeOffset? Time, double? CloudCover, string? Platform)
{
    /// <summary>The product metadata file of the SAFE folder a band file lies in, or null.</summary>
    public static string? Find(string bandFile)
    {
        for (var dir = Path.GetDirectoryName(bandFile); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (dir.EndsWith(".SAFE", StringComparison.OrdinalIgnoreCase))
            {
                return Directory.EnumerateFiles(dir, "MTD_MSIL*.xml").FirstOrDefault();
            }
        }
        return null;
    }

    public static Sentinel2Metadata Read(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.None);
        }
        catch (System.Xml.XmlException)
        {
            return new Sentinel2Metadata(null, null, null);
        }
        string? Value(string name) => document.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
        DateTimeOffset? time = DateTimeOffset.TryParse(Value("PRODUCT_START_TIME"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        double? cloud = double.TryParse(Value("Cloud_Coverage_Assessment"), NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ? c : null;
        return new Sentinel2Metadata(time, cloud, Value("SPACECRAFT_NAME")?.ToLowerInvariant());
    }
}
