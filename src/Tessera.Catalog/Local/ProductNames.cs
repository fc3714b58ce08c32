using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessera.Catalog.Local;

/// <summary>A band file recognised by its name: the product it belongs to and which of its files it is.</summary>
/// <param name="Product">The product's id (all its files share it).</param>
/// <param name="Key">The file's asset key within the product ("B04", "SR_B4", "QA_PIXEL", "SCL").</param>
public sealed record ProductFile(string Product, string Key, string Sensor, string Platform, DateTimeOffset Date, string GridCode, string Path);

/// <summary>
/// Sentinel-2 and Landsat file names: Earth Search's Sentinel-2 COGs (<c>S2A_29RKH_20200219_L2A_B04.tif</c>), the
/// band files of a SAFE granule (<c>T29RKH_20200219T112111_B04_10m.jp2</c>), Landsat Collection 1 and 2
/// (<c>LC08_L2SP_001062_20201031_20201106_02_T2_SR_B4.TIF</c>) and pre-collection Landsat
/// (<c>LC80200392015216LGN00_B4.TIF</c>). Dates from names are days; metadata files give the time of day.
/// </summary>
public static partial class ProductNames
{
    [GeneratedRegex(@"^(?<sat>S2[ABCD])_(?<tile>\d{2}[A-Z]{3})_(?<date>\d{8})_(?<seq>\d+_)?(?<level>L1C|L2A)_(?<key>[A-Z0-9]+)\.tiff?$", RegexOptions.IgnoreCase)]
    private static partial Regex EarthSearch();

    [GeneratedRegex(@"^T(?<tile>\d{2}[A-Z]{3})_(?<date>\d{8})T\d{6}_(?<key>B\d[\dA]|TCI|SCL|AOT|WVP)(_\d+m)?\.(jp2|tiff?)$", RegexOptions.IgnoreCase)]
    private static partial Regex SafeGranule();

    [GeneratedRegex(@"^(?<id>L(?<sensor>[COTEM])(?<sat>0\d)_(?<level>L\w{3})_(?<path>\d{3})(?<row>\d{3})_(?<date>\d{8})_\d{8}_\d{2}_(T1|T2|RT))_(?<key>[A-Z0-9_]+)\.tiff?$", RegexOptions.IgnoreCase)]
    private static partial Regex LandsatCollection();

    [GeneratedRegex(@"^(?<id>L(?<sensor>[COTEM])(?<sat>\d)(?<path>\d{3})(?<row>\d{3})(?<year>\d{4})(?<doy>\d{3})[A-Z]{3}\d{2})_(?<key>[A-Z0-9_]+)\.tiff?$", RegexOptions.IgnoreCase)]
    private static partial Regex LandsatPreCollection();

    /// <summary>What a band file is, or null when its name is none of these.</summary>
    /// <param name="safeProduct">For a SAFE granule's file: the product (the .SAFE folder's name without its extension).</param>
    public static ProductFile? Recognise(string path, string? safeProduct = null)
    {
        var name = System.IO.Path.GetFileName(path);
        if (EarthSearch().Match(name) is { Success: true } s)
        {
            var sat = s.Groups["sat"].Value.ToUpperInvariant();
            return new ProductFile($"{sat}_{s.Groups["tile"].Value}_{s.Groups["date"].Value}_{s.Groups["level"].Value.ToUpperInvariant()}",
                s.Groups["key"].Value.ToUpperInvariant(), "sentinel-2", "sentinel-" + sat[1..].ToLowerInvariant(), Day(s.Groups["date"].Value),
                "MGRS-" + s.Groups["tile"].Value.ToUpperInvariant(), path);
        }
        if (safeProduct is not null && SafeGranule().Match(name) is { Success: true } g)
        {
            var sat = safeProduct[..3].ToUpperInvariant();
            return new ProductFile(safeProduct, g.Groups["key"].Value.ToUpperInvariant(), "sentinel-2", "sentinel-" + sat[1..].ToLowerInvariant(),
                Day(g.Groups["date"].Value), "MGRS-" + g.Groups["tile"].Value.ToUpperInvariant(), path);
        }
        if (LandsatCollection().Match(name) is { Success: true } c)
        {
            return new ProductFile(c.Groups["id"].Value.ToUpperInvariant(), c.Groups["key"].Value.ToUpperInvariant(), "landsat",
                "landsat-" + int.Parse(c.Groups["sat"].Value, CultureInfo.InvariantCulture), Day(c.Groups["date"].Value),
                $"WRS2-{c.Groups["path"].Value}{c.Groups["row"].Value}", path);
        }
        if (LandsatPreCollection().Match(name) is { Success: true } p)
        {
            var day = new DateTimeOffset(int.Parse(p.Groups["year"].Value, CultureInfo.InvariantCulture), 1, 1, 0, 0, 0, TimeSpan.Zero)
                .AddDays(int.Parse(p.Groups["doy"].Value, CultureInfo.InvariantCulture) - 1);
            return new ProductFile(p.Groups["id"].Value.ToUpperInvariant(), p.Groups["key"].Value.ToUpperInvariant(), "landsat",
                "landsat-" + p.Groups["sat"].Value, day, $"WRS2-{p.Groups["path"].Value}{p.Groups["row"].Value}", path);
        }
        return null;
    }

    private static DateTimeOffset Day(string yyyymmdd) =>
        DateTimeOffset.ParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
