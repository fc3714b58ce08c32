using System.Globalization;
using System.Text.Json;
using Tessera.Processing.Indices;
using Tessera.Processing.Stacking;
using Tessera.Raster.Alignment;
using Tessera.Raster;
using Tessera.Tasks;

namespace Tessera.Host.Kinds;

/// <summary>The task types this server runs, with what each takes; validation, the types endpoint and the web
/// page's dialog all read them from here.</summary>
public static class TaskKinds
{
    private static readonly ParameterView Resampling = new("resampling", "choice", "how inputs on other grids are resampled",
        ["nearest", "bilinear", "cubic", "average"]);

    private static readonly ParameterView MaskKind = new("maskKind", "choice",
        "how the mask says cloud: raster (non-zero, the default), scl (Sentinel-2 classes), qa-pixel (Landsat C2), bqa (Landsat 8 pre-collection)",
        ["raster", "scl", "qa-pixel", "bqa"]);

    private static readonly ParameterView SclClasses = new("sclClasses", "text", "SCL classes that are cloud (default 3,8,9,10)");

    private static readonly ParameterView Bbox = new("bbox", "text", "crop to west,south,east,north (in bboxCrs)");

    private static readonly ParameterView BboxCrs = new("bboxCrs", "text", "CRS of bbox (default EPSG:4326, lon/lat)");

    private static readonly IReadOnlyList<ParameterView> IndexParameters =
    [
        new("scale", "number", "multiplies digital numbers into reflectance (e.g. 0.0001 for Sentinel-2); default: the file's own scale"),
        new("offset", "number", "added after scaling (e.g. -0.2 for Landsat Collection 2); default: the file's own offset"),
        new("nodata", "number", "input value that means no data; default: the file's own"),
        Resampling,
    ];

    public static IReadOnlyList<TaskKind> All { get; } =
    [
        new(TaskType.Fusion, "Fusion (pan-sharpening): a multispectral image at the resolution of a panchromatic band",
            ["pan", "ms"], 2, true,
            [
                new("method", "choice", "brovey (default), weighted-brovey, ihs, gram-schmidt, hpf", ["brovey", "weighted-brovey", "ihs", "gram-schmidt", "hpf"]),
                new("weights", "text", "one weight per multispectral band (weighted Brovey, IHS, Gram-Schmidt), e.g. 0.2,0.3,0.5"),
                Resampling,
            ],
            CheckFusion),
        new(TaskType.Mosaic, "Mosaic: images stitched over the union of their footprints (any CRS)", [], 2, true,
            [
                new("method", "choice", "where images overlap: feather (default: blended by distance to each image's edge), first, last, min, max, mean",
                    ["feather", "first", "last", "min", "max", "mean"]),
                new("crs", "text", "target CRS, e.g. EPSG:32618 (default: the first image's)"),
                new("resolution", "number", "target pixel size in the target CRS's units (default: the first image's)"),
                new("harmonize", "boolean", "match each image's radiometry to the images before it (per-band gain and offset fitted on the overlap)"),
                Resampling,
            ],
            CheckMosaic, WholeFiles: true),
        new(TaskType.BandMerged, "Band merge: bands of several rasters as one multi-band raster", [], 1, true,
            [Resampling, new("reference", "text", "the input (role) whose grid the output uses; default: the finest"), Bbox, BboxCrs],
            CheckMerge),
        new(TaskType.CloudRemove, "Cloud removal: the clouds of an image replaced from a cloud-free image of the same area",
            ["cloudy", "mask", "clear"], 3, true,
            [
                MaskKind,
                SclClasses,
                new("dilate", "number", "grow the mask by this many pixels (default 0)"),
                new("feather", "number", "blend over this many pixels around the mask (default 3)"),
            ],
            CheckCloudRemoval),
        new(TaskType.Composite, "Composite: per pixel, the median (or the clearest) of the clear observations of several dated images",
            [], 4, true,
            [
                new("method", "choice", "median (default) of the clear observations, or the clearest one", ["median", "clearest"]),
                MaskKind,
                SclClasses,
            ],
            CheckComposite),
        .. SpectralIndices.All.Select(i => new TaskKind((TaskType)i.TaskType, i.Title, i.Roles, i.Roles.Count, false, IndexParameters, CheckIndex)),
        new(TaskType.Crop, "Crop: an image cut to a box (any CRS) or to polygons", ["image"], 1, true,
            [Bbox, BboxCrs, new("cutline", "geojson", "polygons (GeoJSON, any CRS) to cut to, instead of a box")],
            CheckCrop),
        new(TaskType.ZonalStats, "Zonal statistics: count, valid, mean, min, max, std, median and sum of every band over polygons (a table)",
            [], 1, true,
            [
                new("zones", "geojson", "the polygons (GeoJSON; lon/lat unless it names its CRS; holes and multipolygons); a zone's name is its id property, else its index"),
                new("zonesCrs", "text", "the zones' CRS when the GeoJSON does not say it, e.g. EPSG:32633"),
                new("allTouched", "boolean", "count every pixel a zone touches, not only those whose centre it covers"),
                new("nodata", "number", "input value that means no data; default: each band's own"),
                new("format", "choice", "the table's format: csv (default), geojson, gpkg", ["csv", "geojson", "gpkg"]),
            ],
            CheckZonal, WholeFiles: true),
    ];

