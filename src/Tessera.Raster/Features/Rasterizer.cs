using System.Globalization;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Features;

/// <summary>
/// Burns the geometries of a vector file onto a raster grid with GDAL's rasterizer (gdal_rasterize), which
/// reprojects them from the layer's CRS to the grid's. The result is a GeoTIFF (in memory, <c>/vsimem/</c>, unless a
/// path is given) any thread can open; dispose removes it.
/// </summary>
public sealed unsafe class Rasterizer : IDisposable
{
    private Rasterizer(string path) => Path = path;

    /// <summary>Where the burnt raster is (a <c>/vsimem/</c> path unless another was given).</summary>
    public string Path { get; }

    /// <param name="burnAttribute">Burn this integer attribute (or null: 1 for every geometry).</param>
    /// <param name="allTouched">Burn every pixel a geometry touches, not only those whose centre it covers.</param>
    /// <param name="where">Burn only the features this attribute filter selects (e.g. "FID = 3").</param>
    /// <param name="path">Where to write the GeoTIFF (a file for large grids), or null: in memory.</param>
    public static Rasterizer Burn(VectorFile vector, RasterGrid grid, RasterDataType type = RasterDataType.Byte,
        string? burnAttribute = null, bool allTouched = false, string? where = null, string? path = null)
    {
        path ??= $"/vsimem/tessera-burn-{Guid.NewGuid():N}.tif";
        using (var target = RasterDataset.Create(path, "GTiff", grid, 1, type, ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512"]))
        {
            var args = new List<string>();
            args.AddRange(burnAttribute is null ? ["-burn", "1"] : ["-a", burnAttribute]);
            if (allTouched)
            {
                args.Add("-at");
            }
            if (where is not null)
            {
                args.AddRange(["-where", where]);
            }
            using var argv = new CStringList(args);
            GdalErrors.Reset();
            var options = GdalNative.GDALRasterizeOptionsNew(argv.Pointer, IntPtr.Zero);
            if (options == IntPtr.Zero)
            {
                throw new RasterArgumentException($"bad rasterize options: {GdalErrors.Describe("rejected")}");
            }
            try
            {
                int usageError;
                var result = GdalNative.GDALRasterize(null, target.Handle, vector.Handle, options, &usageError);
                if (result == IntPtr.Zero)
                {
                    throw new RasterIOException(vector.Path, string.Create(CultureInfo.InvariantCulture,
                        $"{vector.Path}: cannot burn its geometries onto the grid: {GdalErrors.Describe("GDAL rasterize failed")}"));
                }
            }
            finally
            {
                GdalNative.GDALRasterizeOptionsFree(options);
            }
            target.Close();
        }
        return new Rasterizer(path);
    }

    public void Dispose() => GdalNative.VSIUnlink(Path);
}
