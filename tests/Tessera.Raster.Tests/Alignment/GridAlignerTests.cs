using Tessera.Raster.Alignment;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Alignment;

public class GridAlignerTests
{
    [Fact]
    public void ChooseReference_PicksFinestGrid_OrTheNamedOne()
    {
        using var temp = new TempFolder();
        var coarse = SyntheticRaster.Write<ushort>(temp.File("coarse.tif"), SyntheticRaster.Grid(10, 10, pixel: 20), (c, r) => 1);
        var fine = SyntheticRaster.Write<ushort>(temp.File("fine.tif"), SyntheticRaster.Grid(20, 20, pixel: 10), (c, r) => 1);
        BandSource[] sources = [new("a", coarse), new("b", fine)];
        Assert.Equal(10, GridAligner.ChooseReference(sources).Transform.PixelWidth);
        Assert.Equal(20, GridAligner.ChooseReference(sources, "a").Transform.PixelWidth);
        Assert.Throws<RasterArgumentException>(() => GridAligner.ChooseReference(sources, "c"));
    }

    [Fact]
    public void SameLatticeShiftedByWholePixels_IsReadDirectly_WithNaNOutside()
    {
        using var temp = new TempFolder();
        var reference = SyntheticRaster.Grid(20, 20);
        // 5 pixels right and 3 down of the reference's corner.
        var shifted = SyntheticRaster.Grid(10, 10, originX: 500_050, originY: 3_999_970);
        var path = SyntheticRaster.Write<ushort>(temp.File("s.tif"), shifted, (c, r) => (ushort)(1 + c + 10 * r), noData: 0);

        var aligned = GridAligner.Align(new BandSource("s", path), reference, Resampling.Nearest);
        Assert.False(aligned.IsWarped);
        Assert.Equal(-5, aligned.ColShift);
        Assert.Equal(-3, aligned.RowShift);

        using var reader = new AlignedReader();
        var values = new float[400];
        reader.Read(aligned, reference.FullWindow, values);
        for (var r = 0; r < 20; r++)
        {
            for (var c = 0; c < 20; c++)
            {
                var inside = c >= 5 && c < 15 && r >= 3 && r < 13;
                var v = values[r * 20 + c];
                if (inside)
                {
                    Assert.Equal(1 + (c - 5) + 10 * (r - 3), v);
                }
                else
                {
                    Assert.True(float.IsNaN(v), $"({c},{r}) should be outside");
                }
            }
        }
    }

    [Fact]
    public void CoarserGrid_IsWarped_NearestRepeatsEachPixel()
    {
        using var temp = new TempFolder();
        var reference = SyntheticRaster.Grid(8, 8, pixel: 10);
        var coarse = SyntheticRaster.Write<ushort>(temp.File("c.tif"), SyntheticRaster.Grid(4, 4, pixel: 20), (c, r) => (ushort)(10 * r + c + 1));
        var aligned = GridAligner.Align(new BandSource("c", coarse, Scale: 2, Offset: 1), reference, Resampling.Nearest);
        Assert.True(aligned.IsWarped);

        using var reader = new AlignedReader();
        var values = new float[64];
        reader.Read(aligned, reference.FullWindow, values);
        for (var r = 0; r < 8; r++)
        {
            for (var c = 0; c < 8; c++)
            {
                Assert.Equal((10 * (r / 2) + c / 2 + 1) * 2 + 1, values[r * 8 + c]);
            }
        }
    }

    [Fact]
    public void InputInAnotherCrs_IsReprojected_OnlyWhereItCovers()
    {
        using var temp = new TempFolder();
        var reference = SyntheticRaster.Grid(50, 50, pixel: 10); // 500 m square in UTM 33N at lon ~15°E
        using var utm = SpatialReference.FromUserInput("EPSG:32633");
        using var wgs84 = SpatialReference.Wgs84();
        var lonLat = utm.TransformBounds(wgs84, reference.Bounds);
        // A lon/lat raster covering the western half of the reference area, constant 7.
        var geo = new RasterGrid(30, 60, new GeoTransform(lonLat.MinX - 0.001, (lonLat.Width / 2 + 0.001) / 30, 0,
            lonLat.MaxY + 0.001, 0, -(lonLat.Height + 0.002) / 60), wgs84.Wkt);
        var path = SyntheticRaster.Write<byte>(temp.File("geo.tif"), geo, (c, r) => 7);

        var aligned = GridAligner.Align(new BandSource("g", path), reference, Resampling.Nearest);
        Assert.True(aligned.IsWarped);
        using var reader = new AlignedReader();
        var values = new float[2500];
        reader.Read(aligned, reference.FullWindow, values);
        Assert.Equal(7f, values[25 * 50 + 5]);       // west: covered
        Assert.True(float.IsNaN(values[25 * 50 + 45])); // east: not covered
        Assert.All(values, v => Assert.True(float.IsNaN(v) || v == 7f));
    }

    [Fact]
    public void NonOverlappingInput_IsRefused_NamingTheInput()
    {
        using var temp = new TempFolder();
        var reference = SyntheticRaster.Grid(10, 10);
        var far = SyntheticRaster.Write<byte>(temp.File("far.tif"), SyntheticRaster.Grid(10, 10, originX: 600_000), (c, r) => 1);
        var e = Assert.Throws<GridAlignmentException>(() => GridAligner.Align(new BandSource("red", far), reference, Resampling.Nearest));
        Assert.Contains("red", e.Message);
        Assert.Contains("does not overlap", e.Message);

        var farPixelSize = SyntheticRaster.Write<byte>(temp.File("far2.tif"), SyntheticRaster.Grid(10, 10, pixel: 20, originX: 700_000), (c, r) => 1);
        Assert.Throws<GridAlignmentException>(() => GridAligner.Align(new BandSource("nir", farPixelSize), reference, Resampling.Nearest));
    }
}
