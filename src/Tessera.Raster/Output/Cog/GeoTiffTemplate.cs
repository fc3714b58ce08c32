using Tessera.Raster.Gdal;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// The georeferencing and metadata tags of a result, as GDAL's GeoTIFF driver writes them: a header-only GeoTIFF of
/// the same grid, bands and metadata is made in memory (no pixels: sparse), and its GeoKeys, model transformation,
/// GDAL_METADATA (band descriptions, scale, offset, statistics) and GDAL_NODATA tags are taken as they are. GDAL stays
/// the authority on how a CRS becomes GeoKeys.
/// </summary>
internal static unsafe class GeoTiffTemplate
{
    /// <summary>Pixel scale, tie points, transformation, GeoKeys (directory, doubles, ASCII), GDAL_METADATA, GDAL_NODATA.</summary>
    private static bool Taken(TiffTag tag) => tag.Tag is 33550 or 33922 or 34264 or 34735 or 34736 or 34737 or 42112 or 42113;

    public static List<TiffTag> Tags(RasterGrid grid, int bands, RasterDataType type, int tile, Action<RasterDataset> describe)
    {
        var path = $"/vsimem/tessera-header-{Guid.NewGuid():N}.tif";
        try
        {
            var dataset = RasterDataset.Create(path, "GTiff", grid, bands, type,
                ["TILED=YES", $"BLOCKXSIZE={tile}", $"BLOCKYSIZE={tile}", "SPARSE_OK=TRUE", "INTERLEAVE=PIXEL", "BIGTIFF=NO"]);
            try
            {
                describe(dataset);
                dataset.Close();
            }
            finally
            {
                dataset.Dispose();
            }
            ulong length;
            var buffer = GdalNative.VSIGetMemFileBuffer(path, &length, 0);
            if (buffer == IntPtr.Zero)
            {
                throw new RasterException("GDAL wrote no GeoTIFF header");
            }
            var tags = TiffDirectory.ReadFirst(new ReadOnlySpan<byte>((void*)buffer, checked((int)length)));
            tags.RemoveAll(t => !Taken(t));
            return tags;
        }
        finally
        {
            GdalNative.VSIUnlink(path);
            GdalNative.VSIUnlink(path + ".aux.xml");
        }
    }
}
