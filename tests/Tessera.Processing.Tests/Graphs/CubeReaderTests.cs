using System.Globalization;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Processing.Graphs.Evaluation;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Graphs;

/// <summary>
/// A lazy cube read on another grid computes only what that grid covers: on the cube's own lattice it gives the cells
/// the whole written cube has (no data beyond its edge); on a Web Mercator tile it gives what gdalwarp (nearest, exact
/// transformation) makes of the whole written cube; a tile of a cube of a million by a million pixels comes back at
/// once, as does a zoomed-out tile over all of it (computed on a coarser grid), which no whole computation could.
/// </summary>
public sealed class CubeReaderTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>(nir - red) / (nir + red) over two synthetic 10 m bands of 300 x 200 pixels (red 0 at one corner: nodata there).</summary>
    private DataCube Ndvi(RasterGrid? grid = null)
    {
        var files = SyntheticRaster.Grid(300, 200);
        var nir = SyntheticRaster.Write<ushort>(_root.File("nir.tif"), files, (c, r) => (ushort)(1000 + 7 * c + 3 * r));
        var red = SyntheticRaster.Write<ushort>(_root.File("red.tif"), files, (c, r) => (ushort)(c < 5 && r < 5 ? 0 : 400 + 2 * c + 5 * r), noData: 0);
        var (n, d) = (new Leaf(0), new Leaf(1));
        var ndvi = new Binary("divide", new Binary("subtract", n, d), new Binary("add", n, d));
        return new DataCube(grid ?? files, null, null, [ndvi], [new BandSource("nir", nir), new BandSource("red", red)], new Dictionary<string, string>());
    }

    private string Written(DataCube cube)
    {
        var path = _root.File($"whole-{Guid.NewGuid():N}.tif");
        CubeWriter.Write(new SavedResult(cube, "GTiff", []), path, "save", null, CancellationToken.None);
        return path;
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void AWindowOnTheLattice_HasTheWholeCubesCells_AndNoDataBeyondItsEdge()
    {
        var cube = Ndvi();
        var whole = SyntheticRaster.ReadAll(Written(cube));
        var t = cube.Grid.Transform;
        // 40 x 30 cells from column 280, row -10: 20 columns and 20 rows inside the cube.
        var target = new RasterGrid(40, 30, t with { OriginX = t.OriginX + 280 * t.PixelWidth, OriginY = t.OriginY - 10 * t.PixelHeight }, cube.Grid.CrsWkt);

        var planes = CubeReader.Read(cube, target)!;

        var plane = Assert.Single(planes);
        for (var r = 0; r < 30; r++)
        {
            for (var c = 0; c < 40; c++)
            {
                var (col, row) = (280 + c, r - 10);
                var expected = col < 300 && row >= 0 ? whole[row * 300 + col] : float.NaN;
                Assert.Equal(expected, plane[r * 40 + c]);
            }
        }
        Assert.Null(CubeReader.Read(cube, target with { Transform = t with { OriginX = t.OriginX - 100 * t.PixelWidth } })); // beside the cube
    }

    [Fact]
    public void AWebMercatorTile_IsWhatGdalwarpMakesOfTheWholeCube()
    {
        var cube = Ndvi();
        var whole = Written(cube);
        using var utm = SpatialReference.FromWkt(cube.Grid.CrsWkt);
        using var mercator = SpatialReference.FromUserInput("EPSG:3857");
        var box = utm.TransformBounds(mercator, cube.Grid.Bounds);
        // A tile-like grid of 5 m pixels over the cube's north-west part and beyond it (its corner outside).
        var pixel = 5.0;
        var grid = new RasterGrid(256, 256, new GeoTransform(box.MinX - 300, pixel, 0, box.MaxY + 200, 0, -pixel), Raster.Tiles.WebMercator.Wkt);
        var b = grid.Bounds;
        var expected = _root.File("gdalwarp.tif");
        ExternalTool.Run("gdalwarp", "-q", "-t_srs", "EPSG:3857", "-te", F(b.MinX), F(b.MinY), F(b.MaxX), F(b.MaxY), "-ts", "256", "256",
            "-r", "near", "-et", "0", "-dstnodata", "nan", whole, expected);

        var planes = CubeReader.Read(cube, grid)!;

        var reference = SyntheticRaster.ReadAll(expected);
        Assert.Equal(reference.Select(v => float.IsNaN(v)), planes[0].Select(v => float.IsNaN(v)));
        Assert.Equal(reference, planes[0]);
        Assert.Contains(reference, float.IsNaN);
        Assert.True(reference.Count(float.IsFinite) > 20_000);
    }

    [Fact]
    public void ATileOfAnImmenseCube_ComputesOnlyItsPixels_AndAZoomedOutOneAnOverview()
    {
        // A cube of 1 m cells, a million a side (a million million cells), whose band files are the small 10 m ones.
        var files = SyntheticRaster.Grid(300, 200);
        var immense = new RasterGrid(1_000_000, 1_000_000, new GeoTransform(files.Transform.OriginX - 500_000, 1, 0, files.Transform.OriginY + 400_000, 0, -1),
            files.CrsWkt);
        var cube = Ndvi(immense);
        var small = Ndvi();
        var whole = SyntheticRaster.ReadAll(Written(small));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // 256 x 256 cells from 1 000 m east and 500 m south of the files' corner: each is the 10 m cell it lies in.
        var t = immense.Transform;
        var tile = new RasterGrid(256, 256, t with { OriginX = files.Transform.OriginX + 1000, OriginY = files.Transform.OriginY - 500 }, immense.CrsWkt);
        var planes = CubeReader.Read(cube, tile)!;
        output.WriteLine($"a 256 x 256 tile of a 1 000 000 x 1 000 000 cube: {clock.Elapsed.TotalMilliseconds:0} ms");
        for (var r = 0; r < 256; r += 17)
        {
            for (var c = 0; c < 256; c += 13)
            {
                Assert.Equal(whole[(50 + r / 10) * 300 + 100 + c / 10], planes[0][r * 256 + c]);
            }
        }
        // Far from the band files: nothing to read, nothing computed.
        Assert.Null(CubeReader.Read(cube, tile with { Transform = tile.Transform with { OriginX = t.OriginX + 10 } }));

        // All of it in 512 x 512 cells of about 2 km: the files' 3 x 2 km come out as a few cells with data.
        var overview = new RasterGrid(512, 512, t with { PixelWidth = 1953.125, PixelHeight = -1953.125 }, immense.CrsWkt);
        var before = clock.Elapsed;
        var coarse = CubeReader.Read(cube, overview)!;
        output.WriteLine($"all of it in 512 x 512 cells: {(clock.Elapsed - before).TotalMilliseconds:0} ms");
        var valid = coarse[0].Count(float.IsFinite);
        Assert.InRange(valid, 1, 6);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), clock.Elapsed.ToString());
    }
}
