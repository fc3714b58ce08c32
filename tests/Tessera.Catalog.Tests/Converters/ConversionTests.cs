using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Catalog.Converters;
using Tessera.Raster;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Converters;

/// <summary>
/// Conversions with real GDAL under the service's file policy (as a worker runs them), checked by GDAL's Python
/// bindings and numpy (<c>cog_conversion.py</c>): every output passes GDAL's COG validator, holds exactly the values of
/// the band it came from (the GeoTIFF crop a lossless JP2 was made of, the band file put in the tar, the NetCDF
/// variable), with its CRS, geotransform and nodata; overviews made anew by nearest values for classes, by averages otherwise; the MTL's scale and
/// offset reach the Landsat bands. Damaged and empty products fail with messages that name what is wrong inside them and
/// no path of the machine.
/// </summary>
[Collection(ProductArchivesCollection.Name)]
public sealed class ConversionTests(ProductArchives products) : IDisposable
{
    private readonly TempFolder _output = new();

    public void Dispose() => _output.Dispose();

    /// <summary>Runs the converter chosen for <paramref name="input"/> as a worker would: the service's file policy in force.</summary>
    private Task<ConversionResult> ConvertAsync(ConversionInput input, string? folder = null) => Task.Run(() =>
    {
        RasterFilePolicy.Apply(RasterFilePolicy.Service);
        var chosen = ConversionManager.Default.Choose(input) ?? throw new InvalidOperationException("no converter");
        var result = ConversionManager.Run(chosen.Converter, input, folder ?? _output.Path, null, CancellationToken.None);
        Assert.Same(RasterFilePolicy.Service, RasterFilePolicy.Current); // the widened policy ended with the conversion
        return result;
    });

    private static JsonElement[] Reference(IEnumerable<(string Output, string Source)> pairs) =>
        PythonReference.Run("cog_conversion.py", new { pairs = pairs.Select(p => new { output = p.Output, source = p.Source }) }).EnumerateArray().ToArray();

