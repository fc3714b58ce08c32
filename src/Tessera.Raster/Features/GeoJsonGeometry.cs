using System.Runtime.InteropServices;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Features;

/// <summary>
/// A GeoJSON geometry (longitude/latitude) read by OGR, for spatial tests: its bounding box, and whether it intersects
/// another (exactly, with GEOS as GDAL is built here). Not safe for concurrent use.
/// </summary>
public sealed unsafe class GeoJsonGeometry : IDisposable
{
    private IntPtr _handle;

    private GeoJsonGeometry(IntPtr handle, string json)
    {
        _handle = handle;
        Json = json;
        double* envelope = stackalloc double[4]; // minX, maxX, minY, maxY
        GdalNative.OGR_G_GetEnvelope(handle, envelope);
        Bounds = new Bounds(envelope[0], envelope[2], envelope[1], envelope[3]);
    }

    /// <summary>The GeoJSON text it was read from.</summary>
    public string Json { get; }

    public Bounds Bounds { get; }

    /// <summary>Reads a GeoJSON geometry object; <see cref="RasterArgumentException"/> naming the problem when it is not one.</summary>
    public static GeoJsonGeometry Parse(string json)
    {
        GdalRuntime.EnsureInitialized();
        GdalErrors.Reset();
        var handle = GdalNative.OGR_G_CreateGeometryFromJson(json);
        if (handle == IntPtr.Zero)
        {
            throw new RasterArgumentException($"not a GeoJSON geometry: {GdalErrors.Describe("OGR could not read it")}");
        }
        if (GdalNative.OGR_G_IsEmpty(handle) != 0)
        {
            GdalNative.OGR_G_DestroyGeometry(handle);
            throw new RasterArgumentException("the GeoJSON geometry is empty");
        }
        return new GeoJsonGeometry(handle, json);
    }

    /// <summary>
    /// A geometry given as WKT (longitude/latitude, as <c>POLYGON((...))</c>), as GeoJSON text;
    /// <see cref="RasterArgumentException"/> naming the problem when it is not WKT.
    /// </summary>
    public static string GeoJsonFromWkt(string wkt)
    {
        GdalRuntime.EnsureInitialized();
        var text = Marshal.StringToCoTaskMemUTF8(wkt);
        try
        {
            var cursor = text;
            IntPtr geometry;
            if (GdalNative.OGR_G_CreateFromWkt(&cursor, IntPtr.Zero, &geometry) != 0 || geometry == IntPtr.Zero)
            {
                throw new RasterArgumentException($"not a WKT geometry: '{(wkt.Length > 60 ? wkt[..60] + "..." : wkt)}'");
            }
            try
            {
                if (GdalNative.OGR_G_IsEmpty(geometry) != 0)
                {
                    throw new RasterArgumentException("the WKT geometry is empty");
                }
                var json = GdalNative.OGR_G_ExportToJson(geometry);
                try
                {
                    return Marshal.PtrToStringUTF8(json) ?? throw new RasterArgumentException("OGR could not write the geometry as GeoJSON");
                }
                finally
                {
                    GdalNative.VSIFree(json);
                }
            }
            finally
            {
                GdalNative.OGR_G_DestroyGeometry(geometry);
            }
        }
        finally
        {
            Marshal.ZeroFreeCoTaskMemUTF8(text);
        }
    }

    /// <summary>Whether this geometry and <paramref name="other"/> share at least one point.</summary>
    public bool Intersects(GeoJsonGeometry other) => GdalNative.OGR_G_Intersects(Handle, other.Handle) != 0;

    private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(GeoJsonGeometry));

    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            GdalNative.OGR_G_DestroyGeometry(_handle);
            _handle = IntPtr.Zero;
        }
    }
}
