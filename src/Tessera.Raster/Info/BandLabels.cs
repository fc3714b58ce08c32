using System.Globalization;


namespace Tessera.Raster.Info;

/// <summary>
/// What to call a raster's bands in a table: each band's description (a stack's dates, a product's band names), else
/// the date its metadata gives (<c>datetime</c>, <c>DATE</c>, <c>ACQUISITION_DATE</c>; the file's own for a single band),
/// else "band N".
/// </summary>
public static class BandLabels
{
    private static readonly string[] DateKeys = ["datetime", "DATETIME", "DATE", "date", "ACQUISITION_DATE", "ACQUISITIONDATETIME"];

    public static IReadOnlyList<string> Of(RasterDataset raster)
    {
        var labels = new string[raster.BandCount];
        for (var b = 1; b <= raster.BandCount; b++)
        {
            var description = raster.Band(b).Description;
            labels[b - 1] = description.Trim().Length > 0 ? description.Trim()
                : DateOf(key => raster.GetBandMetadataItem(b, key))
                  ?? (raster.BandCount == 1 ? DateOf(key => raster.GetMetadataItem(key)) ?? raster.GetMetadataItem("TIFFTAG_DATETIME") : null)
                  ?? $"band {b.ToString(CultureInfo.InvariantCulture)}";
        }
        return labels;
    }

    private static string? DateOf(Func<string, string?> item) =>
        DateKeys.Select(item).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
