using System.IO.Compression;

namespace Tessera.Raster.Features;

/// <summary>
/// A shapefile delivered as a zip (how shapefiles travel): its members are extracted by this program, never through
/// GDAL's <c>/vsizip/</c>, checked (plain names, the shapefile's own parts only, one <c>.shp</c>, at most
/// <see cref="MaxBytes"/> unpacked), and the layer converted by GDAL's shapefile driver, allowed for that conversion
/// alone, into a GeoPackage.
/// </summary>
public static class ZippedShapefile
{
    /// <summary>Unpacked bytes accepted in all (a zip that unpacks to more is refused, not extracted).</summary>
    public const long MaxBytes = 1L << 30;

    private static readonly string[] Parts = [".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml"];

    /// <summary>Whether a file's name says it is a zipped shapefile.</summary>
    public static bool IsOne(string name) => name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>Converts the zip's shapefile into a GeoPackage at <paramref name="geoPackage"/>; <paramref name="shown"/> names the zip in errors.</summary>
    public static void ToGeoPackage(string zip, string geoPackage, string shown)
    {
        var folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(geoPackage))!, $".shapefile-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string shp;
            try
            {
                shp = Extract(zip, folder, shown);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or OverflowException)
            {
                // A damaged or encrypted member, a compression .NET does not read, sizes that do not add up.
                throw new RasterArgumentException($"{shown}: its shapefile cannot be unpacked ({e.Message.Replace(folder, "", StringComparison.Ordinal)})");
            }
            var before = RasterFilePolicy.Current;
            // The shapefile driver reads the .shp's own sidecar files, which this method just wrote: allowed here alone.
            RasterFilePolicy.Apply(before is null ? null : before with { VectorDrivers = [.. before.VectorDrivers, "ESRI Shapefile"] });
            try
            {
                VectorFile.Convert(shp, geoPackage, "GPKG", ["-nlt", "PROMOTE_TO_MULTI"]);
            }
            catch (RasterException e)
            {
                throw new RasterArgumentException($"{shown}: {e.Message.Replace(shp, Path.GetFileName(shp), StringComparison.Ordinal)}");
            }
            finally
            {
                RasterFilePolicy.Apply(before);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Extract(string zip, string folder, string shown)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zip);
        }
        catch (InvalidDataException)
        {
            throw new RasterArgumentException($"{shown}: not a zip file");
        }
        using (archive)
        {
            var members = archive.Entries.Where(e => e.Length > 0 || !e.FullName.EndsWith('/')).ToList();
            var shapefiles = members.Where(e => e.Name.EndsWith(".shp", StringComparison.OrdinalIgnoreCase)).ToList();
            if (shapefiles.Count != 1)
            {
                throw new RasterArgumentException($"{shown}: a zipped shapefile holds one .shp file (this one holds {shapefiles.Count})");
            }
            var stem = shapefiles[0].FullName[..^4];
            long total = 0;
            foreach (var member in members)
            {
                total += member.Length;
                if (member.Length < 0 || total > MaxBytes)
                {
                    throw new RasterArgumentException($"{shown}: unpacks to more than {MaxBytes >> 20} MiB");
                }
            }
            string? shp = null;
            foreach (var entry in members)
            {
                var part = Parts.FirstOrDefault(p => entry.FullName.Equals(stem + p, StringComparison.OrdinalIgnoreCase));
                if (part is null)
                {
                    continue; // a readme, another folder's files: not the shapefile's, not extracted
                }
                if (entry.FullName.Contains("..", StringComparison.Ordinal) || entry.FullName.StartsWith('/') || entry.FullName.Contains('\\'))
                {
                    throw new RasterArgumentException($"{shown}: {entry.FullName} is not a plain name inside the zip");
                }
                var target = Path.Combine(folder, "zones" + part);
                if (File.Exists(target))
                {
                    throw new RasterArgumentException($"{shown}: holds the shapefile's {part} twice");
                }
                entry.ExtractToFile(target);
                if (part == ".shp")
                {
                    shp = target;
                }
            }
            if (!File.Exists(Path.Combine(folder, "zones.dbf")) || !File.Exists(Path.Combine(folder, "zones.shx")))
            {
                throw new RasterArgumentException($"{shown}: the shapefile's .shx or .dbf is missing from the zip");
            }
            return shp!;
        }
    }
}