    public static TaskKind? Find(TaskType type) => All.FirstOrDefault(k => k.Type == type);

    private static void CheckIndex(JsonElement p, IReadOnlyList<string> roles)
    {
        foreach (var name in new[] { "scale", "offset", "nodata" })
        {
            if (p.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
            {
                throw Bad($"params.{name}: a number");
            }
        }
        CheckResampling(p);
    }

    /// <summary>The cloud mask of cloud-removal parameters.</summary>
    public static Processing.Clouds.CloudMask CloudMaskOf(JsonElement p)
    {
        var kind = (Text(p, "maskKind") ?? "raster") switch
        {
            "raster" => Processing.Clouds.CloudMaskKind.Raster,
            "scl" => Processing.Clouds.CloudMaskKind.Scl,
            "qa-pixel" => Processing.Clouds.CloudMaskKind.QaPixel,
            "bqa" => Processing.Clouds.CloudMaskKind.Bqa,
            var other => throw Bad($"params.maskKind: '{other}' is not raster, scl, qa-pixel or bqa"),
        };
        HashSet<int>? classes = null;
        if (Text(p, "sclClasses") is { } text)
        {
            classes = [];
            foreach (var part in text.Split(','))
            {
                classes.Add(int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var c)
                    ? c
                    : throw Bad($"params.sclClasses: '{part}' is not a class number"));
            }
        }
        return new Processing.Clouds.CloudMask(kind, classes);
    }

    /// <summary>A non-negative whole number parameter, or its default.</summary>
    public static int Count(JsonElement p, string name, int fallback) =>
        !p.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? fallback
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= 0 ? n
        : throw Bad($"params.{name}: a whole number, 0 or more");

    private static void CheckCloudRemoval(JsonElement p, IReadOnlyList<string> roles)
    {
        CloudMaskOf(p);
        Count(p, "dilate", 0);
        Count(p, "feather", 3);
    }

    /// <summary>The resampling parameter, or <paramref name="fallback"/> when none is given.</summary>
    public static Resampling ResamplingOf(JsonElement p, Resampling fallback) =>
        Text(p, "resampling") is { } r ? ResamplingNames.Parse(r) : fallback;

    /// <summary>The weights parameter ("0.2,0.3,0.5"), or null.</summary>
    public static IReadOnlyList<double>? WeightsOf(JsonElement p)
    {
        if (Text(p, "weights") is not { } text)
        {
            return null;
        }
        var weights = new List<double>();
        foreach (var part in text.Split(','))
        {
            weights.Add(double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w >= 0
                ? w
                : throw Bad($"params.weights: '{part}' is not a non-negative number"));
        }
        return weights;
    }

    private static void CheckFusion(JsonElement p, IReadOnlyList<string> roles)
    {
        CheckResampling(p);
        if (Text(p, "method") is { } method)
        {
            try
            {
                Processing.Fusion.PansharpenMethods.Parse(method);
            }
            catch (RasterArgumentException e)
            {
                throw Bad($"params.method: {e.Message}");
            }
        }
        WeightsOf(p);
    }

    private static void CheckMosaic(JsonElement p, IReadOnlyList<string> roles)
    {
        CheckResampling(p);
        if (Text(p, "method") is { } method)
        {
            try
            {
                Processing.Mosaic.MosaicMethods.Parse(method);
            }
            catch (RasterArgumentException e)
            {
                throw Bad($"params.method: {e.Message}");
            }
        }
        CheckCrs(p, "crs");
        Flag(p, "harmonize");
        if (p.TryGetProperty("resolution", out var r) && r.ValueKind != JsonValueKind.Null
            && (r.ValueKind != JsonValueKind.Number || !(r.GetDouble() > 0)))
        {
            throw Bad("params.resolution: a positive number");
        }
    }

    private static void CheckMerge(JsonElement p, IReadOnlyList<string> roles)
    {
        CheckResampling(p);
        if (Text(p, "reference") is { } reference && !roles.Contains(reference))
        {
            throw Bad($"params.reference: '{reference}' is not one of the inputs ({string.Join(", ", roles)})");
        }
        BoxOf(p);
    }

