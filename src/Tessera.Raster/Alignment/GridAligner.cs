using System.Globalization;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Alignment;

/// <summary>
/// Puts inputs on one reference grid. Inputs already on it (or on the same lattice, shifted by whole pixels)
/// are read directly; any other input, in the same CRS or not, is warped by GDAL (gdalwarp semantics) into
/// Float32 with NaN for everything outside its footprint and for its nodata.
/// </summary>
public static unsafe class GridAligner
{
    /// <summary>Fraction of a pixel under which two grids are taken as aligned.</summary>
    private const double AlignmentTolerance = 1e-6;

    /// <summary>
    /// The grid of the input with the smallest pixels (in its own CRS), or of the named input. With one
    /// input, its grid.
    /// </summary>
    public static RasterGrid ChooseReference(IReadOnlyList<BandSource> sources, string? referenceName = null)
    {
        if (sources.Count == 0)
        {
            throw new RasterArgumentException("no inputs");
        }
        if (referenceName is not null)
        {
            var named = sources.FirstOrDefault(s => s.Name == referenceName)
                ?? throw new RasterArgumentException(
                    $"reference '{referenceName}' is not one of the inputs ({string.Join(", ", sources.Select(s => s.Name))})");
            using var ds = RasterDataset.Open(named.Path);
            return ds.Grid;
        }
        RasterGrid? best = null;
        foreach (var source in sources)
        {
            using var ds = RasterDataset.Open(source.Path);
            var grid = ds.Grid;
            if (best is null || grid.Transform.PixelArea < best.Transform.PixelArea * (1 - 1e-9))
            {
                best = grid;
            }
        }
        return best!;
    }

    /// <summary>Plans how to read <paramref name="source"/> on <paramref name="reference"/>.</summary>
    /// <param name="method">How an input on another grid is brought onto it: GDAL's warper (the default; any
    /// CRS), or, for an input in the reference's CRS, GDAL's resampled reads as <c>gdalbuildvrt</c> makes them.</param>
    public static AlignedSource Align(BandSource source, RasterGrid reference, Resampling resampling,
        AlignmentMethod method = AlignmentMethod.Warp)
    {
        using var ds = RasterDataset.Open(source.Path);
        var info = ds.Band(source.Band);
        var scale = source.Scale ?? info.Scale;
        var offset = source.Offset ?? info.Offset;
        var noData = source.NoData ?? info.NoData;
        var grid = ds.Grid;

        if (!ds.HasGeoTransform || !reference.HasCrs || !grid.HasCrs)
        {
            // Without georeference the only meaningful alignment is pixel for pixel.
            if (grid.Width == reference.Width && grid.Height == reference.Height)
            {
                return new AlignedSource(source, source.Path, source.Band, false, 0, 0, grid.Width, grid.Height, noData, scale, offset);
            }
            throw new GridAlignmentException(
                $"{source.Name} ({source.Path}): no georeference and a different size ({grid.Width}x{grid.Height}) " +
                $"from the reference grid ({reference.Width}x{reference.Height}), so it cannot be aligned");
        }

        if (TryDirect(grid, reference, out var colShift, out var rowShift))
        {
            var overlap = new Window(-colShift, -rowShift, grid.Width, grid.Height).Intersect(reference.FullWindow);
            if (overlap.IsEmpty)
            {
                throw NoOverlap(source);
            }
            return new AlignedSource(source, source.Path, source.Band, false, colShift, rowShift, grid.Width, grid.Height, noData, scale, offset);
        }

        CheckOverlap(source, grid, reference);
        var sameCrsNorthUp = grid.IsSameCrs(reference) && grid.Transform.IsNorthUp && reference.Transform.IsNorthUp;
        if (method == AlignmentMethod.Interpolate && sameCrsNorthUp && resampling is (Resampling.Nearest or Resampling.Bilinear)
            && GridMapping.Between(reference, grid, resampling) is { ColScale: <= 1 + AlignmentTolerance, RowScale: <= 1 + AlignmentTolerance } mapping)
        {
            // Upsampling (or the same resolution): GDAL's warper uses the plain 2 x 2 kernel, computed here in memory.
            // Downsampling widens its kernel, so that is left to GDAL.
            return new AlignedSource(source, source.Path, source.Band, false, 0, 0, grid.Width, grid.Height, noData, scale, offset, mapping);
        }
        if (method is AlignmentMethod.Resample or AlignmentMethod.Interpolate && sameCrsNorthUp)
        {
            // Raw values resampled by GDAL's reads; nodata and scale/offset still apply as for a direct read.
            return new AlignedSource(source, ResampleToVrt(ds, source, reference, resampling), source.Band, true, 0, 0,
                reference.Width, reference.Height, noData, scale, offset);
        }
        var xml = WarpToVrt(ds, source, reference, resampling);
        // The warped VRT already turned nodata and the outside into NaN; scale/offset still apply.
        return new AlignedSource(source, xml, source.Band, true, 0, 0, reference.Width, reference.Height, null, scale, offset);
    }

