using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;

namespace Tessera.Catalog.Stac;

/// <summary>
/// STAC 1.0.0 documents (Items, Collections, links) for rasters of the file store, with the projection and
/// raster extensions. URLs are absolute, made from the base the caller reached the server at.
/// </summary>
public static class StacItems
{
    public const string Version = "1.0.0";
    public const string ProjectionExtension = "https://stac-extensions.github.io/projection/v1.1.0/schema.json";
    public const string RasterExtension = "https://stac-extensions.github.io/raster/v1.1.0/schema.json";
    public const string CogMediaType = "image/tiff; application=geotiff; profile=cloud-optimized";
    public const string GeoJsonMediaType = "application/geo+json";

    /// <summary>What an Item says beyond its file: its id, collection, title, time and asset URLs.</summary>
    public sealed record ItemSource(string Id, string Collection, string Title, DateTimeOffset DateTime, DateTimeOffset Created,
        StoredFile File, string DataUrl, string? PreviewUrl, IReadOnlyDictionary<string, JsonNode?>? ExtraProperties = null);

    /// <summary>A STAC Item of a georeferenced file (its footprint in WGS 84 is the geometry).</summary>
    public static JsonObject Item(ItemSource source, string baseUrl)
    {
        var file = source.File;
        var raster = file.Raster ?? throw new CatalogException($"file {file.Id} is a table, not a raster: it cannot be a STAC item");
        var b = file.LonLatBounds ?? throw new CatalogException($"file {file.Id} has no georeference: it cannot be a STAC item");
        var properties = new JsonObject
        {
            ["title"] = source.Title,
            ["datetime"] = Time(source.DateTime),
            ["created"] = Time(source.Created),
            ["proj:epsg"] = raster.Epsg is { } epsg ? JsonValue.Create(epsg) : null,
            ["proj:shape"] = new JsonArray(raster.Height, raster.Width),
        };
        if (raster.Epsg is null && raster.CrsWkt is { Length: > 0 } wkt)
        {
            properties["proj:wkt2"] = wkt;
        }
        if (raster.GeoTransform is { Length: 6 } gt)
        {
            // GDAL's (x0, dx, rx, y0, ry, dy) as the affine (a, b, c, d, e, f) STAC uses.
            properties["proj:transform"] = new JsonArray(gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]);
        }
        if (raster.Bounds is { } native)
        {
            properties["proj:bbox"] = new JsonArray(native.MinX, native.MinY, native.MaxX, native.MaxY);
        }
        foreach (var (key, value) in source.ExtraProperties ?? new Dictionary<string, JsonNode?>())
        {
            properties[key] = value?.DeepClone();
        }
        var bands = new JsonArray();
        foreach (var band in raster.Bands)
        {
            var entry = new JsonObject { ["data_type"] = DataType(band.DataType) };
            if (band.NoData is { } nd)
            {
                entry["nodata"] = double.IsNaN(nd) ? "nan" : double.IsPositiveInfinity(nd) ? "inf" : double.IsNegativeInfinity(nd) ? "-inf" : nd;
            }
            if (raster.ResolutionX is { } resolution)
            {
                entry["spatial_resolution"] = resolution;
            }
            if (band.Scale != 1 || band.Offset != 0)
            {
                entry["scale"] = band.Scale;
                entry["offset"] = band.Offset;
            }
            if (!string.IsNullOrWhiteSpace(band.Description))
            {
                entry["name"] = band.Description;
            }
            bands.Add(entry);
        }
        var assets = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["href"] = source.DataUrl,
                ["type"] = CogMediaType,
                ["title"] = file.Name,
                ["roles"] = new JsonArray("data"),
                ["raster:bands"] = bands,
            },
        };
        if (source.PreviewUrl is not null)
        {
            assets["preview"] = new JsonObject
            {
                ["href"] = source.PreviewUrl,
                ["type"] = "image/png",
                ["title"] = "Preview",
                ["roles"] = new JsonArray("overview"),
            };
        }
        var itemUrl = $"{baseUrl}/stac/collections/{source.Collection}/items/{source.Id}";
        return new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = Version,
            ["stac_extensions"] = new JsonArray(ProjectionExtension, RasterExtension),
            ["id"] = source.Id,
            ["collection"] = source.Collection,
            ["geometry"] = Polygon(b.MinX, b.MinY, b.MaxX, b.MaxY),
            ["bbox"] = new JsonArray(b.MinX, b.MinY, b.MaxX, b.MaxY),
            ["properties"] = properties,
            ["assets"] = assets,
            ["links"] = new JsonArray(
                Link("self", itemUrl, GeoJsonMediaType),
                Link("parent", $"{baseUrl}/stac/collections/{source.Collection}", "application/json"),
                Link("collection", $"{baseUrl}/stac/collections/{source.Collection}", "application/json"),
                Link("root", $"{baseUrl}/stac", "application/json")),
        };
    }

    /// <summary>A STAC Collection whose extent covers <paramref name="items"/> (the whole world and open time when there are none).</summary>
    public static JsonObject Collection(string id, string title, string description, IReadOnlyList<JsonObject> items, string baseUrl)
    {
        JsonArray bbox;
        JsonArray interval;
        if (items.Count == 0)
        {
            bbox = new JsonArray(-180.0, -90.0, 180.0, 90.0);
            interval = new JsonArray(null, null);
        }
        else
        {
            var boxes = items.Select(i => i["bbox"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToList();
            bbox = new JsonArray(boxes.Min(x => x[0]), boxes.Min(x => x[1]), boxes.Max(x => x[2]), boxes.Max(x => x[3]));
            var times = items.Select(i => i["properties"]!["datetime"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            interval = new JsonArray(times[0], times[^1]);
        }
        var url = $"{baseUrl}/stac/collections/{id}";
        return new JsonObject
        {
            ["type"] = "Collection",
            ["stac_version"] = Version,
            ["stac_extensions"] = new JsonArray(),
            ["id"] = id,
            ["title"] = title,
            ["description"] = description,
            ["license"] = "proprietary",
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(bbox) },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(interval) },
            },
            ["links"] = new JsonArray(
                Link("self", url, "application/json"),
                Link("root", $"{baseUrl}/stac", "application/json"),
                Link("parent", $"{baseUrl}/stac", "application/json"),
                Link("items", $"{url}/items", GeoJsonMediaType)),
        };
    }

    public static JsonObject Link(string rel, string href, string? type = null, string? title = null)
    {
        var link = new JsonObject { ["rel"] = rel, ["href"] = href };
        if (type is not null)
        {
            link["type"] = type;
        }
        if (title is not null)
        {
            link["title"] = title;
        }
        return link;
    }

    /// <summary>STAC's <c>raster:bands</c> data types from GDAL's names.</summary>
    public static string DataType(string gdal) => gdal switch
    {
        "Byte" => "uint8",
        "Int8" => "int8",
        "UInt16" => "uint16",
        "Int16" => "int16",
        "UInt32" => "uint32",
        "Int32" => "int32",
        "UInt64" => "uint64",
        "Int64" => "int64",
        "Float32" => "float32",
        "Float64" => "float64",
        "CInt16" => "cint16",
        "CInt32" => "cint32",
        "CFloat32" => "cfloat32",
        "CFloat64" => "cfloat64",
        _ => "other",
    };

    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Polygon(double west, double south, double east, double north) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(
            new JsonArray(west, south), new JsonArray(east, south), new JsonArray(east, north), new JsonArray(west, north), new JsonArray(west, south))),
    };
}
