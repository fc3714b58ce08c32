using System.Text.Json.Nodes;
using Tessera.Catalog.Stac;
using Tessera.Raster;

namespace Tessera.Catalog.Tests.Stac;

/// <summary>Another catalog's STAC Items read into the catalog's records, and the catalog's own documents read back.</summary>
public sealed class StacReadingTests
{
    private static readonly Uri Source = new("http://127.0.0.1:8080/catalog/sentinel-2-l2a/S2B_29RKH_20200219/S2B_29RKH_20200219.json");

    /// <summary>A Sentinel-2 item as public STAC APIs publish them (relative and root-relative hrefs, eo:bands per asset).</summary>
    private const string Sentinel2 = """
        {
          "type": "Feature", "stac_version": "1.0.0", "id": "S2B_29RKH_20200219", "collection": "sentinel-2-l2a",
          "stac_extensions": ["https://stac-extensions.github.io/eo/v1.0.0/schema.json", "https://stac-extensions.github.io/sat/v1.0.0/schema.json"],
          "geometry": {"type": "Polygon", "coordinates": [[[-11.9, 24.4], [-10.8, 24.4], [-10.8, 25.3], [-11.9, 25.3], [-11.9, 24.4]]]},
          "bbox": [-11.9, 24.4, 0, -10.8, 25.3, 10],
          "properties": {"datetime": "2020-02-19T11:22:33.5Z", "platform": "sentinel-2b", "eo:cloud_cover": 3.25, "s2:mgrs_tile": "29RKH",
                         "sat:relative_orbit": 80},
          "assets": {
            "B04": {"href": "./B04.tif", "type": "image/tiff; application=geotiff; profile=cloud-optimized", "roles": ["data"],
                    "eo:bands": [{"name": "B04", "common_name": "red"}], "file:size": 1234, "gsd": 10},
            "B08": {"href": "/data/S2B_29RKH_20200219/B08.tif", "eo:bands": [{"name": "B08"}]},
            "thumbnail": {"href": "https://other.example.org/thumb.png", "roles": ["thumbnail"]}
          },
          "links": [{"rel": "self", "href": "./S2B_29RKH_20200219.json"}, {"rel": "license", "href": "../license.html"}]
        }
        """;

    [Fact]
    public void ASentinel2Item_KeepsItsFields_AndItsHrefsBecomeAbsolute()
    {
        var item = StacReading.Item(JsonNode.Parse(Sentinel2)!.AsObject(), Source);

        Assert.Equal(("sentinel-2-l2a", "S2B_29RKH_20200219"), (item.Collection, item.Id));
        var time = new DateTimeOffset(2020, 2, 19, 11, 22, 33, 500, TimeSpan.Zero);
        Assert.Equal((time, time, time), (item.DateTime!.Value, item.Start, item.End));
        Assert.Equal(new Bounds(-11.9, 24.4, -10.8, 25.3), item.Bbox); // the 3-D bbox's heights dropped
        Assert.Equal((3.25, "sentinel-2b", "MGRS-29RKH"), (item.CloudCover!.Value, item.Platform, item.GridCode));
        Assert.Equal(80, item.Properties["sat:relative_orbit"]!.GetValue<int>());
        Assert.Equal(["B04", "B08", "thumbnail"], item.Assets.Select(a => a.Key));
        var red = item.Assets[0];
        Assert.Equal(("http://127.0.0.1:8080/catalog/sentinel-2-l2a/S2B_29RKH_20200219/B04.tif", "red", 1234L, 10),
            (red.Href, red.Band, red.Size!.Value, red.Extra!["gsd"]!.GetValue<int>()));
        Assert.Equal(("http://127.0.0.1:8080/data/S2B_29RKH_20200219/B08.tif", "B08"), (item.Assets[1].Href, item.Assets[1].Band));
        Assert.Equal("https://other.example.org/thumb.png", item.Assets[2].Href);
        Assert.Equal(["license", "via"], item.Links!.Select(l => l!["rel"]!.GetValue<string>()));
        Assert.Equal("http://127.0.0.1:8080/catalog/sentinel-2-l2a/license.html", item.Links![0]!["href"]!.GetValue<string>());
        Assert.Contains("https://stac-extensions.github.io/sat/v1.0.0/schema.json", item.Extensions!);
    }

    [Fact]
    public void TheCatalogsOwnDocument_ReadsBackToTheSameRecord()
    {
        var item = StacReading.Item(JsonNode.Parse(Sentinel2)!.AsObject(), Source);

        var again = StacReading.Item(StacDocuments.Item(item, "http://tessera.example.org"));

        Assert.Equal((item.Collection, item.Id, item.DateTime, item.Start, item.End, item.Bbox, item.CloudCover, item.Platform, item.GridCode),
            (again.Collection, again.Id, again.DateTime, again.Start, again.End, again.Bbox, again.CloudCover, again.Platform, again.GridCode));
        Assert.True(JsonNode.DeepEquals(item.Geometry, again.Geometry));
        Assert.Equal(item.Assets.Select(a => (a.Key, a.Href, a.Band, a.Size)), again.Assets.Select(a => (a.Key, a.Href, a.Band, a.Size)));
        // Only the eo extension's version declared by the source is kept; none is declared twice.
        Assert.Single(StacDocuments.Item(item, "http://x")["stac_extensions"]!.AsArray(), e => e!.GetValue<string>().Contains("/eo/"));
    }

    [Theory]
    [InlineData("""{"type": "Feature", "collection": "c", "properties": {"datetime": "2020-01-01T00:00:00Z"}}""", "STAC item '?': id: missing")]
    [InlineData("""{"type": "Collection", "id": "a"}""", "STAC item 'a': type: not \"Feature\"")]
    [InlineData("""{"type": "Feature", "id": "a", "properties": {"datetime": "2020-01-01T00:00:00Z"}}""", "STAC item 'a': collection: missing (and none was given)")]
    [InlineData("""{"type": "Feature", "id": "a", "collection": "c", "properties": {"datetime": null}}""", "STAC item 'a': properties.datetime: null without start_datetime and end_datetime")]
    [InlineData("""{"type": "Feature", "id": "a", "collection": "c", "properties": {"datetime": "yesterday"}}""", "STAC item 'a': properties.datetime: '\"yesterday\"' is not an RFC 3339 time")]
    [InlineData("""{"type": "Feature", "id": "a", "collection": "c", "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": {"datetime": "2020-01-01T00:00:00Z"}}""", "STAC item 'a': bbox: give 4 (or 6) numbers with the geometry")]
    [InlineData("""{"type": "Feature", "id": "a", "collection": "c", "properties": {"datetime": "2020-01-01T00:00:00Z"}, "assets": {"B04": {"type": "image/tiff"}}}""", "STAC item 'a': assets.B04.href: missing")]
    public void AnItemThatCannotBeUsed_IsRefused_NamingTheField(string json, string message)
    {
        var error = Assert.Throws<CatalogException>(() => StacReading.Item(JsonNode.Parse(json)!.AsObject()));
        Assert.Equal(message, error.Message);
    }
}
