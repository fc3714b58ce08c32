using System.Text.Json.Nodes;
using Tessera.Raster.Info;

namespace Tessera.Catalog.Stac;

/// <summary>The projection and raster extension fields of a raster asset, from what GDAL says of its file.</summary>
public static class RasterAssetFields
{
    /// <summary><c>proj:shape</c>, <c>proj:transform</c> and <c>raster:bands</c> (type, nodata, resolution, and the scale and offset when given).</summary>
    public static JsonObject Of(RasterDescription description, double? scale = null, double? offset = null)
    {
        var fields = new JsonObject
        {
            ["proj:shape"] = new JsonArray(description.Height, description.Width),
            ["raster:bands"] = new JsonArray(description.Bands.Select(b =>
            {
                var entry = new JsonObject { ["data_type"] = StacItems.DataType(b.DataType) };
                if (b.NoData is { } nodata && double.IsFinite(nodata))
                {
                    entry["nodata"] = nodata;
                }
                if (scale is { } s)
                {
                    entry["scale"] = s;
                }
                if (offset is { } o)
                {
                    entry["offset"] = o;
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
            fields["proj:transform"] = new JsonArray(gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]);
        }
        return fields;
    }
}
