using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Tessera.Catalog;
using Tessera.Catalog.Local;
using Tessera.Catalog.Scenes;
using Tessera.Host.Catalog;

namespace Tessera.Host.Radcor;

/// <summary>A band of a scene on this machine: its asset, file, STAC common name and how its digital numbers become
/// reflectance (<c>DN x Gain + Bias</c>; null when the scene says nothing of it, as for thermal bands).</summary>
public sealed record SceneBand(CatalogAsset Asset, string Path, string? CommonName, (double Gain, double Bias)? Calibration, double? NoData);

/// <summary>
/// The bands of a Landsat or Sentinel-2 scene's item whose files are on this machine, found by the asset's key or file
/// name (<c>B4</c>, <c>..._B4.TIF</c>, <c>B04</c>, <c>..._B8A.jp2</c>): Landsat's calibration from its MTL file
/// (<c>REFLECTANCE_MULT_BAND_n</c>, <c>REFLECTANCE_ADD_BAND_n</c>, divided by the sine of <c>SUN_ELEVATION</c>: USGS's TOA
/// reflectance with the sun-angle correction), Sentinel-2 L1C's from its MTD_MSIL1C.xml (<c>QUANTIFICATION_VALUE</c> and
/// each band's <c>RADIO_ADD_OFFSET</c>; without the file, 10000 and the offset of the processing baseline: -1000 from
/// 04.00 on). The other assets (metadata, quality layers) are listed apart.
/// </summary>
public sealed record SceneBands(string Sensor, IReadOnlyList<SceneBand> Bands, IReadOnlyList<CatalogAsset> Others)
{
    public const string Landsat = "landsat";
    public const string Sentinel2 = "sentinel-2";