    /// <summary>Composite inputs come in pairs, in order: an image, then its mask.</summary>
    private static void CheckComposite(JsonElement p, IReadOnlyList<string> roles)
    {
        if (roles.Count % 2 != 0)
        {
            throw Bad($"inputs: COMPOSITE takes pairs, in order: an image, then its cloud mask ({roles.Count} inputs given)");
        }
        if (Text(p, "method") is { } method && method is not ("median" or "clearest"))
        {
            throw Bad($"params.method: '{method}' is not median or clearest");
        }
        CloudMaskOf(p);
    }

    private static void CheckZonal(JsonElement p, IReadOnlyList<string> roles)
    {
        if (!p.TryGetProperty("zones", out var zones) || zones.ValueKind == JsonValueKind.Null)
        {
            throw Bad("params.zones: give the polygons as GeoJSON");
        }
        GeoJsonText(zones, "zones");
        CheckCrs(p, "zonesCrs");
        Flag(p, "allTouched");
        if (p.TryGetProperty("nodata", out var n) && n.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
        {
            throw Bad("params.nodata: a number");
        }
        TableFormatOf(p);
    }

    /// <summary>The extension of a zonal-statistics table: .csv (default), .geojson or .gpkg.</summary>
    public static string TableFormatOf(JsonElement p) => (Text(p, "format") ?? "csv") switch
    {
        "csv" => ".csv",
        "geojson" => ".geojson",
        "gpkg" => ".gpkg",
        var other => throw Bad($"params.format: '{other}' is not csv, geojson or gpkg"),
    };

    private static void CheckCrop(JsonElement p, IReadOnlyList<string> roles)
    {
        var box = BoxOf(p);
        var cutline = p.TryGetProperty("cutline", out var c) && c.ValueKind != JsonValueKind.Null ? c : (JsonElement?)null;
        if ((box is null) == (cutline is null))
        {
            throw Bad("params.bbox: give bbox or cutline (one of them)");
        }
        if (cutline is { } geojson)
        {
            CutlineText(geojson);
        }
    }

    /// <summary>The crop box of the parameters (bbox + bboxCrs), or null.</summary>
    public static CropBox? BoxOf(JsonElement p)
    {
        if (!p.TryGetProperty("bbox", out var b) || b.ValueKind == JsonValueKind.Null || (b.ValueKind == JsonValueKind.String && b.GetString()!.Trim().Length == 0))
        {
            return null;
        }
        var text = b.ValueKind switch
        {
            JsonValueKind.String => b.GetString()!,
            JsonValueKind.Array => string.Join(',', b.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number
                ? v.GetDouble().ToString("R", CultureInfo.InvariantCulture) : "?")),
            _ => throw Bad("params.bbox: \"west,south,east,north\" or [west, south, east, north]"),
        };
        var crs = Text(p, "bboxCrs");
        try
        {
            if (crs is not null)
            {
                using (SpatialReference.FromUserInput(crs))
                {
                }
            }
            return CropBox.Parse(text, crs);
        }
        catch (RasterException e)
        {
            throw Bad((crs is not null && e is not RasterArgumentException ? "params.bboxCrs: " : "params.bbox: ") + e.Message);
        }
    }

    /// <summary>The cutline parameter as GeoJSON text (an object, or a string holding one).</summary>
    public static string CutlineText(JsonElement cutline) => GeoJsonText(cutline, "cutline");

    /// <summary>A GeoJSON parameter (an object, or a string holding one) as text; a clear error naming params.<paramref name="name"/>.</summary>
    public static string GeoJsonText(JsonElement value, string name)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("type", out _))
            {
                throw Bad($"params.{name}: a GeoJSON object (FeatureCollection, Feature or geometry)");
            }
        }
        catch (JsonException)
        {
            throw Bad($"params.{name}: not valid JSON; give a GeoJSON object");
        }
        return text;
    }

    private static void CheckResampling(JsonElement p)
    {
        if (Text(p, "resampling") is { } r)
        {
            try
            {
                ResamplingNames.Parse(r);
            }
            catch (RasterArgumentException e)
            {
                throw Bad($"params.resampling: {e.Message}");
            }
        }
    }

    public static string? Text(JsonElement p, string name) =>
        p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().Length > 0 ? v.GetString()!.Trim()
        : p.TryGetProperty(name, out v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.String) ? throw Bad($"params.{name}: a text")
        : null;

    /// <summary>A CRS parameter, when given, is one GDAL knows (EPSG:n, WKT, PROJ).</summary>
    private static void CheckCrs(JsonElement p, string name)
    {
        if (Text(p, name) is not { } crs)
        {
            return;
        }
        try
        {
            using (SpatialReference.FromUserInput(crs))
            {
            }
        }
        catch (RasterException e)
        {
            throw Bad($"params.{name}: {e.Message}");
        }
    }

    /// <summary>A true/false parameter (JSON boolean; absent or null = false).</summary>
    public static bool Flag(JsonElement p, string name) =>
        p.TryGetProperty(name, out var v) && v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw Bad($"params.{name}: true or false"),
        };

    private static TaskRequestException Bad(string message) => new(message);
}
