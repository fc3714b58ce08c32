using Tessera.Processing.Clouds;
using Tessera.Raster.Output;
using Tessera.TestSupport;

namespace Tessera.Processing.Tests.Clouds;

/// <summary>Multi-temporal composites of the Slovenia NDVI series with its cloud masks, against numpy.</summary>
public sealed class CompositorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [SampleDataTheory]
    [InlineData(CompositeMethod.Median, new[] { 47, 48, 49 })] // 0 %, 47 %, 0 % cloud
    [InlineData(CompositeMethod.Median, new[] { 2, 3, 15, 48 })] // two cloudy dates, two partly cloudy: an even count in places
    [InlineData(CompositeMethod.Clearest, new[] { 48, 15, 47 })]
    public void Composite_OfTheClearObservations_EqualsNumpy(CompositeMethod method, int[] dates)
    {
        var ndvi = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var clm = SampleData.File("S2_slovenia_CLM_68dates.tif");
        var output = _folder.File("composite.tif");

        Compositor.Run(dates.Select(d => $"{ndvi}@{d}").ToList(), dates.Select(d => $"{clm}@{d}").ToList(), new CloudMask(CloudMaskKind.Raster),
            method, output, new OutputOptions(OutputFormats.GTiff));

        var result = PythonReference.Run("composite_reference.py", new { values = ndvi, masks = clm, bands = dates, output, method = method.ToString().ToLowerInvariant() });
        Assert.True(result.GetProperty("maskEqual").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("maxAbsDiff").GetDouble() <= 1e-7, result.ToString());
        Assert.True(result.GetProperty("valid").GetInt32() > 5000, result.ToString());
    }

    [SampleDataFact]
    public void MasksMustMatchTheImages()
    {
        var ndvi = SampleData.File("S2_slovenia_NDVI_68dates.tif");
        var error = Assert.Throws<Tessera.Raster.RasterArgumentException>(() =>
            Compositor.Run([$"{ndvi}@1", $"{ndvi}@2"], [$"{SampleData.File("S2_slovenia_CLM_68dates.tif")}@1"], new CloudMask(CloudMaskKind.Raster),
                CompositeMethod.Median, _folder.File("x.tif")));
        Assert.Equal("give one mask per image: 2 image(s), 1 mask(s)", error.Message);
        Assert.Empty(_folder.Files());
    }

    public void Dispose() => _folder.Dispose();
}
