using Tessera.Processing.Mosaic;
using Tessera.Raster;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Mosaic;

/// <summary>Mosaics of real Landsat scenes against gdalwarp (same order, resampling and grid), and the combining rules.</summary>
public sealed class MosaickerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static readonly OutputOptions Plain = new(OutputFormats.GTiff);

    [SampleDataTheory]
    [InlineData("L8_mosaic_cog1_utm18n.tif", "L8_mosaic_cog2_utm18n.tif", MosaicMethod.First, null)] // same CRS, unaligned grids
    [InlineData("L8_mosaic_cog1_utm18n.tif", "L8_mosaic_cog2_utm18n.tif", MosaicMethod.Last, null)]
    [InlineData("L8_mosaic_cog1_utm18n.tif", "L8_mosaic_cog2_epsg4326.tif", MosaicMethod.First, null)] // UTM + lon/lat, onto UTM
    [InlineData("L8_mosaic_cog1_utm18n.tif", "L8_mosaic_cog2_epsg4326.tif", MosaicMethod.Last, "EPSG:4326")] // onto lon/lat
    public void FirstAndLast_EqualGdalwarpInTheSameOrder(string a, string b, MosaicMethod method, string? crs)
    {
        string[] inputs = [SampleData.File(a), SampleData.File(b)];
        var output = _folder.File("mosaic.tif");

        var plan = Mosaicker.Run(new MosaicRequest(inputs, output, method, Plain, crs)).Plan;

        var result = PythonReference.Run("mosaic_reference.py", new { inputs, output, method = method.ToString().ToLowerInvariant() });
        Assert.Equal(3, result.GetProperty("bands").GetArrayLength());
        Assert.All(result.GetProperty("bands").EnumerateArray(), band =>
        {
            Assert.Equal(0, band.GetProperty("differing").GetInt32());
            Assert.True(band.GetProperty("valid").GetInt32() > 400_000, result.ToString());
        });
        using var mosaic = RasterDataset.Open(output);
        Assert.Equal((plan.Grid.Width, plan.Grid.Height), (mosaic.Width, mosaic.Height));
        Assert.Equal(0, mosaic.Band(1).NoData);
    }

    [Theory]
    [InlineData(MosaicMethod.First)]
    [InlineData(MosaicMethod.Last)]
    public void FirstAndLast_OnASharedNonSquareGrid_KeepTheGridAndEqualGdalwarp(MosaicMethod method)
    {
        var inputs = NonSquareTiles();
        var output = _folder.File("mosaic.tif");

        Mosaicker.Run(new MosaicRequest(inputs, output, method, Plain));

        var reference = PythonReference.Run("mosaic_grid_reference.py", new { inputs, output, method = method.ToString().ToLowerInvariant() });
        using var mosaic = RasterDataset.Open(output);
        // The tiles span columns -10..75 and rows -7..62 of their grid, whose corner (500000, 4000000) is a pixel corner.
        Assert.Equal((85, 69), (mosaic.Width, mosaic.Height));
        Assert.Equal((reference.GetProperty("width").GetInt32(), reference.GetProperty("height").GetInt32()), (mosaic.Width, mosaic.Height));
        var expected = reference.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var actual = mosaic.GeoTransform.ToArray();
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], actual[i], 6);
        }
        Assert.Equal((30.0, -29.97), (actual[1], actual[5]));
        Assert.Equal(500_000 - 10 * 30.0, actual[0], 6);
        Assert.Equal(4_000_000 + 7 * 29.97, actual[3], 6);
        var band = Assert.Single(reference.GetProperty("bands").EnumerateArray());
        Assert.Equal(0, band.GetProperty("differing").GetInt32());
        Assert.Equal(0, band.GetProperty("maskDiffering").GetInt32());
        Assert.True(band.GetProperty("valid").GetInt32() > 3000 && band.GetProperty("empty").GetInt32() > 1000, reference.ToString());
        Assert.Equal(0, mosaic.Band(1).NoData);
    }

    [Fact]
    public void AnExplicitResolution_OnASharedNonSquareGrid_GivesSquarePixels()
    {
        var inputs = NonSquareTiles();
        var output = _folder.File("square.tif");

        var plan = Mosaicker.Run(new MosaicRequest(inputs, output, MosaicMethod.First, Plain, Resolution: 30)).Plan;

        Assert.Equal((30.0, -30.0), (plan.Grid.Transform.PixelWidth, plan.Grid.Transform.PixelHeight));
        var result = PythonReference.Run("mosaic_reference.py", new { inputs, output, method = "first" });
        Assert.Equal(0, Assert.Single(result.GetProperty("bands").EnumerateArray()).GetProperty("differing").GetInt32());
    }

    /// <summary>
    /// Three overlapping UInt16 tiles on one UTM grid of 30 x 29.97 m pixels (no data 0): each its own values,
    /// with a hole where the tiles under it show through; the union's corners are covered by none.
    /// </summary>
    private string[] NonSquareTiles()
    {
        (string Name, int Col, int Row, int Width, int Height)[] tiles = [("a", 0, 0, 50, 40), ("b", 30, 25, 45, 37), ("c", -10, -7, 20, 60)];
        return tiles.Select((t, k) =>
        {
            var grid = SyntheticRaster.Grid(t.Width, t.Height, pixel: 30, originX: 500_000 + t.Col * 30.0, originY: 4_000_000 - t.Row * 29.97,
                pixelHeight: 29.97);
            return SyntheticRaster.Write<ushort>(_folder.File($"{t.Name}.tif"), grid,
                (c, r) => c is >= 8 and < 14 && r is >= 5 and < 30 ? (ushort)0 : (ushort)(1000 * (k + 1) + (c * 7 + r * 13) % 97 + 1), noData: 0);
        }).ToArray();
    }

    [SampleDataFact]
    public void TheGrid_CoversBothFootprints_OnTheFirstInputsLattice()
    {
        var plan = MosaicPlan.Make(new MosaicRequest([SampleData.File("L8_mosaic_cog1_utm18n.tif"), SampleData.File("L8_mosaic_cog2_utm18n.tif")], "x.tif"));
        // cog1: x 425085 .. 425085 + 779 px, y down from 5215515; cog2 reaches x 547185 + 770 px.
        Assert.Equal(425085, plan.Grid.Transform.OriginX, 6);
        Assert.True(plan.Grid.Transform.OriginY >= 5216115, "the grid starts at the northernmost edge");
        Assert.True(plan.Grid.Bounds.MaxX >= 547185 + 770 * 300.038682773945538 - 1e-6);
        Assert.Equal(0, (plan.Grid.Transform.OriginY - 5215515) / 300.038239038384006 % 1, 6); // whole pixels of the first input
        // The size from the two headers: from cog1's west edge to cog2's east edge, from the northernmost to the
        // southernmost edge, in cog1's pixels.
        using var a = RasterDataset.Open(SampleData.File("L8_mosaic_cog1_utm18n.tif"));
        using var b = RasterDataset.Open(SampleData.File("L8_mosaic_cog2_utm18n.tif"));
        var res = a.GeoTransform.PixelWidth;
        var width = (int)Math.Ceiling((b.Grid.Bounds.MaxX - a.Grid.Bounds.MinX) / res - 1e-9);
        var top = a.Grid.Bounds.MaxY + Math.Ceiling((Math.Max(a.Grid.Bounds.MaxY, b.Grid.Bounds.MaxY) - a.Grid.Bounds.MaxY) / res - 1e-9) * res;
        var bottom = a.Grid.Bounds.MaxY - Math.Ceiling((a.Grid.Bounds.MaxY - Math.Min(a.Grid.Bounds.MinY, b.Grid.Bounds.MinY)) / res - 1e-9) * res;
        var height = (int)Math.Round((top - bottom) / res);
        Assert.Equal((width, height), (plan.Grid.Width, plan.Grid.Height));
        Assert.Equal($"{width} x {height} pixels x 3 band(s) of UInt16 = {(long)width * height * 3:N0} values, about 0.0 GB uncompressed", plan.Describe());
    }

    [SampleDataFact]
    public void AnOversizedMosaic_IsRefused_WithTheEstimate()
    {
        var request = new MosaicRequest([SampleData.File("L8_mosaic_cog1_utm18n.tif"), SampleData.File("L8_mosaic_cog2_utm18n.tif")],
            _folder.File("big.tif"), Resolution: 1, MaxPixels: 1_000_000_000);
        var error = Assert.Throws<RasterArgumentException>(() => Mosaicker.Run(request));
        Assert.StartsWith("the mosaic would be 353", error.Message);
        Assert.EndsWith("more than the limit of 1,000,000,000; choose a coarser resolution or raise the limit", error.Message);
        Assert.Empty(_folder.Files());
    }

    [SampleDataFact]
    public void Feather_BlendsAcrossTheSeams_WhereFirstAndLastStep()
    {
        string[] inputs = [SampleData.File("L8_mosaic_cog1_utm18n.tif"), SampleData.File("L8_mosaic_cog2_utm18n.tif")];
        var mosaics = new Dictionary<string, string>();
        foreach (var method in new[] { MosaicMethod.First, MosaicMethod.Last, MosaicMethod.Feather })
        {
            var path = _folder.File($"{method}.tif");
            Mosaicker.Run(new MosaicRequest(inputs, path, method, Plain));
            mosaics[method.ToString().ToLowerInvariant()] = path;
        }

        var result = PythonReference.Run("seam_steps.py", new { inputs, mosaics });
        var steps = result.GetProperty("steps");
        double Step(string mosaic, string seam) => steps.GetProperty(mosaic).GetProperty(seam).GetDouble();
        Assert.True(result.GetProperty("seamPixels").GetProperty("a").GetInt32() > 500, result.ToString());
        // Where first switches from the first scene to the second (seam a), and last the other way (seam b).
        Assert.True(Step("feather", "a") < Step("first", "a"), result.ToString());
        Assert.True(Step("feather", "b") < Step("last", "b"), result.ToString());
    }

    [Fact]
    public void Feather_RampsFromOneInputToTheOtherOverTheOverlap()
    {
        // 0 on columns 0..59 and 100 on columns 40..99 of one grid: they overlap on 40..59 (far from the top and bottom).
        var grid = SyntheticRaster.Grid(100, 100);
        var low = SyntheticRaster.Write<float>(_folder.File("low.tif"), grid, (c, r) => c < 60 ? 0f : float.NaN, noData: double.NaN);
        var high = SyntheticRaster.Write<float>(_folder.File("high.tif"), grid, (c, r) => c >= 40 ? 100f : float.NaN, noData: double.NaN);
        var output = _folder.File("ramp.tif");

        Mosaicker.Run(new MosaicRequest([low, high], output, MosaicMethod.Feather, Plain, FeatherWidth: 64));

        var row = SyntheticRaster.ReadAll(output).AsSpan(50 * 100, 100).ToArray();
        Assert.Equal(0f, row[30]); // only the low input
        Assert.Equal(100f, row[70]); // only the high input
        for (var c = 40; c < 60; c++)
        {
            Assert.True(row[c] > row[c - 1], $"column {c}: {row[c]} after {row[c - 1]}: not rising across the overlap");
        }
        Assert.InRange(row[49], 40f, 60f); // the middle of the overlap: half and half
    }

    [Theory]
    [InlineData(MosaicMethod.First, 1f)]
    [InlineData(MosaicMethod.Last, 3f)]
    [InlineData(MosaicMethod.Min, 1f)]
    [InlineData(MosaicMethod.Max, 5f)]
    [InlineData(MosaicMethod.Mean, 3f)]
    public void Methods_CombineOnlyValidValues(MosaicMethod method, float expected)
    {
        // Three 4x4 inputs on one grid: 1 (left half valid), 5 (right half valid), 3 (all valid); one pixel nowhere valid.
        var grid = SyntheticRaster.Grid(4, 4);
        var a = SyntheticRaster.Write<float>(_folder.File("a.tif"), grid, (c, r) => c < 2 && r < 3 ? 1f : float.NaN, noData: double.NaN);
        var b = SyntheticRaster.Write<float>(_folder.File("b.tif"), grid, (c, r) => c >= 1 && r < 3 ? 5f : float.NaN, noData: double.NaN);
        var c3 = SyntheticRaster.Write<float>(_folder.File("c.tif"), grid, (c, r) => r < 3 ? 3f : c == 0 ? 3f : float.NaN, noData: double.NaN);
        var output = _folder.File("out.tif");

        Mosaicker.Run(new MosaicRequest([a, b, c3], output, method, Plain));

        var values = SyntheticRaster.ReadAll(output);
        Assert.Equal(expected, values[1]); // row 0, column 1: all three valid (1, 5, 3)
        Assert.Equal(3f, values[12]); // row 3, column 0: only the third
        Assert.True(float.IsNaN(values[15]), "no valid input: no data"); // row 3, column 3
    }

    [SampleDataFact]
    public void Harmonize_FitsTheSecondSceneToTheFirst_OnTheOverlap_AndSoftensTheSeam()
    {
        // The Quebec scenes were taken on different dates: the overlap's values differ.
        string[] inputs = [SampleData.File("L8_mosaic_cog1_utm18n.tif"), SampleData.File("L8_mosaic_cog2_utm18n.tif")];
        var (plain, harmonized) = (_folder.File("plain.tif"), _folder.File("harmonized.tif"));
        Mosaicker.Run(new MosaicRequest(inputs, plain, MosaicMethod.First, Plain, OutputType: RasterDataType.Float32));
        var result = Mosaicker.Run(new MosaicRequest(inputs, harmonized, MosaicMethod.First, Plain, OutputType: RasterDataType.Float32, Harmonize: true));

        var fits = result.Harmonization!;
        Assert.All(fits[0], f => Assert.Equal((1.0, 0.0), (f.Gain, f.Offset))); // the reference
        var expected = PythonReference.Run("harmonize_reference.py", new { inputs, output = harmonized }).GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal(3, expected.Count);
        for (var b = 0; b < 3; b++)
        {
            var (gain, offset) = (expected[b].GetProperty("gain").GetDouble(), expected[b].GetProperty("offset").GetDouble());
            Assert.Equal(expected[b].GetProperty("overlap").GetInt64(), fits[1][b].Samples);
            Assert.True(Math.Abs(fits[1][b].Gain - gain) <= 1e-6 * Math.Abs(gain), $"band {b + 1}: gain {fits[1][b].Gain} vs numpy {gain}");
            Assert.True(Math.Abs(fits[1][b].Offset - offset) <= 1e-6 * Math.Max(1, Math.Abs(offset)), $"band {b + 1}: offset {fits[1][b].Offset} vs numpy {offset}");
            Assert.True(Math.Abs(gain - 1) > 0.01 || Math.Abs(offset) > 10, "the scenes differ: the fit is not the identity");
        }

        // Where the first scene is shown nothing changes (as many unchanged pixels as it has data); the step where
        // the mosaic switches to the second scene shrinks.
        var (p, h) = (SyntheticRaster.ReadAll(plain), SyntheticRaster.ReadAll(harmonized));
        var firstScene = SyntheticRaster.ReadAll(inputs[0]).Count(v => v != 0);
        Assert.Equal(firstScene, p.Zip(h).Count(x => x.First != 0 && x.First == x.Second));
        var steps = PythonReference.Run("seam_steps.py", new { inputs, mosaics = new Dictionary<string, string> { ["plain"] = plain, ["harmonized"] = harmonized } })
            .GetProperty("steps");
        var plainStep = steps.GetProperty("plain").GetProperty("a").GetDouble();
        var harmonizedStep = steps.GetProperty("harmonized").GetProperty("a").GetDouble();
        Assert.True(harmonizedStep < plainStep, $"seam step {harmonizedStep} with harmonisation vs {plainStep} without");
        // The second scene keeps its contrast: a gain of the ratio of standard deviations, not a flattening fit.
        Assert.All(fits[1], f => Assert.InRange(f.Gain, 0.3, 3)); // least squares would give 0.05-0.13 here
    }

    [Fact]
    public void Harmonize_ChainsThroughEveryInput_BackToTheFirstsRadiometry()
    {
        // One field seen by three overlapping inputs, each with its own gain and offset; the third overlaps the
        // first only a little and mostly the second, so its fit goes through the second's.
        var grid = SyntheticRaster.Grid(120, 40);
        float Field(int c, int r) => 100 + 3 * c + 2 * r + (c * 7 + r * 13) % 17;
        var a = SyntheticRaster.Write<float>(_folder.File("a.tif"), grid, (c, r) => c < 50 ? Field(c, r) : float.NaN, noData: double.NaN);
        var b = SyntheticRaster.Write<float>(_folder.File("b.tif"), grid, (c, r) => c is >= 40 and < 90 ? 1.5f * Field(c, r) + 40 : float.NaN, noData: double.NaN);
        var c3 = SyntheticRaster.Write<float>(_folder.File("c.tif"), grid, (c, r) => c >= 45 ? 0.8f * Field(c, r) - 25 : float.NaN, noData: double.NaN);
        var output = _folder.File("chain.tif");

        var result = Mosaicker.Run(new MosaicRequest([a, b, c3], output, MosaicMethod.Mean, Plain, Harmonize: true));

        var fits = result.Harmonization!;
        Assert.Equal(1 / 1.5, fits[1][0].Gain, 5);
        Assert.Equal(-40 / 1.5, fits[1][0].Offset, 3);
        Assert.Equal(1 / 0.8, fits[2][0].Gain, 5);
        Assert.Equal(25 / 0.8, fits[2][0].Offset, 3);
        var values = SyntheticRaster.ReadAll(output);
        for (var r = 0; r < 40; r++)
        {
            for (var c = 0; c < 120; c++)
            {
                Assert.True(Math.Abs(values[r * 120 + c] - Field(c, r)) < 0.01, $"({c},{r}): {values[r * 120 + c]} vs {Field(c, r)}");
            }
        }
    }

    public void Dispose() => _folder.Dispose();
}
