using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Catalog.Files;
using Tessera.Catalog.Scenes;

namespace Tessera.Catalog.Stac;

/// <summary>
/// STAC 1.0.0 pieces: the catalog item of a result file of the file store (projection and raster fields), links,
/// times and data type names.
/// </summary>
public static class StacItems
{
    public const string Version = "1.0.0";
    public const string ProjectionExtension = "https://stac-extensions.github.io/projection/v1.1.0/schema.json";
    public const string RasterExtension = "https://stac-extensions.github.io/raster/v1.1.0/schema.json";
    public const string CogMediaType = "image/tiff; application=geotiff; profile=cloud-optimized";
    public const string GeoJsonMediaType = "application/geo+json";

    /// <summary>
    /// The catalog item of a stored, georeferenced result file (its footprint in WGS 84 is the geometry): projection and
    /// raster fields from the file, the COG and its preview as assets at this server's paths.
    /// </summary>
    public static CatalogItem ResultItem(string collection, string id, string title, DateTimeOffset dateTime, DateTimeOffset created,
        StoredFile file, string? owner, long taskId, IReadOnlyDictionary<string, JsonNode?>? extraProperties = null)
    {
        var raster = file.Raster ?? throw new CatalogException($"file {file.Id} is a table, not a raster: it cannot be a STAC item");
        var b = file.LonLatBounds ?? throw new CatalogException($"file {file.Id} has no georeference: it cannot be a STAC item");
        var properties = new JsonObject
        {
            ["title"] = title,
            ["created"] = Time(created),
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
        foreach (var (key, value) in extraProperties ?? new Dictionary<string, JsonNode?>())
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
        CatalogAsset[] assets =
        [
            new("data", $"/files/{file.Id}/download", CogMediaType, file.Name, ["data"], Size: file.Size,
                Extra: new JsonObject { ["raster:bands"] = bands }),
            new("preview", $"/files/{file.Id}/preview.png", "image/png", "Preview", ["overview"]),
        ];
        return new CatalogItem(collection, id, dateTime, dateTime, dateTime, Polygon(b.MinX, b.MinY, b.MaxX, b.MaxY), b, null, null, null,
            properties, assets, Owner: owner, TaskId: taskId, FileId: file.Id);
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

    public static JsonObject Polygon(double west, double south, double east, double north) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(
            new JsonArray(west, south), new JsonArray(east, south), new JsonArray(east, north), new JsonArray(west, north), new JsonArray(west, south))),
    };
}
