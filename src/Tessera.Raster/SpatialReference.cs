using System.Runtime.InteropServices;
using Tessera.Raster.Gdal;

namespace Tessera.Raster;

/// <summary>
/// A coordinate reference system (OGRSpatialReference). Axis order is always x/east, y/north ("traditional GIS
/// order"), also for EPSG:4326, so lon/lat pairs read as (x, y). Not safe for concurrent use.
/// </summary>
public sealed unsafe class SpatialReference : IDisposable
{
    private const int TraditionalGisOrder = 0;

    private readonly SpatialReferenceHandle _handle;

    private SpatialReference(SpatialReferenceHandle handle)
    {
        _handle = handle;
        GdalNative.OSRSetAxisMappingStrategy(handle.DangerousGetHandle(), TraditionalGisOrder);
    }

    internal IntPtr Handle => _handle.DangerousGetHandle();

    /// <summary>From WKT as GDAL reports it for a dataset.</summary>
    public static SpatialReference FromWkt(string wkt)
    {
        if (string.IsNullOrWhiteSpace(wkt))
        {
            throw new GridAlignmentException("the raster has no coordinate reference system");
        }
        return FromUserInput(wkt);
    }

    /// <summary>From anything GDAL understands: "EPSG:4326", WKT, PROJ strings, "OGC:CRS84".</summary>
    public static SpatialReference FromUserInput(string definition)
    {
        GdalRuntime.EnsureInitialized();
        var handle = new SpatialReferenceHandle(GdalNative.OSRNewSpatialReference(null));
        GdalErrors.Reset();
        if (GdalNative.OSRSetFromUserInput(handle.DangerousGetHandle(), definition) != 0)
        {
            handle.Dispose();
            throw new RasterArgumentException(
                $"unknown coordinate reference system '{Shorten(definition)}': {GdalErrors.Describe("not recognised")}");
        }
        return new SpatialReference(handle);
    }

    public static SpatialReference Wgs84() => FromUserInput("EPSG:4326");

    public string Wkt
    {
        get
        {
            IntPtr text;
            if (GdalNative.OSRExportToWkt(Handle, &text) != 0)
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

    /// <summary>The EPSG code when the CRS is (or is recognised as) an EPSG one.</summary>
    public int? EpsgCode
    {
        get
        {
            var code = AuthorityCode();
            if (code is null)
            {
                GdalNative.OSRAutoIdentifyEPSG(Handle);
                code = AuthorityCode();
            }
            return code;
        }
    }

    public bool IsGeographic => GdalNative.OSRIsGeographic(Handle) != 0;

    public bool IsSame(SpatialReference other) => GdalNative.OSRIsSame(Handle, other.Handle) != 0;

    private int? AuthorityCode()
    {
        var name = Marshal.PtrToStringUTF8(GdalNative.OSRGetAuthorityName(Handle, null));
        var code = Marshal.PtrToStringUTF8(GdalNative.OSRGetAuthorityCode(Handle, null));
        return string.Equals(name, "EPSG", StringComparison.OrdinalIgnoreCase) && int.TryParse(code, out var c) ? c : null;
    }

    /// <summary>Transforms points in place from this CRS to another; false where a point cannot be transformed.</summary>
    public bool[] Transform(SpatialReference target, Span<double> x, Span<double> y)
    {
        GdalErrors.Reset();
        using var transform = new CoordinateTransformationHandle(GdalNative.OCTNewCoordinateTransformation(Handle, target.Handle));
        if (transform.IsInvalid)
        {
            throw new GridAlignmentException(GdalErrors.Describe("no transformation between the two coordinate systems"));
        }
        var ok = new bool[x.Length];
        // OCTTransform fails as a whole when one point fails; transform one at a time so the others survive.
        for (var i = 0; i < x.Length; i++)
        {
            double px = x[i], py = y[i], pz = 0;
            ok[i] = GdalNative.OCTTransform(transform.DangerousGetHandle(), 1, &px, &py, &pz) != 0
                && double.IsFinite(px) && double.IsFinite(py);
            x[i] = px;
            y[i] = py;
        }
        return ok;
    }

    /// <summary>
    /// The bounds, in the target CRS, of a box in this CRS: the box's edges are densified (21 points each) so
    /// curved edges are covered, as rasterio's transform_bounds does.
    /// </summary>
    public Bounds TransformBounds(SpatialReference target, Bounds box, int pointsPerEdge = 21)
    {
        var n = pointsPerEdge * 4;
        var xs = new double[n];
        var ys = new double[n];
        for (var i = 0; i < pointsPerEdge; i++)
        {
            var t = i / (double)(pointsPerEdge - 1);
            var x = box.MinX + t * box.Width;
            var y = box.MinY + t * box.Height;
            (xs[i], ys[i]) = (x, box.MinY);
            (xs[pointsPerEdge + i], ys[pointsPerEdge + i]) = (x, box.MaxY);
            (xs[2 * pointsPerEdge + i], ys[2 * pointsPerEdge + i]) = (box.MinX, y);
            (xs[3 * pointsPerEdge + i], ys[3 * pointsPerEdge + i]) = (box.MaxX, y);
        }
        var ok = Transform(target, xs, ys);
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity;
        double maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            if (!ok[i])
            {
                continue;
            }
            minX = Math.Min(minX, xs[i]);
            maxX = Math.Max(maxX, xs[i]);
            minY = Math.Min(minY, ys[i]);
            maxY = Math.Max(maxY, ys[i]);
        }
        if (!double.IsFinite(minX))
        {
            throw new GridAlignmentException("the area cannot be expressed in the target coordinate system");
        }
        return new Bounds(minX, minY, maxX, maxY);
    }

    public void Dispose() => _handle.Dispose();

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
