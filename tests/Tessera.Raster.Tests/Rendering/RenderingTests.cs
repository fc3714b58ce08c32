using Tessera.Raster.Rendering;
using Tessera.TestSupport;

namespace Tessera.Raster.Tests.Rendering;

/// <summary>Colormaps, stretches, RGBA rendering and image encoding; images are decoded by GDAL and compared pixel for pixel.</summary>
public sealed class RenderingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>Decodes an encoded image with GDAL: RGBA planes.</summary>
    private byte[][] Decode(byte[] image, string extension)
    {
        var path = _folder.File($"{Guid.NewGuid():N}.{extension}");
        File.WriteAllBytes(path, image);
        using var ds = RasterDataset.Open(path);
        return Enumerable.Range(1, ds.BandCount).Select(b =>
        {
            var plane = new byte[ds.Width * ds.Height];
            ds.Read<byte>(b, new Window(0, 0, ds.Width, ds.Height), plane);
            return plane;
        }).ToArray();
    }

    [Fact]
    public void Colormaps_RunFromTheirFirstToTheirLastStop()
    {
        Assert.Equal(((byte)165, (byte)0, (byte)38), Colormap.RdYlGn[0]);
        Assert.Equal(((byte)0, (byte)104, (byte)55), Colormap.RdYlGn[255]);
        Assert.Equal(((byte)68, (byte)1, (byte)84), Colormap.Viridis[0]);
        Assert.Equal(((byte)128, (byte)128, (byte)128), Colormap.Greys[128]);
        Assert.Same(Colormap.Viridis, Colormap.Parse(" VIRIDIS "));
        Assert.Equal("unknown colormap 'jet'; use rdylgn, viridis, greys, blues", Assert.Throws<RasterArgumentException>(() => Colormap.Parse("jet")).Message);
    }

    [Fact]
    public void ValueRange_MapsValuesToRampIndices_AndParsesRescale()
    {
        var range = new ValueRange(-1, 1);
        Assert.Equal(0, range.Index(-1));
        Assert.Equal(0, range.Index(-7));
        Assert.Equal(128, range.Index(0));
        Assert.Equal(255, range.Index(1));
        Assert.Equal(255, range.Index(42));
        Assert.Equal(new ValueRange(0, 3000), ValueRange.Parse("0,3000"));
        Assert.Equal(new ValueRange(-0.5, 1e3), ValueRange.Parse("-0.5,1e3"));
        foreach (var bad in new[] { "1", "1,1", "2,1", "a,b", "0,nan", "1,2,3" })
        {
            Assert.Throws<RasterArgumentException>(() => ValueRange.Parse(bad));
        }
    }

    [Fact]
    public void Percentiles_IgnoreNoData_AndWidenAFlatImage()
    {
        var values = Enumerable.Range(0, 101).Select(i => (float)i).Concat([float.NaN, float.NaN, float.PositiveInfinity]).ToArray();
        Assert.Equal(new ValueRange(2, 98), ValueRange.Percentiles(values));
        Assert.Equal(new ValueRange(4.5, 5.5), ValueRange.Percentiles(new float[] { 5, 5, 5 }));
        Assert.Null(ValueRange.Percentiles(new[] { float.NaN }));
    }

    [Fact]
    public void Render_Colormap_MakesNoDataTransparent_AndPngKeepsEveryPixel()
    {
        float[] values = [-1, 0, 1, float.NaN, 0.5f, -0.5f];
        var rgba = Renderer.Render(new ColormapStyle(1, Colormap.RdYlGn, new ValueRange(-1, 1)), [values], 3, 2);
        Assert.Equal(new byte[] { 165, 0, 38, 255 }, rgba[..4]);
        Assert.Equal(new byte[] { 0, 104, 55, 255 }, rgba[8..12]);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, rgba[12..16]);

        var png = ImageEncoder.Encode(rgba, 3, 2, ImageFormat.Png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        var planes = Decode(png, "png");
        Assert.Equal(4, planes.Length);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(rgba[(i * 4)..(i * 4 + 4)], planes.Select(p => p[i]).ToArray());
        }
    }

    [Fact]
    public void Render_Rgb_StretchesEachBandOverItsRange()
    {
        var rgba = Renderer.Render(new RgbStyle(1, 2, 3, new ValueRange(0, 100), new ValueRange(0, 10), new ValueRange(-1, 1)),
            [[0f, 100f], [10f, 5f], [float.NaN, 0f]], 2, 1);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 255, 128, 128, 255 }, rgba);
    }

    [Fact]
    public void Webp_IsWrittenWhenGdalHasTheDriver()
    {
        Assert.True(ImageEncoder.CanEncode(ImageFormat.Webp)); // Debian's GDAL has it
        var rgba = Renderer.Render(new ColormapStyle(1, Colormap.Greys, new ValueRange(0, 1)), [new float[64 * 64]], 64, 64);
        var webp = ImageEncoder.Encode(rgba, 64, 64, ImageFormat.Webp);
        Assert.Equal("RIFF"u8.ToArray(), webp[..4]);
        Assert.Equal("WEBP"u8.ToArray(), webp[8..12]);
    }

    [Fact]
    public void Npy_HasNumpysHeader_AndLittleEndianFloats()
    {
        var npy = ImageEncoder.EncodeNpy([[1f, 2f, 3f, float.NaN, 5f, 6f]], 3, 2);
        Assert.Equal(0x93, npy[0]);
        Assert.Equal("NUMPY"u8.ToArray(), npy[1..6]);
        var headerLength = BitConverter.ToUInt16(npy, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = System.Text.Encoding.ASCII.GetString(npy, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(2f, BitConverter.ToSingle(npy, 10 + headerLength + 4));
        Assert.True(float.IsNaN(BitConverter.ToSingle(npy, 10 + headerLength + 12)));
    }

    [Fact]
    public void Preview_OfAnIndex_UsesItsKnownStyle_AndIsTransparentWhereThereIsNoData()
    {
        var path = SyntheticRaster.Write<float>(_folder.File("ndvi.tif"), SyntheticRaster.Grid(200, 100),
            (c, r) => c < 10 ? float.NaN : c < 100 ? -0.5f : 0f, description: "NDVI");
        using (var ds = RasterDataset.Open(path, update: true))
        {
            ds.SetNoData(1, double.NaN);
        }

        // Without a known style for its band: viridis over the values' own range.
        Assert.Equal("viridis", Preview.Render(path, maxSide: 100).Legend.Colormap);
        // With one (the caller's: an operation's rendering, looked up by the band's description).
        KnownStyle known = d => d == "NDVI" ? (Colormap.RdYlGn, new ValueRange(-1, 1)) : null;
        var preview = Preview.Render(path, maxSide: 100, known);

        Assert.Equal((100, 50), (preview.Width, preview.Height));
        Assert.Equal(("colormap", "rdylgn", -1.0, 1.0, "NDVI"), (preview.Legend.Kind, preview.Legend.Colormap, preview.Legend.Min!.Value, preview.Legend.Max!.Value, preview.Legend.Title));
        Assert.Equal("#a50026", preview.Legend.Colors![0]);
        Assert.Equal("#006837", preview.Legend.Colors[^1]);
        var planes = Decode(preview.Png, "png");
        Assert.Equal(0, planes[3][0]); // column 0: no data
        Assert.Equal(255, planes[3][50]);
        Assert.Equal(Colormap.RdYlGn[128], (planes[0][50], planes[1][50], planes[2][50])); // value 0: the middle of the ramp
        Assert.Equal(Colormap.RdYlGn[64], (planes[0][25], planes[1][25], planes[2][25])); // -0.5
    }

    [SampleDataFact]
    public void Preview_OfAReflectanceBand_IsViridisOverTheMiddle96Percent()
    {
        var preview = Preview.Render(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), maxSide: 256);
        Assert.Equal((256, 256), (preview.Width, preview.Height));
        Assert.Equal("viridis", preview.Legend.Colormap);
        var reference = PythonReference.Run("band_stats.py", new { path = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif") });
        Assert.True(preview.Legend.Min > reference.GetProperty("min").GetDouble(), reference.ToString());
        Assert.True(preview.Legend.Max < reference.GetProperty("max").GetDouble(), reference.ToString());
    }

    public void Dispose() => _folder.Dispose();
}
