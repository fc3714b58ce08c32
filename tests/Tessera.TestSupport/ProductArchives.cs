namespace Tessera.TestSupport;

/// <summary>
/// Products as providers deliver them, made from small crops of the shared samples with GDAL's and the system's own
/// tools: a zipped Sentinel-2 SAFE folder of lossless JP2 bands (<c>gdal_translate -of JP2OpenJPEG</c>, zipped by
/// Python's zipfile), a Landsat Collection 2 tar of band files and MTL (<c>tar</c>), a NetCDF-4 file of two 2-D
/// variables and a 3-D one (<c>gdal_translate -of netCDF</c>, the 3-D variable added through GDAL's multidimensional
/// API), a classic NetCDF file, a stripped GeoTIFF, and damaged or empty products. Every path is in <see cref="Folder"/>.
/// </summary>
public sealed class ProductArchives : IDisposable
{
    public const string SafeName = "S2A_MSIL2A_20200219T113321_N0214_R080_T29RKH_20200219T135955";
    public const string Granule = "L2A_T29RKH_A024271_20200219T113431";
    public const string LandsatProduct = "LC08_L2SP_001062_20201031_20201106_02_T2";

    /// <summary>The Sentinel-2 window of the 100 m samples (columns, rows, width, height); the 200 m ones take half of it.</summary>
    public static readonly int[] S2Window = [300, 400, 200, 150];

    /// <summary>The Landsat window (columns, rows, width, height).</summary>
    public static readonly int[] LandsatWindow = [100, 120, 160, 130];

    /// <summary>The Landsat bands in the tar.</summary>
    public static readonly string[] LandsatKeys = ["SR_B4", "SR_B5", "QA_PIXEL"];

    private readonly TempFolder _folder = new();

    public string Folder => _folder.Path;

    /// <summary>The JP2 members of the SAFE zip by band key (the finest of each band), and the GeoTIFF crops they were made from.</summary>
    public Dictionary<string, string> SafeMembers { get; } = [];

    public Dictionary<string, string> SafeSources { get; } = [];

    private readonly List<(string Member, string File)> _zipped = [];

    /// <summary>The Landsat crops (the band files put in the tar) by band key.</summary>
    public Dictionary<string, string> LandsatSources { get; } = [];

    public string SafeZip { get; }

    public string LandsatTar { get; }

    public string LandsatTarGz { get; }

    public string NetCdf { get; }

    /// <summary>A classic NetCDF file (not NetCDF-4) of one variable.</summary>
    public string NetCdfClassic { get; }

    /// <summary>A NetCDF file of one-dimensional variables only.</summary>
    public string NetCdfWithout2D { get; }

    /// <summary>A GeoTIFF of the full 100 m B04 sample written in strips, without overviews: not a COG.</summary>
    public string StrippedTiff { get; }

    /// <summary>A zip cut in the middle.</summary>
    public string BrokenZip { get; }

    /// <summary>A zip of a SAFE folder with its metadata but no JP2 band.</summary>
    public string SafeWithoutBands { get; }

