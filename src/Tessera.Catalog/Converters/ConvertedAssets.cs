using System.Text.Json.Nodes;
using Tessera.Catalog.Local;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;
using Tessera.Raster;
using Tessera.Raster.Info;

namespace Tessera.Catalog.Converters;

/// <summary>
/// The asset of a converted file: a COG of this server (its href the server's path of the asset), role <c>data</c>,
/// its size and SHA-256, and what GDAL reads of it as STAC's projection and raster fields (shape, transform, EPSG code,
/// each band's data type, nodata and resolution, with the scale and offset the product's metadata gave), the band's
/// <c>eo:bands</c>.
/// </summary>
public static class ConvertedAssets
{
    public const string MediaType = "image/tiff; application=geotiff; profile=cloud-optimized";

    public static CatalogAsset Of(CatalogItem item, string key, ConvertedFile file, string localPath)
    {
        RasterDescription description;
        using (var dataset = RasterDataset.Open(localPath))
        {
            description = RasterDescription.Of(dataset);
        }
        var extra = RasterAssetFields.Of(description, file.Scale, file.Offset);
        if (description.Epsg is { } epsg)
        {
            extra["proj:epsg"] = epsg;
        }
        if (file.EoBands is { } bands)
        {
            extra["eo:bands"] = bands.DeepClone();
        }
        var checksum = FileChecksum.Of(localPath);
        return new CatalogAsset(key, ProductScanner.AssetHref(item.Collection, item.Id, key), MediaType, file.Title, ["data"], file.Band, checksum,
            new FileInfo(localPath).Length, localPath, extra);
    }
}
