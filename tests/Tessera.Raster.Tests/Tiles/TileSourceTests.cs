using Tessera.Raster.Alignment;
using Tessera.Raster.Rendering;
using Tessera.Raster.Tiles;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Tiles;

/// <summary>Tiles warped by Tessera against tiles warped by GDAL's own Python gdal.Warp, pixel for pixel.</summary>
public sealed class TileSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private System.Text.Json.JsonElement CompareWithReference(string source, TileAddress tile, Resampling resampling)
    {
        using var tiles = TileSource.Open(source);
        var planes = tiles.Read(tile, 256, resampling);
        Assert.NotNull(planes);
        var npy = _folder.File($"{Path.GetFileNameWithoutExtension(source)}-{tile.Z}-{tile.X}-{tile.Y}.npy");
        File.WriteAllBytes(npy, ImageEncoder.EncodeNpy(planes, 256, 256));
        return PythonReference.Run("tile_reference.py", new
        {
            source, tile = npy, z = tile.Z, x = tile.X, y = tile.Y, size = 256, resampling = resampling.ToGdal(),
        });
    }

    [SampleDataTheory]
    [InlineData("S2A_29RKH_20200219_L2A_B04.tif", 12, Resampling.Nearest)] // UTM 29N, at about its resolution
    [InlineData("S2A_29RKH_20200219_L2A_B04.tif", 9, Resampling.Bilinear)] // zoomed out: the whole tile in a few pixels
    [InlineData("L8_mosaic_cog1_utm18n.tif", 10, Resampling.Nearest)] // a COG with overviews, UTM 18N
    [InlineData("L8_mosaic_cog2_epsg4326.tif", 10, Resampling.Nearest)] // lon/lat
    [InlineData("L8_mosaic_cog2_epsg4326.tif", 8, Resampling.Bilinear)]
    public void Tile_EqualsGdalWarp_PixelForPixel(string sample, int zoom, Resampling resampling)
    {
        var source = SampleData.File(sample);
        Bounds lonLat;
        using (var tiles = TileSource.Open(source))
        {
            lonLat = tiles.LonLatBounds;
        }
        var tile = WebMercator.TileAt((lonLat.MinX + lonLat.MaxX) / 2, (lonLat.MinY + lonLat.MaxY) / 2, zoom);

        var result = CompareWithReference(source, tile, resampling);

        Assert.True(result.GetProperty("shapeEqual").GetBoolean(), result.ToString());
        Assert.Equal("float32", result.GetProperty("dtype").GetString());
        Assert.True(result.GetProperty("maskEqual").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("validCount").GetInt64() > 1000, result.ToString());
        Assert.True(result.GetProperty("maxAbsDiff").GetDouble() <= 1e-3, result.ToString());
    }

    [SampleDataTheory]
    [InlineData("S2A_29RKH_20200219_L2A_B04.tif", 9)]
    [InlineData("S2A_29RKH_20200219_L2A_B04.tif", 7)]
    [InlineData("L8_mosaic_cog2_epsg4326.tif", 8)]
    public void TileOverAnEdge_IsNoDataOutside_AsInGdalWarp(string sample, int zoom)
    {
        var source = SampleData.File(sample);
        Bounds lonLat;
        using (var tiles = TileSource.Open(source))
        {
            lonLat = tiles.LonLatBounds;
        }
        // The tile holding the north-west corner: partly data, partly outside.
        var tile = WebMercator.TileAt(lonLat.MinX + 1e-6, lonLat.MaxY - 1e-6, zoom);

        var result = CompareWithReference(source, tile, Resampling.Nearest);

        Assert.True(result.GetProperty("maskEqual").GetBoolean(), result.ToString());
        Assert.InRange(result.GetProperty("validCount").GetInt64(), 1, 256 * 256 - 1);
        Assert.Equal(0, result.GetProperty("maxAbsDiff").GetDouble());
    }

    [SampleDataFact]
    public void Footprint_IsInWebMercator_AndTilesOutsideItAreNull()
    {
        using var tiles = TileSource.Open(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"));
        // 29RKH lies on the Mauritania / Western Sahara border: 12 to 11 degrees west, 24 to 25 degrees north.
        Assert.InRange(tiles.LonLatBounds.MinX, -13, -11);
        Assert.InRange(tiles.LonLatBounds.MinY, 24, 25);
        Assert.True(tiles.MercatorBounds.MinX < 0 && tiles.MercatorBounds.MinY > 0);
        Assert.InRange(tiles.MercatorResolution, 100, 130); // 100 m pixels, stretched by ~1.1 at 25 degrees north
        Assert.Null(tiles.Read(new TileAddress(12, 0, 0)));
        Assert.Null(tiles.Read(WebMercator.TileAt(140, -30, 10)));
        Assert.Single(tiles.Read(new TileAddress(0, 0, 0))!);
    }

    [Fact]
    public void ARasterWithoutGeoreference_CannotBeTiled()
    {
        var path = _folder.File("plain.tif");
        using (var ds = RasterDataset.Create(path, "GTiff", new RasterGrid(8, 8, GeoTransform.Identity, string.Empty), 1, RasterDataType.Byte))
        {
            ds.Close();
        }
        var error = Assert.Throws<RasterArgumentException>(() => TileSource.Open(path));
        Assert.Equal("plain.tif has no georeference: it cannot be shown on a map", error.Message);
    }

    [Theory]
    [InlineData(0, 0, 0, true)]
    [InlineData(3, 7, 7, true)]
    [InlineData(3, 8, 0, false)]
    [InlineData(-1, 0, 0, false)]
    [InlineData(25, 0, 0, false)]
    [InlineData(2, 0, -1, false)]
    public void TileAddress_IsChecked(int z, int x, int y, bool valid) =>
        Assert.Equal(valid, TileAddress.TryCreate(z, x, y, out _) is not null);

    [Fact]
    public void TileBounds_AndTileAt_AgreeWithTheXyzScheme()
    {
        Assert.Equal(new Bounds(-WebMercator.HalfWorld, -WebMercator.HalfWorld, WebMercator.HalfWorld, WebMercator.HalfWorld), new TileAddress(0, 0, 0).Bounds);
        Assert.Equal(new Bounds(0, 0, WebMercator.HalfWorld, WebMercator.HalfWorld), new TileAddress(1, 1, 0).Bounds);
        // Greenwich at the equator is the corner of tiles (z, 2^(z-1), 2^(z-1)); Paris at zoom 10 is tile 518/352.
        Assert.Equal(new TileAddress(10, 512, 512), WebMercator.TileAt(0.0001, -0.0001, 10));
        Assert.Equal(new TileAddress(10, 518, 352), WebMercator.TileAt(2.3522, 48.8566, 10));
        Assert.Equal(0, WebMercator.ZoomFor(200_000));
        Assert.Equal(14, WebMercator.ZoomFor(10)); // 9.55 m pixels: zoom 13 has 19.1 m
    }

    public void Dispose() => _folder.Dispose();
}
