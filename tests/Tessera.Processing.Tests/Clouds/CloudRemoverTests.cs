using Tessera.Processing.Clouds;
using Tessera.Raster;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Clouds;

/// <summary>Cloud masks decoded as documented, and cloud removal on the real Slovenia series.</summary>
public sealed class CloudRemoverTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static long CountClouds(string path, CloudMask mask)
    {
        var values = SyntheticRaster.ReadAll(path);
        return values.LongCount(mask.IsCloud);
    }

    [SampleDataFact]
    public void Scl_DefaultClasses_AreCloudShadowCloudsAndCirrus()
    {
        // 29RKH SCL holds classes 2, 5, 7, 8, 9, 10: 967 + 837 + 10434 pixels of 8, 9, 10 (numpy on the file).
        Assert.Equal(967 + 837 + 10434, CountClouds(SampleData.File("S2A_29RKH_20200219_L2A_SCL.tif"), new CloudMask(CloudMaskKind.Scl)));
        Assert.Equal(10434, CountClouds(SampleData.File("S2A_29RKH_20200219_L2A_SCL.tif"), new CloudMask(CloudMaskKind.Scl, new HashSet<int> { 10 })));
    }

    [Theory]
    [InlineData(CloudMaskKind.QaPixel, 21824, false)] // Collection 2: clear (bit 6) and low confidences only
    [InlineData(CloudMaskKind.QaPixel, 22280, true)] // bit 3 cloud, high cloud confidence
    [InlineData(CloudMaskKind.QaPixel, 1, false)] // fill only
    [InlineData(CloudMaskKind.QaPixel, 0b0000_0000_0001_0000, true)] // bit 4 cloud shadow
    [InlineData(CloudMaskKind.QaPixel, 0b0000_0000_0000_0010, true)] // bit 1 dilated cloud
    [InlineData(CloudMaskKind.QaPixel, 0b0000_0000_0000_0100, true)] // bit 2 cirrus
    [InlineData(CloudMaskKind.Bqa, 20480, false)] // pre-collection: cloud confidence low (01), cirrus low (01)
    [InlineData(CloudMaskKind.Bqa, 36864, true)] // cloud confidence medium (10)
    [InlineData(CloudMaskKind.Bqa, 53248, true)] // cloud confidence high (11)
    [InlineData(CloudMaskKind.Bqa, 28672, true)] // cirrus confidence high (bits 12-13 = 11), cloud low
    [InlineData(CloudMaskKind.Raster, 0, false)]
    [InlineData(CloudMaskKind.Raster, 7, true)]
    public void QaBits_AreDecodedAsDocumented(CloudMaskKind kind, int value, bool cloud) =>
        Assert.Equal(cloud, new CloudMask(kind).IsCloud(value));

    [SampleDataFact]
    public void Landsat_QaPixel_OfTheCloudedScene_IsAlmostAllCloud()
    {
        var path = SampleData.File("LC08_L2SP_001062_20201031_20201106_02_T2_QA_PIXEL.tif");
        var values = SyntheticRaster.ReadAll(path);
        var notFill = values.LongCount(v => v != 1);
        Assert.InRange(CountClouds(path, new CloudMask(CloudMaskKind.QaPixel)) / (double)notFill, 0.999, 1.0); // the README: 99.94 % cloud
    }

    [SampleDataTheory]
    [InlineData(0, 0)]
    [InlineData(0, 3)]
    [InlineData(2, 3)]
    public void SloveniaNdvi_CloudsComeFromTheClearDate_AndFarPixelsAreUnchanged(int dilate, int feather)
    {
        var ndvi = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var clm = SampleData.File("S2_slovenia_CLM_68dates.tif");
        var output = _folder.File("filled.tif");

        // 2017-07-15 (band 48, 47 % cloud) filled from 2017-07-10 (band 47, clear).
        var report = CloudRemover.Run(new CloudRemovalRequest($"{ndvi}@48", $"{ndvi}@47", $"{clm}@48", new CloudMask(CloudMaskKind.Raster), output,
            dilate, feather, new OutputOptions(OutputFormats.GTiff)));

        var check = PythonReference.Run("cloud_reference.py", new
        {
            cloudy = new object[] { ndvi, 48 }, clear = new object[] { ndvi, 47 }, mask = new object[] { clm, 48 }, output, dilate, feather,
        });
        Assert.Equal(check.GetProperty("pixels").GetInt64(), report.Pixels);
        if (dilate == 0)
        {
            Assert.Equal(check.GetProperty("cloud").GetInt64(), report.Cloud);
        }
        Assert.InRange(report.Cloud / (double)report.Pixels, dilate == 0 ? 0.40 : 0.45, dilate == 0 ? 0.55 : 0.95);
        Assert.Equal(report.Cloud, report.Replaced);
        Assert.Equal(0, report.LeftCloudy);
        Assert.Equal(0, check.GetProperty("maxChangeFar").GetDouble()); // beyond the feather: exactly as before
        Assert.True(check.GetProperty("far").GetInt64() > 1000, check.ToString());
        Assert.True(check.GetProperty("maxResidualCloud").GetDouble() < 1e-6, check.ToString()); // one linear function of the clear date
        var fit = Assert.Single(report.Fits);
        Assert.Equal(fit.Gain, check.GetProperty("gain").GetDouble(), 5);
        Assert.Equal(fit.Offset, check.GetProperty("offset").GetDouble(), 5);
        Assert.True(fit.Samples > 1000);
    }

    public void Dispose() => _folder.Dispose();
}
