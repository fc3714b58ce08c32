using System.Security.Cryptography;
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
        var extra = new JsonObject
        {
            ["proj:shape"] = new JsonArray(description.Height, description.Width),
            ["raster:bands"] = new JsonArray(description.Bands.Select(b =>
            {
                var entry = new JsonObject { ["data_type"] = StacItems.DataType(b.DataType) };
                if (b.NoData is { } nodata && double.IsFinite(nodata))
                {
                    entry["nodata"] = nodata;
                }
                if (file.Scale is { } scale)
                {
                    entry["scale"] = scale;
                }
                if (file.Offset is { } offset)
                {
                    entry["offset"] = offset;
                }
                if (description.ResolutionX is { } resolution)
                {
                    entry["spatial_resolution"] = resolution;
                }
                return (JsonNode?)entry;
            }).ToArray()),
        };
        if (description.GeoTransform is { Length: 6 } gt)
        {
            extra["proj:transform"] = new JsonArray(gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]);
        }
        if (description.Epsg is { } epsg)
        {
            extra["proj:epsg"] = epsg;
        }
        if (file.EoBands is { } bands)
        {
            extra["eo:bands"] = bands.DeepClone();
        }
        string checksum;
        using (var read = File.OpenRead(localPath))
        {
            checksum = "1220" + Convert.ToHexStringLower(SHA256.HashData(read));
        }
        return new CatalogAsset(key, ProductScanner.AssetHref(item.Collection, item.Id, key), MediaType, file.Title, ["data"], file.Band, checksum,
            new FileInfo(localPath).Length, localPath, extra);
    }
}