    private static void AssertSameRaster(JsonElement check, string what)
    {
        Assert.True(check.GetProperty("errors").GetArrayLength() == 0, $"{what}: {check}");
        Assert.True(check.GetProperty("identical").GetBoolean(), $"{what}: values differ: {check}");
        Assert.True(check.GetProperty("sameCrs").GetBoolean(), $"{what}: CRS differs: {check}");
        Assert.Equal(check.GetProperty("sourceGeoTransform").EnumerateArray().Select(v => v.GetDouble()),
            check.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(check.GetProperty("sourceDataTypes").ToString(), check.GetProperty("dataTypes").ToString());
    }

    [SampleDataFact]
    public async Task ASentinelTwoSafeZip_GivesACogPerBand_AtItsFinestResolution_WithTheJp2sValues()
    {
        var result = await ConvertAsync(ConverterSelectionTests.Input(products.SafeZip));

        Assert.Equal(["B02", "B04", "B05", "SCL"], result.Files.Select(f => f.Name)); // the sensor's order; no TCI, one B04
        var checks = Reference(result.Files.Select(f => (f.Path, products.SafeSources[f.Name])));
        for (var i = 0; i < checks.Length; i++)
        {
            var (file, check) = (result.Files[i], checks[i]);
            AssertSameRaster(check, file.Name);
            Assert.Equal(0, check.GetProperty("noData").GetDouble()); // ESA's no-data value, which the JP2 does not carry
            Assert.Equal([file.Name], check.GetProperty("descriptions").EnumerateArray().Select(d => d.GetString()));
        }
        // Overviews made anew from the full resolution (not the JP2's wavelet levels): nearest classes, averaged reflectance.
        var scl = checks[3];
        Assert.True(scl.GetProperty("overviews").GetInt32() > 0, scl.ToString());
        Assert.Equal((0, false), (scl.GetProperty("overviewPixelsNotInFootprint").GetInt32(), scl.GetProperty("overviewIsAverage").GetBoolean()));
        var b04 = result.Files[1];
        Assert.Equal(("red", 1e-4, 0.0), (b04.Band, b04.Scale, b04.Offset)); // baseline 02.14: DN / 10000
        Assert.Equal("red", b04.EoBands![0]!["common_name"]!.GetValue<string>());
        Assert.True(result.Files[3] is { Band: null, Scale: null, EoBands: null }, "SCL is no spectral band");
        // Outside the conversion, the service's policy still refuses to read inside the zip.
        await Task.Run(() =>
        {
            RasterFilePolicy.Apply(RasterFilePolicy.Service);
            Assert.Throws<RasterOpenException>(() => RasterDataset.Open($"/vsizip/{{{products.SafeZip}}}/{products.SafeMembers["B04"]}"));
        });
    }

    [SampleDataFact]
    public async Task ALandsatTar_GivesACogPerBand_WithTheMtlsScaleAndOffset_AndSoDoesItsGzippedTar()
    {
        var mtl = File.ReadAllText(SampleData.File($"{ProductArchives.LandsatProduct}_MTL.txt"));
        double Mtl(string key) => double.Parse(Regex.Match(mtl, $@"^\s*{key} = (\S+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

        foreach (var tar in new[] { products.LandsatTar, products.LandsatTarGz })
        {
            using var folder = new TempFolder();
            var result = await ConvertAsync(ConverterSelectionTests.Input(tar), folder.Path);

            Assert.Equal(["QA_PIXEL", "SR_B4", "SR_B5"], result.Files.Select(f => f.Name));
            var checks = Reference(result.Files.Select(f => (f.Path, products.LandsatSources[f.Name])));
            foreach (var (file, check) in result.Files.Zip(checks))
            {
                AssertSameRaster(check, file.Name);
                Assert.Equal(check.GetProperty("sourceNoData").ToString(), check.GetProperty("noData").ToString());
            }
            Assert.Equal(JsonValueKind.Null, checks[0].GetProperty("noData").ValueKind); // QA_PIXEL has none, and gets none
            Assert.Equal(0, checks[1].GetProperty("noData").GetDouble());
            Assert.Equal(("red", Mtl("REFLECTANCE_MULT_BAND_4"), Mtl("REFLECTANCE_ADD_BAND_4")), (result.Files[1].Band, result.Files[1].Scale, result.Files[1].Offset));
            Assert.Equal(("nir08", Mtl("REFLECTANCE_MULT_BAND_5"), Mtl("REFLECTANCE_ADD_BAND_5")), (result.Files[2].Band, result.Files[2].Scale, result.Files[2].Offset));
            Assert.Equal(2.75e-05, result.Files[1].Scale);
            Assert.True(result.Files[0] is { Scale: null, Offset: null }, "QA_PIXEL has no scale");
        }
    }

    [SampleDataFact]
    public async Task ANetCdfFile_GivesACogPerTwoDimensionalVariable_WithTheGridGdalReads()
    {
        var result = await ConvertAsync(ConverterSelectionTests.Input(products.NetCdf, key: "data"));

        Assert.Equal(["Band1", "Band2"], result.Files.Select(f => f.Name)); // not the three-dimensional "stack"
        var checks = Reference(result.Files.Select(f => (f.Path, $"NETCDF:\"{products.NetCdf}\":{f.Name}")));
        foreach (var (file, check) in result.Files.Zip(checks))
        {
            AssertSameRaster(check, file.Name);
            Assert.Equal(check.GetProperty("sourceNoData").ToString(), check.GetProperty("noData").ToString());
            Assert.Equal([file.Name], check.GetProperty("descriptions").EnumerateArray().Select(d => d.GetString()));
        }
        // And the variables hold the sample bands they were made of, on their grid.
        var samples = Reference([(result.Files[0].Path, products.SafeSources["B02"]), (result.Files[1].Path, products.SafeSources["B04"])]);
        Assert.All(samples, s => AssertSameRaster(s, "sample"));

        // A classic NetCDF file of one variable is that variable itself to GDAL (no subdatasets); classic NetCDF has
        // no unsigned types, so the variable is a float holding the sample's values.
        using var folder = new TempFolder();
        var single = Assert.Single((await ConvertAsync(ConverterSelectionTests.Input(products.NetCdfClassic, key: "data"), folder.Path)).Files);
        Assert.Equal("Band1", single.Name);
        var classic = Reference([(single.Path, $"NETCDF:\"{products.NetCdfClassic}\""), (single.Path, products.SafeSources["B05"])]);
        AssertSameRaster(classic[0], "classic");
        Assert.True(classic[1].GetProperty("identical").GetBoolean(), classic[1].ToString());
    }

    [SampleDataFact]
    public async Task AGeoTiff_IsRewrittenAsACog_OnlyWhenItIsNotOne()
    {
        var rewritten = await ConvertAsync(ConverterSelectionTests.Input(products.StrippedTiff, key: "B04"));

        var file = Assert.Single(rewritten.Files);
        Assert.Equal("B04", file.Name);
        var check = Reference([(file.Path, products.StrippedTiff)])[0];
        AssertSameRaster(check, "B04");
        Assert.True(check.GetProperty("overviews").GetInt32() > 0);
        Assert.True(check.GetProperty("overviewIsAverage").GetBoolean(), check.ToString());
        Assert.Equal(check.GetProperty("sourceNoData").ToString(), check.GetProperty("noData").ToString());
        // A COG (the sample, valid by GDAL's validator), and a small file in strips the validator accepts too, are kept.
        foreach (var cog in new[] { SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), SampleData.File($"{ProductArchives.LandsatProduct}_SR_B4.tif") })
        {
            using var folder = new TempFolder();
            var kept = await ConvertAsync(ConverterSelectionTests.Input(cog, key: "B04"), folder.Path);
            Assert.True(kept.Kept);
            Assert.Empty(kept.Files);
            Assert.Empty(folder.Files());
        }
    }

    [SampleDataFact]
    public async Task DamagedOrEmptyProducts_FailClearly_WithoutAPathOfTheMachine()
    {
        async Task<string> Failure(ConversionInput input) => (await Assert.ThrowsAsync<ConversionException>(() => ConvertAsync(input))).Message;

        Assert.Equal("asset 'product' (Sentinel-2 SAFE zip): not a zip archive that can be read (damaged or cut short)",
            await Failure(ConverterSelectionTests.Input(products.BrokenZip)));
        Assert.Equal("asset 'product' (Sentinel-2 SAFE zip): the zip holds no JP2 band of a Sentinel-2 granule (GRANULE/.../IMG_DATA/...jp2)",
            await Failure(ConverterSelectionTests.Input(products.SafeWithoutBands)));
        Assert.Equal("asset 'data' (NetCDF): the NetCDF file has no variables of two dimensions GDAL can read (or it is damaged)",
            await Failure(ConverterSelectionTests.Input(products.NetCdfWithout2D, key: "data")));

        // A band inside the zip that is not a JP2: named by its path in the zip.
        using var folder = new TempFolder();
        var damaged = folder.File($"{ProductArchives.SafeName}.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(damaged, System.IO.Compression.ZipArchiveMode.Create))
        {
            using var entry = new StreamWriter(zip.CreateEntry(products.SafeMembers["B04"]).Open());
            entry.Write("not a JPEG 2000 codestream");
        }
        var message = await Failure(ConverterSelectionTests.Input(damaged));
        Assert.StartsWith($"asset 'product' (Sentinel-2 SAFE zip): {products.SafeMembers["B04"]}: ", message);
        Assert.DoesNotContain(folder.Path, message);
        Assert.DoesNotContain("/vsizip/", message);
        Assert.Empty(_output.Files());
    }
}
