using Tessera.Raster;
using Tessera.Raster.Info;

namespace Tessera.Catalog.Files;

/// <summary>A file registered in the file store (a raster, or a table a task produced): who owns it, what it is,
/// and where it lies.</summary>
/// <param name="Sha256">Hex SHA-256 of the file's bytes.</param>
/// <param name="Raster">What <c>tessera info</c> reports of it (the band-info query's answer); its Path is the
/// file's path inside the store. Null for a table (zonal statistics as CSV, GeoJSON or GeoPackage).</param>
/// <param name="LonLatBounds">Footprint in WGS 84 (null when the raster has no CRS).</param>
/// <param name="RelativePath">Where the file is, under the store's root.</param>
/// <param name="TaskId">The task whose result the file is; null for an upload (or a result stored before this was recorded).</param>
/// <param name="Vector">What a vector file (zones) holds; null for rasters and tables.</param>
public sealed record StoredFile(
    long Id,
    string Name,
    string Owner,
    long Size,
    string Sha256,
    DateTimeOffset CreatedAt,
    RasterDescription? Raster,
    Bounds? LonLatBounds,
    string RelativePath,
    long? TaskId = null,
    VectorDescription? Vector = null)
{
    /// <summary>"raster"; "vector" for zones (GeoJSON, GeoPackage, zipped shapefile); "table" for a task's table of statistics.</summary>
    public string Kind => Raster is not null ? "raster" : Vector is not null ? "vector" : "table";

    /// <summary>The HTTP media type of the file's bytes, from its kind and extension.</summary>
    public string MediaType => Raster is not null ? "image/tiff" : Path.GetExtension(Name).ToLowerInvariant() switch
    {
        ".csv" => "text/csv",
        ".geojson" or ".json" => "application/geo+json",
        ".gpkg" => "application/geopackage+sqlite3",
        ".zip" => "application/zip",
        _ => "application/octet-stream",
    };
}

/// <summary>What a stored vector file holds: its format, features, their geometry type, CRS and attribute names.</summary>
/// <param name="Format">"GeoJSON", "GPKG" or "ESRI Shapefile" (zipped).</param>
/// <param name="Crs">The layer's CRS as WKT; empty when it names none (a GeoJSON file is then lon/lat).</param>
public sealed record VectorDescription(string Format, long Features, string GeometryType, string Crs, IReadOnlyList<string> Fields);

/// <summary>A page of a listing and how many there are in all.</summary>
public sealed record FilePage(IReadOnlyList<StoredFile> Items, long Total, int Offset, int Limit);