    public ProductArchives()
    {
        var safe = $"{SafeName}.SAFE";
        var img = $"{safe}/GRANULE/{Granule}/IMG_DATA";
        var (c, r, w, h) = (S2Window[0], S2Window[1], S2Window[2], S2Window[3]);
        // 10 m bands (crops of the 100 m samples), a coarser copy of B04 the converter must pass over, and 20 m ones.
        Jp2("B02", $"{img}/R10m/T29RKH_20200219T113321_B02_10m.jp2", Crop("S2A_29RKH_20200219_L2A_B02.tif", c, r, w, h));
        Jp2("B04", $"{img}/R10m/T29RKH_20200219T113321_B04_10m.jp2", Crop("S2A_29RKH_20200219_L2A_B04.tif", c, r, w, h));
        var b04Coarse = _folder.File("B04_20m.tif");
        ExternalTool.Run("gdal_translate", "-q", "-r", "average", "-outsize", "50%", "50%", SafeSources["B04"], b04Coarse);
        Jp2(null, $"{img}/R20m/T29RKH_20200219T113321_B04_20m.jp2", b04Coarse);
        Jp2("B05", $"{img}/R20m/T29RKH_20200219T113321_B05_20m.jp2", Crop("S2A_29RKH_20200219_L2A_B05.tif", c / 2, r / 2, w / 2, h / 2));
        // The whole classification (larger than a COG's tile, so it gets overviews).
        Jp2("SCL", $"{img}/R20m/T29RKH_20200219T113321_SCL_20m.jp2", SampleData.File("S2A_29RKH_20200219_L2A_SCL.tif"));
        var tci = _folder.File("tci.tif");
        ExternalTool.Run("gdal_translate", "-q", "-ot", "Byte", "-scale", "0", "4000", "0", "255", SafeSources["B04"], tci);
        Jp2(null, $"{img}/R10m/T29RKH_20200219T113321_TCI_10m.jp2", tci);
        var metadata = _folder.File("MTD_MSIL2A.xml");
        File.WriteAllText(metadata, """<?xml version="1.0" encoding="UTF-8"?><Level-2A_User_Product><PRODUCT_START_TIME>2020-02-19T11:33:21.024Z</PRODUCT_START_TIME></Level-2A_User_Product>""");
        SafeZip = _folder.File($"{SafeName}.zip");
        Zip(SafeZip, [($"{safe}/MTD_MSIL2A.xml", metadata), .. _zipped]);
        SafeWithoutBands = _folder.File("S2A_MSIL2A_20200219T113321_N0214_R080_T29RKH_20200219T135956.zip");
        Zip(SafeWithoutBands, [($"{safe}/MTD_MSIL2A.xml", metadata)]);
        BrokenZip = _folder.File("S2A_MSIL2A_20200219T113321_N0214_R080_T29RKH_20200219T135957.zip");
        var whole = File.ReadAllBytes(SafeZip);
        File.WriteAllBytes(BrokenZip, whole[..(whole.Length / 2)]);

        var landsat = Directory.CreateDirectory(_folder.File("landsat")).FullName;
        foreach (var key in LandsatKeys)
        {
            var name = $"{LandsatProduct}_{key}.TIF";
            ExternalTool.Run("gdal_translate", "-q", "-srcwin", $"{LandsatWindow[0]}", $"{LandsatWindow[1]}", $"{LandsatWindow[2]}", $"{LandsatWindow[3]}",
                SampleData.File($"{LandsatProduct}_{key}.tif"), Path.Combine(landsat, name));
            LandsatSources[key] = Path.Combine(landsat, name);
        }
        File.Copy(SampleData.File($"{LandsatProduct}_MTL.txt"), Path.Combine(landsat, $"{LandsatProduct}_MTL.txt"));
        var members = LandsatKeys.Select(k => $"{LandsatProduct}_{k}.TIF").Append($"{LandsatProduct}_MTL.txt").ToArray();
        LandsatTar = _folder.File($"{LandsatProduct}.tar");
        ExternalTool.Run("tar", ["-cf", LandsatTar, "-C", landsat, .. members]);
        LandsatTarGz = _folder.File($"{LandsatProduct}.tar.gz");
        // The gzipped one names its members ./NAME, as "tar -C DIR ." writes them.
        ExternalTool.Run("tar", ["-czf", LandsatTarGz, "-C", landsat, .. members.Select(m => "./" + m)]);

        var two = _folder.File("two.tif");
        ExternalTool.Run("gdal_merge.py", "-q", "-separate", "-o", two, SafeSources["B02"], SafeSources["B04"]);
        NetCdf = _folder.File("bands.nc");
        ExternalTool.Run("gdal_translate", "-q", "-of", "netCDF", two, NetCdf);
        Python($$"""
            from osgeo import gdal
            import numpy as np
            gdal.UseExceptions()
            ds = gdal.OpenEx({{Quoted(NetCdf)}}, gdal.OF_MULTIDIM_RASTER | gdal.OF_UPDATE)
            root = ds.GetRootGroup()
            dims = {d.GetName(): d for d in root.GetDimensions()}
            time = root.CreateDimension("time", None, None, 2)
            stack = root.CreateMDArray("stack", [time, dims["y"], dims["x"]], gdal.ExtendedDataType.Create(gdal.GDT_Int16))
            stack.Write(np.zeros((2, dims["y"].GetSize(), dims["x"].GetSize()), dtype=np.int16))
            """);
        NetCdfClassic = _folder.File("classic.nc");
        ExternalTool.Run("gdal_translate", "-q", "-of", "netCDF", "-co", "FORMAT=NC", SafeSources["B05"], NetCdfClassic);
        NetCdfWithout2D = _folder.File("series.nc");
        Python($$"""
            from osgeo import gdal
            import numpy as np
            gdal.UseExceptions()
            ds = gdal.GetDriverByName("netCDF").CreateMultiDimensional({{Quoted(NetCdfWithout2D)}})
            root = ds.GetRootGroup()
            time = root.CreateDimension("time", None, None, 5)
            series = root.CreateMDArray("temperature", [time], gdal.ExtendedDataType.Create(gdal.GDT_Float32))
            series.Write(np.arange(5, dtype=np.float32))
            """);

        StrippedTiff = _folder.File("B04_stripped.tif");
        ExternalTool.Run("gdal_translate", "-q", "-co", "TILED=NO", SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), StrippedTiff);
    }

    /// <summary>A crop of a sample as a GeoTIFF of this folder.</summary>
    private string Crop(string sample, int column, int row, int width, int height)
    {
        var path = _folder.File($"{Path.GetFileNameWithoutExtension(sample)}_{column}_{row}.tif");
        ExternalTool.Run("gdal_translate", "-q", "-srcwin", $"{column}", $"{row}", $"{width}", $"{height}", SampleData.File(sample), path);
        return path;
    }

    /// <summary>A lossless JP2 of <paramref name="source"/>, to lie at <paramref name="member"/> in the SAFE zip.</summary>
    private void Jp2(string? key, string member, string source)
    {
        var path = _folder.File(Path.GetFileName(member));
        ExternalTool.Run("gdal_translate", "-q", "-of", "JP2OpenJPEG", "-co", "QUALITY=100", "-co", "REVERSIBLE=YES", source, path);
        File.Delete(path + ".aux.xml");
        _zipped.Add((member, path));
        if (key is not null)
        {
            SafeMembers[key] = member;
            SafeSources[key] = source;
        }
    }

    private void Zip(string zip, IReadOnlyList<(string Member, string File)> entries) => Python($$"""
        import zipfile
        with zipfile.ZipFile({{Quoted(zip)}}, "w", zipfile.ZIP_DEFLATED) as z:
        {{string.Join("\n", entries.Select(e => $"    z.write({Quoted(e.File)}, {Quoted(e.Member)})"))}}
        """);

    private void Python(string script)
    {
        var path = _folder.File($"{Guid.NewGuid():N}.py");
        File.WriteAllText(path, script);
        ExternalTool.Run(PythonReference.Interpreter, path);
    }

    private static string Quoted(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    public void Dispose() => _folder.Dispose();
}
