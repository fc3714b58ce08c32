using System.Globalization;

namespace Tessera.Catalog.Local;

/// <summary>
/// What the scanner reads of a Landsat MTL file (<c>KEY = value</c> lines in groups): the acquisition time
/// (DATE_ACQUIRED and SCENE_CENTER_TIME), CLOUD_COVER, SPACECRAFT_ID, the product's id (LANDSAT_PRODUCT_ID, else
/// LANDSAT_SCENE_ID) and every other value of the first occurrence of its key.
/// </summary>
public sealed class LandsatMtl
{
    private readonly Dictionary<string, string> _values;

    private LandsatMtl(Dictionary<string, string> values) => _values = values;

    public static LandsatMtl Read(string path) => Parse(File.ReadLines(path));

    /// <summary>The same, of the file's lines (an MTL read out of a product's archive).</summary>
    public static LandsatMtl Parse(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim().Trim('"');
            if (key is not ("GROUP" or "END_GROUP"))
            {
                values.TryAdd(key, value);
            }
        }
        return new LandsatMtl(values);
    }

    public string? this[string key] => _values.GetValueOrDefault(key);

    public string? ProductId => this["LANDSAT_PRODUCT_ID"] ?? this["LANDSAT_SCENE_ID"];

    public DateTimeOffset? Acquired =>
        this["DATE_ACQUIRED"] is { } day && DateTimeOffset.TryParse($"{day}T{this["SCENE_CENTER_TIME"]?.TrimEnd('Z') ?? "00:00:00"}Z",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public double? CloudCover =>
        double.TryParse(this["CLOUD_COVER"], NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c >= 0 ? c : null;

    /// <summary>"landsat-8" from "LANDSAT_8".</summary>
    public string? Platform => this["SPACECRAFT_ID"]?.ToLowerInvariant().Replace('_', '-');
}
