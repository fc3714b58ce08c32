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
        if (!File.Exists(path))
        {
            throw new RasterOpenException(path, $"{path}: file not found");
        }
        GdalErrors.Reset();
        var handle = new DatasetHandle(GdalNative.GDALOpenEx(path, OpenVector | OpenVerboseError, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero));
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

    public void Dispose() => _handle.Dispose();
}