    private static bool TryDirect(RasterGrid grid, RasterGrid reference, out int colShift, out int rowShift)
    {
        colShift = rowShift = 0;
        var a = grid.Transform;
        var r = reference.Transform;
        if (!a.IsNorthUp || !r.IsNorthUp)
        {
            return a.IsCloseTo(r) && grid.IsSameCrs(reference);
        }
        var tolX = Math.Abs(r.PixelWidth) * AlignmentTolerance;
        var tolY = Math.Abs(r.PixelHeight) * AlignmentTolerance;
        // Pixel sizes must agree to within a tiny fraction over the whole raster, not just one pixel.
        var span = Math.Max(reference.Width, reference.Height);
        if (Math.Abs(a.PixelWidth - r.PixelWidth) * span > tolX * 100 || Math.Abs(a.PixelHeight - r.PixelHeight) * span > tolY * 100)
        {
            return false;
        }
        var dc = (r.OriginX - a.OriginX) / a.PixelWidth;
        var dr = (r.OriginY - a.OriginY) / a.PixelHeight;
        if (Math.Abs(dc - Math.Round(dc)) > AlignmentTolerance || Math.Abs(dr - Math.Round(dr)) > AlignmentTolerance)
        {
            return false;
        }
        if (!grid.IsSameCrs(reference))
        {
            return false;
        }
        colShift = (int)Math.Round(dc);
        rowShift = (int)Math.Round(dr);
        return true;
    }

    private static void CheckOverlap(BandSource source, RasterGrid grid, RasterGrid reference)
    {
        using var from = SpatialReference.FromWkt(grid.CrsWkt);
        using var to = SpatialReference.FromWkt(reference.CrsWkt);
        Bounds inReference;
        try
        {
            inReference = from.TransformBounds(to, grid.Bounds);
        }
        catch (GridAlignmentException)
        {
            throw NoOverlap(source);
        }
        if (!inReference.Intersects(reference.Bounds))
        {
            throw NoOverlap(source);
        }
    }

    private static GridAlignmentException NoOverlap(BandSource source) =>
        new($"{source.Name} ({source.Path}) does not overlap the reference grid: the inputs cover different areas");

    private static string WarpToVrt(RasterDataset ds, BandSource source, RasterGrid reference, Resampling resampling)
    {
        var b = reference.Bounds;
        var args = new List<string>
        {
            "-of", "VRT",
            "-t_srs", reference.CrsWkt,
            "-te", F(b.MinX), F(b.MinY), F(b.MaxX), F(b.MaxY),
            "-ts", reference.Width.ToString(CultureInfo.InvariantCulture), reference.Height.ToString(CultureInfo.InvariantCulture),
            "-r", resampling.ToGdal(),
            "-ot", "Float32",
            "-dstnodata", "nan",
            // Exact coordinate transformation: the result must not depend on how it is read (block by block
            // through the VRT, or whole), which the default approximation (0.125 pixel) would make it.
            "-et", "0",
        };
        if (source.NoData is { } nd)
        {
            args.AddRange(["-srcnodata", F(nd)]);
        }
        using var argv = new CStringList(args);
        GdalErrors.Reset();
        var options = GdalNative.GDALWarpAppOptionsNew(argv.Pointer, IntPtr.Zero);
        if (options == IntPtr.Zero)
        {
            throw new GridAlignmentException($"{source.Name}: bad warp options: {GdalErrors.Describe("rejected")}");
        }
        try
        {
            var src = ds.Handle;
            int usageError;
            var warped = GdalNative.GDALWarp(string.Empty, IntPtr.Zero, 1, &src, options, &usageError);
            if (warped == IntPtr.Zero)
            {
                throw new GridAlignmentException(
                    $"{source.Name} ({source.Path}): cannot be warped onto the reference grid: {GdalErrors.Describe("GDAL warp failed")}");
            }
            try
            {
                var xml = CStringList.Read(GdalNative.GDALGetMetadata(warped, "xml:VRT"));
                if (xml.Count == 0)
                {
                    throw new GridAlignmentException($"{source.Name}: GDAL returned no VRT description for the warp");
                }
                return xml[0];
            }
            finally
            {
                GdalNative.GDALClose(warped);
            }
        }
        finally
        {
            GdalNative.GDALWarpAppOptionsFree(options);
        }
    }

    private static string ResampleToVrt(RasterDataset ds, BandSource source, RasterGrid reference, Resampling resampling)
    {
        var b = reference.Bounds;
        var t = reference.Transform;
        using var argv = new CStringList(
        [
            "-te", F(b.MinX), F(b.MinY), F(b.MaxX), F(b.MaxY),
            "-tr", F(Math.Abs(t.PixelWidth)), F(Math.Abs(t.PixelHeight)),
            "-r", resampling.ToGdal(),
        ]);
        GdalErrors.Reset();
        var options = GdalNative.GDALBuildVRTOptionsNew(argv.Pointer, IntPtr.Zero);
        if (options == IntPtr.Zero)
        {
            throw new GridAlignmentException($"{source.Name}: bad resampling options: {GdalErrors.Describe("rejected")}");
        }
        try
        {
            var src = ds.Handle;
            int usageError;
            var vrt = GdalNative.GDALBuildVRT(string.Empty, 1, &src, IntPtr.Zero, options, &usageError);
            if (vrt == IntPtr.Zero)
            {
                throw new GridAlignmentException(
                    $"{source.Name} ({source.Path}): cannot be resampled onto the reference grid: {GdalErrors.Describe("GDAL failed")}");
            }
            try
            {
                if (GdalNative.GDALGetRasterXSize(vrt) != reference.Width || GdalNative.GDALGetRasterYSize(vrt) != reference.Height)
                {
                    throw new GridAlignmentException($"{source.Name}: resampling gave a grid of another size than the reference");
                }
                var xml = CStringList.Read(GdalNative.GDALGetMetadata(vrt, "xml:VRT"));
                return xml.Count == 0 ? throw new GridAlignmentException($"{source.Name}: GDAL returned no VRT description") : xml[0];
            }
            finally
            {
                GdalNative.GDALClose(vrt);
            }
        }
        finally
        {
            GdalNative.GDALBuildVRTOptionsFree(options);
        }
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
