using System.Runtime.InteropServices;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Features;

/// <summary>
/// A vector file (GeoJSON, GeoPackage, shapefile...) opened with GDAL's vector drivers: its first layer's
/// extent, CRS and feature count. Errors name the file and what is wrong with it.
/// </summary>
public sealed unsafe class VectorFile : IDisposable
{
    private const uint OpenVector = 0x04;
    private const uint OpenVerboseError = 0x40;
    private readonly DatasetHandle _handle;

    private VectorFile(DatasetHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    internal IntPtr Handle => _handle.DangerousGetHandle();

    public static VectorFile Open(string path)
    {
        GdalRuntime.EnsureInitialized();
        if (RasterPaths.IsPlainFile(path) && !File.Exists(path))
        {
            throw new RasterOpenException(path, $"{path}: file not found");
        }
        var drivers = RasterFilePolicy.Current?.DriversFor(path, vector: true);
        GdalErrors.Reset();
        DatasetHandle handle;
        using (var allowed = drivers is null ? null : new CStringList(drivers))
        {
            handle = new DatasetHandle(GdalNative.GDALOpenEx(path, OpenVector | OpenVerboseError, allowed?.Pointer ?? IntPtr.Zero, IntPtr.Zero, IntPtr.Zero));
        }
        if (handle.IsInvalid)
        {
            throw new RasterOpenException(path, $"{path}: not a vector file GDAL can read ({GdalErrors.Describe("unrecognised")})");
        }
        var file = new VectorFile(handle, path);
        if (GdalNative.GDALDatasetGetLayerCount(file.Handle) < 1)
        {
            file.Dispose();
            throw new RasterOpenException(path, $"{path}: has no layer");
        }
        return file;
    }

    private IntPtr Layer => GdalNative.GDALDatasetGetLayer(Handle, 0);

    public long FeatureCount => GdalNative.OGR_L_GetFeatureCount(Layer, 1);

    /// <summary>
    /// The layer's geometry type as OGR names it ("Polygon", "Multi Polygon", "Point"); for a layer of mixed types, those
    /// its features have ("Polygon and Multi Polygon").
    /// </summary>
    public string GeometryType
    {
        get
        {
            var declared = GdalNative.OGR_GT_Flatten(GdalNative.OGR_L_GetGeomType(Layer));
            var types = declared != 0 ? [declared] : FeatureGeometryTypes();
            return types.Count == 0 ? "None" : string.Join(" and ", types.Select(t => Marshal.PtrToStringUTF8(GdalNative.OGRGeometryTypeToName(t)) ?? "Unknown"));
        }
    }

    private List<int> FeatureGeometryTypes()
    {
        var layer = Layer;
        GdalNative.OGR_L_ResetReading(layer);
        var types = new List<int>();
        IntPtr feature;
        while ((feature = GdalNative.OGR_L_GetNextFeature(layer)) != IntPtr.Zero)
        {
            var geometry = GdalNative.OGR_F_GetGeometryRef(feature);
            if (geometry != IntPtr.Zero && GdalNative.OGR_GT_Flatten(GdalNative.OGR_G_GetGeometryType(geometry)) is var type && !types.Contains(type))
            {
                types.Add(type);
            }
            GdalNative.OGR_F_Destroy(feature);
        }
        return types;
    }

    /// <summary>The names of the layer's fields (attributes), in order.</summary>
    public IReadOnlyList<string> FieldNames
    {
        get
        {
            var definition = GdalNative.OGR_L_GetLayerDefn(Layer);
            return Enumerable.Range(0, GdalNative.OGR_FD_GetFieldCount(definition))
                .Select(i => Marshal.PtrToStringUTF8(GdalNative.OGR_Fld_GetNameRef(GdalNative.OGR_FD_GetFieldDefn(definition, i))) ?? $"field{i}").ToList();
        }
    }

    /// <summary>The layer's CRS as WKT, or empty when it has none.</summary>
    public string CrsWkt
    {
        get
        {
            var srs = GdalNative.OGR_L_GetSpatialRef(Layer);
            if (srs == IntPtr.Zero)
            {
                return string.Empty;
            }
            IntPtr text;
            if (GdalNative.OSRExportToWkt(srs, &text) != 0)
            {
                return string.Empty;
            }
            try
            {
                return Marshal.PtrToStringUTF8(text) ?? string.Empty;
            }
            finally
            {
                GdalNative.VSIFree(text);
            }
        }
    }

    /// <summary>The bounds of the layer's geometries in its own CRS; null when it has none.</summary>
    public Bounds? Extent
    {
        get
        {
            var envelope = stackalloc double[4]; // MinX, MaxX, MinY, MaxY
            return GdalNative.OGR_L_GetExtent(Layer, envelope, 1) == 0
                ? new Bounds(envelope[0], envelope[2], envelope[1], envelope[3])
                : null;
        }
    }

    /// <summary>
    /// The features of the first layer, in order: feature id, position, the "id" property when there is one,
    /// the geometry's envelope (null without geometry), its attributes and, when asked, the geometry as GeoJSON.
    /// </summary>
    public IReadOnlyList<FeatureInfo> Features(bool withGeoJson = false)
    {
        var layer = Layer;
        GdalNative.OGR_L_ResetReading(layer);
        var features = new List<FeatureInfo>();
        var e = stackalloc double[4];
        IntPtr feature;
        while ((feature = GdalNative.OGR_L_GetNextFeature(layer)) != IntPtr.Zero)
        {
            try
            {
                var idField = GdalNative.OGR_F_GetFieldIndex(feature, "id");
                string? id = idField >= 0 && GdalNative.OGR_F_IsFieldSetAndNotNull(feature, idField) != 0
                    ? Marshal.PtrToStringUTF8(GdalNative.OGR_F_GetFieldAsString(feature, idField))
                    : null;
                var geometry = GdalNative.OGR_F_GetGeometryRef(feature);
                Bounds? envelope = null;
                string? json = null;
                if (geometry != IntPtr.Zero)
                {
                    GdalNative.OGR_G_GetEnvelope(geometry, e);
                    envelope = new Bounds(e[0], e[2], e[1], e[3]);
                    if (withGeoJson)
                    {
                        var text = GdalNative.OGR_G_ExportToJson(geometry);
                        json = Marshal.PtrToStringUTF8(text);
                        GdalNative.VSIFree(text);
                    }
                }
                features.Add(new FeatureInfo(GdalNative.OGR_F_GetFID(feature), features.Count, id, envelope, json) { Attributes = Attributes(feature) });
            }
            finally
            {
                GdalNative.OGR_F_Destroy(feature);
            }
        }
        return features;
    }

    /// <summary>
    /// Copies the layer (with its feature ids) into an in-memory file in another CRS and format (ogr2ogr);
    /// <paramref name="sourceCrs"/> says the layer's CRS when the file does not. The caller removes the copy
    /// (<see cref="Gdal.GdalNative.VSIUnlink"/> through <see cref="DeleteTemporary"/>).
    /// </summary>
    public string CopyTo(string targetCrs, string? sourceCrs = null, string format = "GPKG")
    {
        var path = $"/vsimem/tessera-vector-{Guid.NewGuid():N}.{(format == "GPKG" ? "gpkg" : "geojson")}";
        var args = new List<string> { "-f", format, "-preserve_fid", "-t_srs", targetCrs };
        if (sourceCrs is not null)
        {
            args.AddRange(["-s_srs", sourceCrs]);
        }
        Translate(Handle, path, args, Path);
        return path;
    }

    /// <summary>Converts a vector file to another format (ogr2ogr -f FORMAT).</summary>
    public static void Convert(string source, string destination, string format, IEnumerable<string>? options = null)
    {
        using var input = Open(source);
        Translate(input.Handle, destination, ["-f", format, .. options ?? []], source);
    }

    public static void DeleteTemporary(string path) => GdalNative.VSIUnlink(path);

    private static string? IsoDate(IntPtr feature, int index, int type)
    {
        int year, month, day, hour, minute, tz;
        float second;
        if (GdalNative.OGR_F_GetFieldAsDateTimeEx(feature, index, &year, &month, &day, &hour, &minute, &second, &tz) == 0)
        {
            return Marshal.PtrToStringUTF8(GdalNative.OGR_F_GetFieldAsString(feature, index));
        }
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var date = string.Create(c, $"{year:0000}-{month:00}-{day:00}");
        var seconds = second == Math.Floor(second) ? ((int)second).ToString("00", c) : second.ToString("00.###", c);
        var time = string.Create(c, $"{hour:00}:{minute:00}:{seconds}");
        // OGR's time-zone flag: 0 unknown, 1 local time, 100 UTC, 100 + n an offset of n quarter hours.
        var minutes = (tz - 100) * 15; // flags 2..99 are west of UTC, 101.. east
        var zone = tz == 100 ? "Z" : tz > 1 ? $"{(minutes < 0 ? '-' : '+')}{Math.Abs(minutes) / 60:00}:{Math.Abs(minutes) % 60:00}" : "";
        return type switch
        {
            OftDate => date,
            OftTime => time + zone,
            _ => $"{date}T{time}{zone}",
        };
    }

    private const int OftInteger = 0, OftReal = 2, OftDate = 9, OftTime = 10, OftDateTime = 11, OftInteger64 = 12;

    /// <summary>
    /// A feature's fields in the layer's order: integers as long, reals as double, dates and times as ISO 8601 text
    /// (2018-02-02, 2015-07-11T10:00:08Z), anything else as text; null when unset.
    /// </summary>
    private static IReadOnlyList<KeyValuePair<string, object?>> Attributes(IntPtr feature)
    {
        var count = GdalNative.OGR_F_GetFieldCount(feature);
        var attributes = new List<KeyValuePair<string, object?>>(count);
        for (var i = 0; i < count; i++)
        {
            var field = GdalNative.OGR_F_GetFieldDefnRef(feature, i);
            var name = Marshal.PtrToStringUTF8(GdalNative.OGR_Fld_GetNameRef(field)) ?? $"field{i}";
            object? value = GdalNative.OGR_F_IsFieldSetAndNotNull(feature, i) == 0 ? null : GdalNative.OGR_Fld_GetType(field) switch
            {
                OftInteger or OftInteger64 => GdalNative.OGR_F_GetFieldAsInteger64(feature, i),
                OftReal => GdalNative.OGR_F_GetFieldAsDouble(feature, i),
                OftDate or OftTime or OftDateTime => IsoDate(feature, i, GdalNative.OGR_Fld_GetType(field)),
                _ => Marshal.PtrToStringUTF8(GdalNative.OGR_F_GetFieldAsString(feature, i)),
            };
            attributes.Add(new(name, value));
        }
        return attributes;
    }

    private static void Translate(IntPtr source, string destination, List<string> args, string what)
    {
        using var argv = new CStringList(args);
        GdalErrors.Reset();
        var options = GdalNative.GDALVectorTranslateOptionsNew(argv.Pointer, IntPtr.Zero);
        if (options == IntPtr.Zero)
        {
            throw new RasterArgumentException($"bad vector options: {GdalErrors.Describe("rejected")}");
        }
        try
        {
            int usageError;
            var result = GdalNative.GDALVectorTranslate(destination, IntPtr.Zero, 1, &source, options, &usageError);
            if (result == IntPtr.Zero)
            {
                throw new RasterIOException(what, $"{what}: cannot be converted: {GdalErrors.Describe("GDAL failed")}");
            }
            GdalNative.GDALClose(result);
        }
        finally
        {
            GdalNative.GDALVectorTranslateOptionsFree(options);
        }
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>One feature of a vector layer.</summary>
/// <param name="Index">Its position in the layer, from 0.</param>
/// <param name="Id">Its "id" property, when it has one.</param>
public sealed record FeatureInfo(long Fid, int Index, string? Id, Bounds? Envelope, string? GeoJson)
{
    /// <summary>Its fields (properties), in the layer's order: long, double, text, or null when unset.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Attributes { get; init; } = [];
}
