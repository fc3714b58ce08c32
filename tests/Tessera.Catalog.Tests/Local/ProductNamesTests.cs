using Tessera.Catalog.Local;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Local;

/// <summary>Band files recognised by their names, and a SAFE product's metadata file read for its time, platform and cloud cover.</summary>
public sealed class ProductNamesTests
{
    [Theory]
    [InlineData("S2A_29RKH_20200219_L2A_B04.tif", null, "S2A_29RKH_20200219_L2A", "B04", "sentinel-2a", "2020-02-19", "MGRS-29RKH")]
    [InlineData("S2B_33UUP_20230715_0_L2A_B8A.tif", null, "S2B_33UUP_20230715_L2A", "B8A", "sentinel-2b", "2023-07-15", "MGRS-33UUP")]
    [InlineData("T33UUP_20230715T100031_B08_10m.jp2", "S2B_MSIL2A_20230715T100031_N0509_R122_T33UUP_20230715T130000", "S2B_MSIL2A_20230715T100031_N0509_R122_T33UUP_20230715T130000", "B08", "sentinel-2b", "2023-07-15", "MGRS-33UUP")]
    [InlineData("LC08_L2SP_001062_20201031_20201106_02_T2_SR_B4.TIF", null, "LC08_L2SP_001062_20201031_20201106_02_T2", "SR_B4", "landsat-8", "2020-10-31", "WRS2-001062")]
    [InlineData("LC09_L1TP_204036_20230301_20230301_02_T1_QA_PIXEL.TIF", null, "LC09_L1TP_204036_20230301_20230301_02_T1", "QA_PIXEL", "landsat-9", "2023-03-01", "WRS2-204036")]
    [InlineData("LC80200392015216LGN00_B4.TIF", null, "LC80200392015216LGN00", "B4", "landsat-8", "2015-08-04", "WRS2-020039")]
    public void ABandFile_IsRecognised(string name, string? safe, string product, string key, string platform, string day, string grid)
    {
        var file = ProductNames.Recognise("/data/" + name, safe);

        Assert.NotNull(file);
        Assert.Equal((product, key, platform, DateTimeOffset.Parse(day + "T00:00:00Z"), grid), (file.Product, file.Key, file.Platform, file.Date, file.GridCode));
    }

    [Theory]
    [InlineData("S2_L1C_slovenia_20150711_13bands.tif")]
    [InlineData("MCD43A4.A2017006.h21v11.006.2017018074804_B01.tif")]
    [InlineData("T33UUP_20230715T100031_B08_10m.jp2")] // a granule file outside a SAFE folder
    public void OtherFiles_AreNotGuessedAt(string name) => Assert.Null(ProductNames.Recognise("/data/" + name));

    [Fact]
    public void ASafeProductsMetadata_GivesItsTimePlatformAndCloudCover()
    {
        using var folder = new TempFolder();
        var safe = Directory.CreateDirectory(Path.Combine(folder.Path, "S2A_MSIL2A_20200219T112111_N0214_R037_T29RKH_20200219T123947.SAFE")).FullName;
        File.WriteAllText(Path.Combine(safe, "MTD_MSIL2A.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <n1:Level-2A_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">
              <n1:General_Info><Product_Info><PRODUCT_START_TIME>2020-02-19T11:21:11.024Z</PRODUCT_START_TIME>
                <Datatake datatakeIdentifier="GS2A_20200219T112111_024344_N02.14"><SPACECRAFT_NAME>Sentinel-2A</SPACECRAFT_NAME></Datatake>
              </Product_Info></n1:General_Info>
              <n1:Quality_Indicators_Info><Cloud_Coverage_Assessment>4.051854</Cloud_Coverage_Assessment></n1:Quality_Indicators_Info>
            </n1:Level-2A_User_Product>
            """.Trim());
        var band = Path.Combine(Directory.CreateDirectory(Path.Combine(safe, "GRANULE", "L2A_T29RKH", "IMG_DATA", "R10m")).FullName, "T29RKH_20200219T112111_B04_10m.jp2");

        var metadata = Sentinel2Metadata.Read(Sentinel2Metadata.Find(band)!);

        Assert.Equal((new DateTimeOffset(2020, 2, 19, 11, 21, 11, 24, TimeSpan.Zero), 4.051854, "sentinel-2a"), (metadata.Time!.Value, metadata.CloudCover!.Value, metadata.Platform));
        Assert.Null(Sentinel2Metadata.Find(Path.Combine(folder.Path, "loose.jp2")));
    }
}
