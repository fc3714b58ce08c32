namespace Tessera.Tasks;

/// <summary>
/// Processing types, numbered exactly as the seed's <c>TaskType</c> enum. Numbers are stored and sent over
/// the API; a new type gets a new number, never a reused one (3 and 5 are unassigned in the seed; types beyond
/// the seed are numbered from 12).
/// </summary>
public enum TaskType
{
    /// <summary>FUSION: pan-sharpening, panchromatic + multispectral.</summary>
    Fusion = 1,

    /// <summary>MOSAIC: images stitched into one.</summary>
    Mosaic = 2,

    /// <summary>Cloud_Remove: cloudy image + cloud mask + cloud-free image.</summary>
    CloudRemove = 4,

    /// <summary>BAND_MERGED: single bands merged into one multi-band image.</summary>
    BandMerged = 6,

    /// <summary>NDVI: NIR + red.</summary>
    Ndvi = 7,

    /// <summary>EVI: NIR + red + blue.</summary>
    Evi = 8,

    /// <summary>NDWI: green + NIR.</summary>
    Ndwi = 9,

    /// <summary>NDBI: SWIR + NIR.</summary>
    Ndbi = 10,

    /// <summary>BAI: red + NIR.</summary>
    Bai = 11,

    /// <summary>CROP: one image cut to a box (any CRS) or to polygons. Beyond the seed.</summary>
    Crop = 12,

    /// <summary>ZONAL_STATS: statistics of raster bands over polygons, a table (CSV, GeoJSON or GeoPackage). Beyond the seed.</summary>
    ZonalStats = 13,

    /// <summary>COMPOSITE: per-pixel median (or clearest) of the clear observations of several images with their cloud
    /// masks. Beyond the seed (the multi-temporal side of cloud removal).</summary>
    Composite = 14,
}

/// <summary>The seed's names of <see cref="TaskType"/> values, as the web page and logs show them.</summary>
public static class TaskTypeNames
{
    public static string SeedName(this TaskType type) => type switch
    {
        TaskType.Fusion => "FUSION",
        TaskType.Mosaic => "MOSAIC",
        TaskType.CloudRemove => "Cloud_Remove",
        TaskType.BandMerged => "BAND_MERGED",
        TaskType.Ndvi => "NDVI",
        TaskType.Evi => "EVI",
        TaskType.Ndwi => "NDWI",
        TaskType.Ndbi => "NDBI",
        TaskType.Bai => "BAI",
        TaskType.Crop => "CROP",
        TaskType.ZonalStats => "ZONAL_STATS",
        TaskType.Composite => "COMPOSITE",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a task type"),
    };

    /// <summary>Whether the type's result is a table (no raster, no preview, no tiles).</summary>
    public static bool ProducesTable(this TaskType type) => type == TaskType.ZonalStats;

    public static bool IsDefined(int value) => Enum.IsDefined(typeof(TaskType), value);
}
