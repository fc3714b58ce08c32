using Tessera.Raster.Alignment;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Alignment;

/// <summary>
/// Inputs read at their own resolution and interpolated in memory (<see cref="AlignmentMethod.Interpolate"/>)
/// equal GDAL's warper onto the same grid (gdal.Warp in Python, exact transformation), read here in blocks of
/// odd sizes so that every block edge falls somewhere else in the source.
/// </summary>
public sealed class GridInterpolatorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>Reads <paramref name="aligned"/> over the whole of <paramref name="grid"/> in 97 x 61 blocks and writes it as Float32 with NaN for no data.</summary>
    private string ReadInBlocks(AlignedSource aligned, RasterGrid grid, string name)
    {
        var path = _folder.File(name);
        using var output = RasterDataset.Create(path, "GTiff", grid, 1, RasterDataType.Float32);
        output.SetNoData(1, double.NaN);
        using var reader = new AlignedReader();
        var buffer = new float[97 * 61];
        for (var row = 0; row < grid.Height; row += 61)
        {
            for (var col = 0; col < grid.Width; col += 97)
            {
                var window = new Window(col, row, Math.Min(97, grid.Width - col), Math.Min(61, grid.Height - row));
                var values = buffer.AsSpan(0, (int)window.PixelCount);
                reader.Read(aligned, window, values);
                output.Write(1, window, (ReadOnlySpan<float>)values);
            }
        }
        return path;
    }

    private static void AssertEqualsWarp(string source, string output, Resampling resampling, double? srcNoData, double tolerance)
    {
        var result = PythonReference.Run("warp_reference.py",
            new { source, band = 1, output, resampling = resampling.ToGdal(), srcNodata = srcNoData });
        Assert.True(result.GetProperty("maskEqual").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("maxAbsDiff").GetDouble() <= tolerance, result.ToString());
        Assert.True(result.GetProperty("valid").GetInt32() > 0, result.ToString());
    }

    [SampleDataTheory]
    [InlineData(Resampling.Nearest, 0.0)]
    [InlineData(Resampling.Bilinear, 0.01)]
    public void LandsatMultispectral_OntoThePanGrid_EqualsGdalWarp(Resampling resampling, double tolerance)
    {
        // B4 at 30 m onto the B8 grid at 15 m, which is offset by half a multispectral pixel and overhangs it.
        var ms = SampleData.File("LC80200392015216LGN00_B4.tif");
        RasterGrid pan;
        using (var ds = RasterDataset.Open(SampleData.File("LC80200392015216LGN00_B8.tif")))
        {
            pan = ds.Grid;
        }
        var aligned = GridAligner.Align(new BandSource("B4", ms), pan, resampling, AlignmentMethod.Interpolate);
        Assert.NotNull(aligned.Mapping);
        Assert.Equal(0.5, aligned.Mapping.ColScale);

        AssertEqualsWarp(ms, ReadInBlocks(aligned, pan, $"b4-{resampling}.tif"), resampling, null, tolerance);
    }

    [Theory]
    [InlineData(Resampling.Nearest, 0.0)]
    [InlineData(Resampling.Bilinear, 1e-3)]
    public void NoDataHolesAndEdges_OnAnUnrelatedFinerGrid_EqualGdalWarp(Resampling resampling, double tolerance)
    {
        // A 40 x 30 source at 20 m with a no-data hole and a no-data column, onto a 7 m grid that starts 3.3 m
        // inside it and overhangs its right and bottom edges: fractional phases everywhere.
        var sourceGrid = SyntheticRaster.Grid(40, 30, pixel: 20);
        var source = SyntheticRaster.Write<short>(_folder.File("source.tif"), sourceGrid,
            (c, r) => (short)((c >= 10 && c < 14 && r >= 5 && r < 8) || c == 30 ? -999 : 100 + 7 * c - 3 * r + (c * r % 5)),
            noData: -999);
        var reference = SyntheticRaster.Grid(130, 100, pixel: 7, originX: 500_003.3, originY: 3_999_996.7);

        var aligned = GridAligner.Align(new BandSource("s", source), reference, resampling, AlignmentMethod.Interpolate);
        Assert.NotNull(aligned.Mapping);

        AssertEqualsWarp(source, ReadInBlocks(aligned, reference, $"synthetic-{resampling}.tif"), resampling, -999, tolerance);
    }

    [Fact]
    public void Downsampling_AndOtherKernels_AreLeftToGdal()
    {
        var fine = SyntheticRaster.Write<ushort>(_folder.File("fine.tif"), SyntheticRaster.Grid(40, 40, pixel: 10), (c, r) => 1);
        var coarse = SyntheticRaster.Write<ushort>(_folder.File("coarse.tif"), SyntheticRaster.Grid(10, 10, pixel: 40), (c, r) => 1);
        var fineGrid = SyntheticRaster.Grid(40, 40, pixel: 10);
        var coarseGrid = SyntheticRaster.Grid(10, 10, pixel: 40);

        Assert.Null(GridAligner.Align(new BandSource("f", fine), coarseGrid, Resampling.Bilinear, AlignmentMethod.Interpolate).Mapping);
        Assert.Null(GridAligner.Align(new BandSource("c", coarse), fineGrid, Resampling.Cubic, AlignmentMethod.Interpolate).Mapping);
        Assert.NotNull(GridAligner.Align(new BandSource("c", coarse), fineGrid, Resampling.Bilinear, AlignmentMethod.Interpolate).Mapping);
    }

    public void Dispose() => _folder.Dispose();
}
