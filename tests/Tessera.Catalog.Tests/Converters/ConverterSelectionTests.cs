using System.Text.Json.Nodes;
using Tessera.Catalog.Converters;
using Tessera.Catalog.Scenes;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Converters;

/// <summary>
/// Inputs go to the converter of the first selector that matches, with that selector's parameters: products by their
/// names (a Sentinel-2 product's processing baseline, a Landsat product's level), by the item's platform and properties
/// when a download's name says nothing, by their first bytes; registration order decides between selectors that
/// both match; what no converter takes is said as such.
/// </summary>
[Collection(ProductArchivesCollection.Name)]
public sealed class ConverterSelectionTests(ProductArchives products) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly DateTimeOffset Time = new(2020, 2, 19, 11, 33, 21, TimeSpan.Zero);

    /// <summary>An asset of an item (served by this server unless <paramref name="href"/> says where it was downloaded from) lying at <paramref name="path"/>.</summary>
    internal static ConversionInput Input(string path, string key = "product", string? href = null, string? platform = null,
        JsonObject? properties = null, string? mediaType = null)
    {
        var asset = new CatalogAsset(key, href ?? $"/stac/collections/products/items/scene/assets/{key}", mediaType, LocalPath: path);
        return new ConversionInput(new CatalogItem("products", "scene", Time, Time, Time, null, null, null, platform, null, properties ?? [], [asset]),
            asset, path);
    }

    /// <summary>A copy of a file under another name (a download lies under a hash).</summary>
    private string Named(string file, string name)
    {
        var copy = _folder.File(name);
        File.Copy(file, copy, overwrite: true);
        return copy;
    }

    private static TConverter Chosen<TConverter>(ConversionInput input, ConversionManager? manager = null) where TConverter : Converter
    {
        var chosen = (manager ?? ConversionManager.Default).Choose(input);
        Assert.NotNull(chosen);
        return Assert.IsType<TConverter>(chosen.Value.Converter);
    }

    [SampleDataFact]
    public void SentinelTwoZips_AreChosenByName_ThenByTheItem_WithTheirBaselinesOffset()
    {
        Assert.Equal(Sentinel2SafeConverter.BeforeBaseline4, Chosen<Sentinel2SafeConverter>(Input(products.SafeZip)).Parameters);
        var newer = Named(products.SafeZip, "S2B_MSIL2A_20230715T100031_N0509_R122_T33UUP_20230715T130000.SAFE.zip");
        Assert.Equal(Sentinel2SafeConverter.Baseline4, Chosen<Sentinel2SafeConverter>(Input(newer)).Parameters);
        Assert.Equal(-1000, Sentinel2SafeConverter.Baseline4.AddOffset);

        // Downloaded under a hash from an address that says nothing: the item's platform and baseline decide.
        var download = Named(products.SafeZip, "3f9a0c1d2e4b5a6978812233.zip");
        const string odata = "https://zipper.example.eu/odata/v1/Products(5a0c)/$value";
        Assert.Equal(Sentinel2SafeConverter.Baseline4, Chosen<Sentinel2SafeConverter>(Input(download, href: odata, platform: "sentinel-2b",
            properties: new JsonObject { ["s2:processing_baseline"] = "05.09" })).Parameters);
        Assert.Equal(Sentinel2SafeConverter.BeforeBaseline4, Chosen<Sentinel2SafeConverter>(Input(download, href: odata, platform: "sentinel-2a",
            properties: new JsonObject { ["s2:processing_baseline"] = 2.14 })).Parameters);
        Assert.Equal(Sentinel2SafeConverter.BaselineUnknown, Chosen<Sentinel2SafeConverter>(Input(download, href: odata, platform: "sentinel-2a")).Parameters);

        // A zip of no Sentinel-2 item, named as nothing known: no converter.
        Assert.Null(ConversionManager.Default.Choose(Input(download, href: odata, platform: "landsat-8")));
    }

    [SampleDataFact]
    public void LandsatTars_AreChosenByTheirLevel_CompressedOrNot_OrByTheItemsPlatform()
    {
        Assert.Equal(LandsatTarParameters.Level2, Chosen<LandsatTarConverter>(Input(products.LandsatTar)).Parameters);
        Assert.Equal(LandsatTarParameters.Level2, Chosen<LandsatTarConverter>(Input(products.LandsatTarGz)).Parameters);
        var level1 = Named(products.LandsatTar, "LC09_L1TP_204036_20230301_20230301_02_T1.tar");
        Assert.Equal(LandsatTarParameters.Level1, Chosen<LandsatTarConverter>(Input(level1)).Parameters);
        var download = Named(products.LandsatTarGz, "0d1e2f3a4b5c6d7e8f901234.gz");
        Assert.Equal(LandsatTarParameters.AnyLevel, Chosen<LandsatTarConverter>(Input(download, href: "https://landsatlook.example.gov/bundle?id=1",
            platform: "landsat-8")).Parameters);
        Assert.Null(ConversionManager.Default.Choose(Input(download, href: "https://landsatlook.example.gov/bundle?id=1", platform: "sentinel-2a")));
    }

    [SampleDataFact]
    public void NetCdfFiles_GeoTiffs_AndOtherFiles_GoWhereTheirFirstBytesSay()
    {
        // NetCDF-4 (HDF5) by its name or its media type; classic NetCDF by its bytes alone.
        Assert.Equal(NetCdfParameters.Every, Chosen<NetCdfConverter>(Input(products.NetCdf, key: "data")).Parameters);
        var hashed = Named(products.NetCdf, "9c8d7e6f5a4b3c2d1e0f9a8b");
        Assert.IsType<NetCdfConverter>(ConversionManager.Default.Choose(Input(hashed, mediaType: "application/x-netcdf"))!.Value.Converter);
        Assert.Null(ConversionManager.Default.Choose(Input(hashed, mediaType: "application/x-hdf5")));
        var classic = Named(products.NetCdfClassic, "7a6b5c4d3e2f1a0b9c8d7e6f");
        Assert.IsType<NetCdfConverter>(ConversionManager.Default.Choose(Input(classic, mediaType: "image/tiff"))!.Value.Converter);

        Assert.False(Chosen<GeoTiffConverter>(Input(products.StrippedTiff, key: "B04")).Parameters.Categorical);
        Assert.True(Chosen<GeoTiffConverter>(Input(products.LandsatSources["QA_PIXEL"], key: "QA_PIXEL")).Parameters.Categorical);
        Assert.True(Chosen<GeoTiffConverter>(Input(SampleData.File("S2A_29RKH_20200219_L2A_SCL.tif"), key: "classes_20m")).Parameters.Categorical);

        var mtl = Path.Combine(Path.GetDirectoryName(products.LandsatSources["SR_B4"])!, $"{ProductArchives.LandsatProduct}_MTL.txt");
        Assert.Null(ConversionManager.Default.Choose(Input(mtl, key: "MTL", mediaType: "text/plain")));
        // A zip named as a SAFE but a tar by its bytes is no Sentinel-2 product.
        Assert.Null(ConversionManager.Default.Choose(Input(Named(products.LandsatTar, $"{ProductArchives.SafeName}.zip"))));
    }

    [SampleDataFact]
    public void TheFirstSelectorThatMatches_Wins_InTheOrderTheyWereRegistered()
    {
        var qa = Input(products.LandsatSources["QA_PIXEL"], key: "QA_PIXEL");

        // The service's order: the specific selector (quality bits) before the general one.
        var chosen = ConversionManager.Default.Choose(qa)!.Value;
        Assert.True(Assert.IsType<GeoTiffConverter>(chosen.Converter).Parameters.Categorical);
        Assert.StartsWith("a GeoTIFF of classes or quality bits", chosen.Selector);

        // The general selector first: it matches, and the specific one is never reached.
        var reversed = new ConversionManager().Register(GeoTiffConverter.ParameterSelectors.Reverse(), p => new GeoTiffConverter(p));
        Assert.Equal(("a GeoTIFF", false), (reversed.Choose(qa)!.Value.Selector, ((GeoTiffConverter)reversed.Choose(qa)!.Value.Converter).Parameters.Categorical));

        // A converter registered before the service's own takes what its selector matches, and only that.
        var special = new ConversionManager()
            .Register([new ParameterSelector<GeoTiffParameters>("Landsat pixel quality, averaged", Matches.Key("^QA_PIXEL$"), GeoTiffParameters.Continuous)],
                p => new GeoTiffConverter(p))
            .Register(GeoTiffConverter.ParameterSelectors, p => new GeoTiffConverter(p));
        Assert.Equal("Landsat pixel quality, averaged", special.Choose(qa)!.Value.Selector);
        Assert.False(((GeoTiffConverter)special.Choose(qa)!.Value.Converter).Parameters.Categorical);
        var scl = Input(SampleData.File("S2A_29RKH_20200219_L2A_SCL.tif"), key: "SCL");
        Assert.True(((GeoTiffConverter)special.Choose(scl)!.Value.Converter).Parameters.Categorical);

        // Nothing registered, nothing chosen.
        Assert.Null(new ConversionManager().Choose(qa));
    }
}