    private static readonly Regex LandsatKey = new(@"(?:^|_)(?:SR_)?B(\d{1,2})(?:\.TIF{1,2})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex SentinelKey = new(@"(?:^|_)(B(?:0[1-9]|1[0-2]|8A))(?:_\d+m)?(?:\.(?:jp2|tif{1,2}))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly string[] SentinelOrder = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11", "B12"];

    /// <summary>Landsat 4-7 TM/ETM+ common names (band 6 is thermal).</summary>
    private static readonly Dictionary<int, string> ThematicMapper = new()
    {
        [1] = "blue", [2] = "green", [3] = "red", [4] = "nir08", [5] = "swir16", [7] = "swir22",
    };

    /// <summary>The bands of <paramref name="item"/>; <see cref="CatalogException"/> when it is neither sensor's or has no band here.</summary>
    public static SceneBands Of(CatalogItem item)
    {
        var local = item.Assets.Select(a => (Asset: a, Path: CatalogAssets.LocalPathOf(a))).Where(p => p.Path is not null).ToList();
        if (local.Count == 0)
        {
            throw new CatalogException($"no asset of item '{item.Id}' is on this machine: download it first");
        }
        var mtl = local.FirstOrDefault(p => p.Path!.EndsWith("_MTL.txt", StringComparison.OrdinalIgnoreCase) || p.Asset.Key.Equals("MTL", StringComparison.OrdinalIgnoreCase));
        if (mtl.Path is not null || item.Id.StartsWith('L') && LandsatKey.IsMatch(local[0].Asset.Key))
        {
            return OfLandsat(item, local!, mtl.Path is null ? null : LandsatMtl.Read(mtl.Path));
        }
        if (item.Id.StartsWith("S2", StringComparison.OrdinalIgnoreCase) || local.Any(p => p.Asset.Key.StartsWith("MTD_MSIL", StringComparison.OrdinalIgnoreCase)))
        {
            return OfSentinel2(item, local!);
        }
        throw new CatalogException($"item '{item.Id}' is neither a Landsat scene (with its MTL file) nor a Sentinel-2 one");
    }

    private static SceneBands OfLandsat(CatalogItem item, List<(CatalogAsset Asset, string Path)> local, LandsatMtl? mtl)
    {
        var bands = new List<SceneBand>();
        var others = new List<CatalogAsset>();
        var oli = (mtl?.Platform ?? item.Platform ?? "") is "landsat-8" or "landsat-9" || item.Id.StartsWith("LC", StringComparison.OrdinalIgnoreCase);
        double? sunElevation = double.TryParse(mtl?["SUN_ELEVATION"], NumberStyles.Float, CultureInfo.InvariantCulture, out var e) ? e : null;
        foreach (var (asset, path) in local)
        {
            var match = LandsatKey.Match(asset.Key) is { Success: true } byKey ? byKey : LandsatKey.Match(Path.GetFileName(path));
            if (!match.Success || path.EndsWith("_MTL.txt", StringComparison.OrdinalIgnoreCase))
            {
                others.Add(asset);
                continue;
            }
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var common = oli ? SensorBands.Find(SensorBands.LandsatOli, $"B{n}")?.CommonName : ThematicMapper.GetValueOrDefault(n);
            (double, double)? calibration = null;
            if (mtl is not null && sunElevation is { } elevation
                && double.TryParse(mtl[$"REFLECTANCE_MULT_BAND_{n}"], NumberStyles.Float, CultureInfo.InvariantCulture, out var mult)
                && double.TryParse(mtl[$"REFLECTANCE_ADD_BAND_{n}"], NumberStyles.Float, CultureInfo.InvariantCulture, out var add))
            {
                var sine = Math.Sin(elevation * Math.PI / 180);
                calibration = (mult / sine, add / sine);
            }
            bands.Add(new SceneBand(asset, path, common, calibration, 0));
        }
        return new SceneBands(Landsat, bands, others);
    }

    private static SceneBands OfSentinel2(CatalogItem item, List<(CatalogAsset Asset, string Path)> local)
    {
        var metadata = local.FirstOrDefault(p => Path.GetFileName(p.Path).StartsWith("MTD_MSIL1C", StringComparison.OrdinalIgnoreCase)
            || p.Asset.Key.StartsWith("MTD_MSIL1C", StringComparison.OrdinalIgnoreCase)).Path;
        var (quantification, offsets) = metadata is null ? (10000.0, new Dictionary<int, double>()) : Radiometry(metadata);
        var baseline = item.Properties["s2:processing_baseline"]?.ToString();
        var defaultOffset = baseline is not null && string.CompareOrdinal(baseline, "04.00") >= 0 ? -1000.0 : 0.0;
        var bands = new List<SceneBand>();
        var others = new List<CatalogAsset>();
        foreach (var (asset, path) in local)
        {
            var match = SentinelKey.Match(asset.Key) is { Success: true } byKey ? byKey : SentinelKey.Match(Path.GetFileName(path));
            if (!match.Success)
            {
                others.Add(asset);
                continue;
            }
            var name = match.Groups[1].Value.ToUpperInvariant();
            var index = Array.IndexOf(SentinelOrder, name);
            var offset = offsets.TryGetValue(index, out var o) ? o : metadata is null ? defaultOffset : 0;
            bands.Add(new SceneBand(asset, path, SensorBands.Find(SensorBands.Sentinel2, name)?.CommonName, (1 / quantification, offset / quantification), 0));
        }
        return new SceneBands(Sentinel2, bands, others);
    }

    /// <summary>QUANTIFICATION_VALUE and RADIO_ADD_OFFSET by band index, from an MTD_MSIL1C.xml.</summary>
    private static (double Quantification, Dictionary<int, double> Offsets) Radiometry(string path)
    {
        var document = XDocument.Load(path);
        var quantification = document.Descendants().FirstOrDefault(x => x.Name.LocalName == "QUANTIFICATION_VALUE") is { } q
            && double.TryParse(q.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 10000;
        var offsets = new Dictionary<int, double>();
        foreach (var element in document.Descendants().Where(x => x.Name.LocalName == "RADIO_ADD_OFFSET"))
        {
            if (int.TryParse(element.Attribute("band_id")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var band)
                && double.TryParse(element.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var offset))
            {
                offsets[band] = offset;
            }
        }
        return (quantification, offsets);
    }

    /// <summary>The band of a STAC common name ("nir" also takes Landsat's and Sentinel-2's narrow NIR, nir08), or null.</summary>
    public SceneBand? Named(string common) =>
        Bands.FirstOrDefault(b => b.CommonName == common) ?? (common == "nir" ? Bands.FirstOrDefault(b => b.CommonName == "nir08") : null);
}
